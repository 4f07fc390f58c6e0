import type { Deps } from '../deps';
import { loadDueInvoices, retrievalFor, totalDue, type DueInvoice, type Retrieval } from './due';
import { iso } from '../shared/time';
import type { AccountDoc } from './model';
import { ownerAddress } from '../mail/mail-owner';

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
}

/**
 * Renders a stored account for clients, as of `now` (the instant `dueInvoices` were computed for).
 * `billing.amountDue` is the live total of `dueInvoices`: the stored figure is only as fresh as the
 * last billing write, and an open invoice becomes an amount due when its `dueAt` passes, with no
 * write (DESIGN §3). Likewise `retrieval` follows the termination date, not the stored status alone.
 */
export function toAccountView(doc: AccountDoc, dueInvoices: DueInvoice[], now: Date): AccountView {
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
  };
}

/** The Account view of a just-written account, with its amounts due as of now. */
export async function accountResult(deps: Deps, account: AccountDoc): Promise<AccountView> {
  const now = deps.clock.now();
  return toAccountView(account, await loadDueInvoices(deps.db, account.uid, now), now);
}
