import type { Reason } from '../shared/errors';

/** The two Identity Platform blocking events we handle (DESIGN §5). */
export const BLOCKING_EVENTS = ['beforeCreate', 'beforeSignIn'] as const;
export type BlockingEventType = (typeof BLOCKING_EVENTS)[number];

/**
 * A verified blocking-function event, in our words. Built by `http/blocking.ts` only from a JWT
 * that firebase-admin verified (Identity Platform's signature in production, the Auth emulator's
 * unsigned token locally), never from anything else in the request.
 */
export interface BlockingEvent {
  readonly type: BlockingEventType;
  /** Identity Platform's id for this event (for logs). */
  readonly eventId: string | null;
  /** `sign_in_method`: `password`, `facebook.com`, `google.com`, `phone`, `emailLink`, `anonymous`, `custom`, … */
  readonly signInMethod: string | null;
  /** The client's language as Identity Platform reports it; null when unknown (and always locally, see blocking.ts). */
  readonly locale: string | null;
  /** `ip_address`: the client's address as Identity Platform saw it; null when absent or not an IP address. */
  readonly ipAddress: string | null;
  /** `user_agent`: the client's user agent (at most 512 characters); null when absent. */
  readonly userAgent: string | null;
  readonly user: {
    readonly uid: string;
    readonly email: string | null;
    readonly emailVerified: boolean;
    readonly displayName: string | null;
    /** `user_record.provider_data[].provider_id` (empty on an email+password beforeCreate). */
    readonly providerIds: readonly string[];
  };
}

/** What a blocking function answers: let the sign-up/sign-in through, or refuse it with a reason. */
export type BlockingDecision =
  | { readonly kind: 'allow' }
  | {
      readonly kind: 'block';
      /** Stable code clients switch on, e.g. `SIGN_IN_METHOD_NOT_ALLOWED`, `ACCOUNT_SUSPENDED`. */
      readonly reason: Extract<Reason, 'SIGN_IN_METHOD_NOT_ALLOWED' | 'ACCOUNT_SUSPENDED' | 'ACCOUNT_TERMINATED'>;
      /** Shown to the user by the client app (Identity Platform passes it through). */
      readonly message: string;
      readonly details?: Record<string, unknown>;
    };

export const ALLOW: BlockingDecision = { kind: 'allow' };
