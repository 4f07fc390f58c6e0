import type { Timestamp } from 'firebase-admin/firestore';

/** Sign-in providers the agreement allows (clauses 5.1/5.2). */
export const ALLOWED_PROVIDERS = ['password', 'facebook.com'] as const;
export type Provider = (typeof ALLOWED_PROVIDERS)[number];

export const LOCALES = ['zh-TW', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type AccountStatus = 'active' | 'suspended' | 'terminating' | 'terminated';
export type TerminationKind = 'convenience' | 'cause' | 'legal' | 'partner' | 'contract-end';

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
   * Internal, not part of the client contract: keys of the reminders already mailed, e.g.
   * `termination:7:<effectiveAt ms>`, so a reminder goes out once per date however often
   * processLifecycle runs.
   */
  reminders?: string[];
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

/** Picks the app locale from a BCP 47 tag: English for `en*`, Traditional Chinese otherwise. */
export function normalizeLocale(tag: string | null | undefined): Locale {
  return typeof tag === 'string' && /^en\b/i.test(tag) ? 'en' : 'zh-TW';
}

/** Keeps only the providers we allow, in a stable order. */
export function allowedProviders(ids: readonly string[]): Provider[] {
  return ALLOWED_PROVIDERS.filter((p) => ids.includes(p));
}
