import type { Locale } from '../shared/locale';
import type { Timestamp } from 'firebase-admin/firestore';

/** Sign-in providers the agreement allows (clauses 5.1/5.2). */
export const ALLOWED_PROVIDERS = ['password', 'facebook.com'] as const;
export type Provider = (typeof ALLOWED_PROVIDERS)[number];

export { LOCALES, normalizeLocale, type Locale } from '../shared/locale';

export type AccountStatus = 'active' | 'suspended' | 'terminating' | 'terminated';
export type TerminationKind = 'convenience' | 'cause' | 'legal' | 'partner' | 'contract-end';

/** The top-level collection of accounts; only accounts/ spells it (the repository and the activity log). */
export const ACCOUNTS = 'accounts';

/** A pending or past termination, as stored in `accounts/{uid}.termination`. */
export type Termination = NonNullable<AccountDoc['termination']>;

/**
 * `accounts/{uid}.finaliseLease` (internal, not part of the client contract): who is finalising
 * the account and until when (lifecycle/lease.ts).
 */
export interface FinaliseLease {
  holder: string;
  until: Timestamp;
}

/** `accounts/{uid}` as stored (DESIGN §3); field names are a contract with client apps. */
export interface AccountDoc {
  uid: string;
  email: string | null;
  displayName: string | null;
  providers: Provider[];
  emailVerified: boolean;
  locale: Locale;
  status: AccountStatus;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  contract: { startsAt: Timestamp; endsAt: Timestamp | null };
  termination: null | {
    kind: TerminationKind;
    initiatedBy: 'customer' | 'provider';
    reason: string;
    noticeAt: Timestamp;
    effectiveAt: Timestamp;
    contentDestroyedAt: Timestamp | null;
  };
  suspension: null | { reason: string; since: Timestamp; note: string };
  billing: { amountDue: number; currency: 'TWD'; earliestUnpaidDueAt: Timestamp | null };
  /**
   * The address the owner confirmed with a mailed code (`confirmContactEmail`); mail goes here
   * first, else to `email` once verified (mail/mail-owner.ts). Absent on accounts that never set one.
   */
  contactEmail?: string | null;
  /** Internal: `contactEmail` lower-cased, so staff find the account by it whatever the case (adminFindAccount). */
  contactEmailKey?: string | null;
  /**
   * Internal, not part of the client contract: keys of the reminders already mailed, e.g.
   * `termination:7:<effectiveAt ms>`, so a reminder goes out once per date however often
   * processLifecycle runs.
   */
  reminders?: string[];
  /** Internal: the lease of the finaliser at work, if any (lifecycle/lease.ts). */
  finaliseLease?: FinaliseLease | null;
}

/** `accounts/{uid}/breaches/{breachId}` as stored (clause 3.1(b)(i)). */
export interface BreachDoc {
  description: string;
  notifiedAt: Timestamp;
  cureBy: Timestamp;
  status: 'open' | 'cured' | 'escalated';
  /** Internal: the account the breach belongs to (as its path says; the sweep reads `breachDeadlines` instead). */
  uid: string;
  resolvedAt: Timestamp | null;
  note: string | null;
}

/** `accounts/{uid}/invoices/{invoiceId}` as stored. */
export interface InvoiceDoc {
  amount: number;
  currency: 'TWD';
  issuedAt: Timestamp;
  dueAt: Timestamp;
  status: 'open' | 'paid' | 'void';
  paidAt: Timestamp | null;
}

/** Subcollections of an account that are records, not customer content (DESIGN §3). */
export const RESERVED_SUBCOLLECTIONS = ['invoices', 'breaches', 'activity', 'apiKeys', 'recordRequests'] as const;

/** Keeps only the providers we allow, in a stable order. */
export function allowedProviders(ids: readonly string[]): Provider[] {
  return ALLOWED_PROVIDERS.filter((p) => ids.includes(p));
}
