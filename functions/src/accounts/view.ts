import type { Deps } from '../deps';
import type { QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { dueInvoicesOf, loadDueInvoices, retrievalFor, totalDue, type DueInvoice, type Retrieval } from './due';
import { iso } from '../shared/time';
import type { AccountDoc } from './model';
import { ownerAddress } from '../mail/mail-owner';
import { addDays, taipeiDate } from '../shared/taipei';

/** The settings' limits of the owner's own termination date, in Taipei days from today (termination/dates.ts). */
export interface TerminationDays {
  readonly minDays: number;
  readonly maxDays: number;
  readonly defaultDays: number;
}

/** The Taipei dates (`YYYY-MM-DD`) the owner may pick for their own termination today (clause 3.1(a)). */
export interface TerminationWindow {
  earliest: string;
  latest: string;
  default: string;
}

/** The Account clients receive from `getAccount` (DESIGN §5): §3 fields, ISO times, plus retrieval. */
export interface AccountView {
  uid: string;
  email: string | null;
  displayName: string | null;
  providers: string[];
  emailVerified: boolean;
  locale: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  contract: { startsAt: string; endsAt: string | null };
  termination: null | {
    kind: string;
    initiatedBy: string;
    reason: string;
    noticeAt: string;
    effectiveAt: string;
    contentDestroyedAt: string | null;
  };
  suspension: null | { reason: string; since: string; note: string };
  billing: { amountDue: number; currency: string; earliestUnpaidDueAt: string | null; dueInvoices: DueInvoice[] };
  retrieval: Retrieval;
  /** The confirmed contact address, else null. */
  contactEmail: string | null;
  /** True when there is no address we can mail (no contact address, no verified sign-in address). */
  needsContactEmail: boolean;
  /**
   * While the account is `active`: the dates `requestTermination` accepts today, so a client's
   * date picker offers exactly those (the limits are settings, not constants clients could copy).
   * Null when there is nothing to request (already terminating, suspended, terminated).
   */
  terminationWindow: TerminationWindow | null;
}

/** The window of `requestTermination` as Taipei dates, counted from `now`'s Taipei day as it counts them. */
export function terminationWindowOf(now: Date, window: TerminationDays): TerminationWindow {
  const today = taipeiDate(now);
  return { earliest: addDays(today, window.minDays), latest: addDays(today, window.maxDays), default: addDays(today, window.defaultDays) };
}

/**
 * Renders a stored account for clients, as of `now` (the instant `dueInvoices` were computed for);
 * `window` (the settings' termination limits) yields `terminationWindow` for an active account.
 * `billing.amountDue` is the live total of `dueInvoices`: the stored figure is only as fresh as the
 * last billing write, and an open invoice becomes an amount due when its `dueAt` passes, with no
 * write (DESIGN §3). Likewise `retrieval` follows the termination date, not the stored status alone.
 */
export function toAccountView(doc: AccountDoc, dueInvoices: DueInvoice[], now: Date, window: TerminationDays | null = null): AccountView {
  const t = doc.termination;
  const s = doc.suspension;
  return {
    uid: doc.uid,
    email: doc.email,
    displayName: doc.displayName,
    providers: doc.providers,
    emailVerified: doc.emailVerified,
    locale: doc.locale,
    status: doc.status,
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
    contract: { startsAt: iso(doc.contract.startsAt), endsAt: iso(doc.contract.endsAt) },
    termination: t && {
      kind: t.kind,
      initiatedBy: t.initiatedBy,
      reason: t.reason,
      noticeAt: iso(t.noticeAt),
      effectiveAt: iso(t.effectiveAt),
      contentDestroyedAt: iso(t.contentDestroyedAt),
    },
    suspension: s && { reason: s.reason, since: iso(s.since), note: s.note },
    billing: {
      amountDue: totalDue(dueInvoices),
      currency: doc.billing.currency,
      earliestUnpaidDueAt: iso(doc.billing.earliestUnpaidDueAt),
      dueInvoices,
    },
    retrieval: retrievalFor(doc, now, dueInvoices.length),
    contactEmail: doc.contactEmail ?? null,
    needsContactEmail: ownerAddress(doc) === null,
    terminationWindow: window && doc.status === 'active' ? terminationWindowOf(now, window) : null,
  };
}

/**
 * The Account view of a just-written account, with its amounts due as of now: from `openInvoices`
 * when the caller already read them (alongside the account, to save a round trip), else read here.
 */
export async function accountResult(deps: Deps, account: AccountDoc, openInvoices?: readonly QueryDocumentSnapshot[]): Promise<AccountView> {
  const now = deps.clock.now();
  const window = { minDays: deps.config.TERMINATION_MIN_DAYS, maxDays: deps.config.TERMINATION_MAX_DAYS, defaultDays: deps.config.TERMINATION_DEFAULT_DAYS };
  const due = openInvoices ? dueInvoicesOf(openInvoices, now) : await loadDueInvoices(deps.db, account.uid, now);
  return toAccountView(account, due, now, window);
}
