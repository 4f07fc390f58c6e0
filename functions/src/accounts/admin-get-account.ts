import { z } from 'zod';
import { actorOf, recordActivity } from './activity-log';
import type { Deps } from '../deps';
import { iso } from '../shared/time';
import { targetUid } from '../shared/input';
import type { BreachDoc, InvoiceDoc } from './model';
import { readAccount, recordsOf } from './repository';
import { accountResult, type AccountView } from './view';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';
import { toStaffInvoice, type StaffInvoiceView } from './invoice-view';

/** An open breach as staff see it (clause 3.1(b)(i)). */
export interface BreachView {
  breachId: string;
  description: string;
  notifiedAt: string;
  cureBy: string;
  status: BreachDoc['status'];
}


/** What `adminGetAccount` returns: the customer's Account plus the open breaches and the latest invoices. */
export interface StaffAccountView extends AccountView {
  breaches: BreachView[];
  /** Newest issued first, at most `INVOICES_SHOWN`: paid and void ones too. */
  invoices: StaffInvoiceView[];
}

/** Invoices `adminGetAccount` shows: a console page, not the account's whole history (records requests give that). */
export const INVOICES_SHOWN = 50;

const input = z.object({ uid: targetUid }).strict();
type AdminGetAccountInput = z.output<typeof input>;


/**
 * A staff member looks at an account. The look is itself logged on the account (clause 1.1(b):
 * nobody reaches an account without authorisation, and the owner can see who did).
 */
export async function adminGetAccount(deps: Deps, caller: Caller, request: AdminGetAccountInput): Promise<StaffAccountView> {
  const { account, breaches, invoices } = await deps.db.runTransaction(async (tx) => {
    const account = await readAccount(deps.db, request.uid, tx);
    const [open, invoices] = await Promise.all([
      tx.get(recordsOf(deps.db, request.uid, 'breaches').where('status', '==', 'open')),
      tx.get(recordsOf(deps.db, request.uid, 'invoices').orderBy('issuedAt', 'desc').limit(INVOICES_SHOWN)),
    ]);
    recordActivity(tx, deps.db, request.uid, deps.clock.now(), { actor: actorOf(caller), action: 'account.viewed', details: {} });
    return {
      account,
      breaches: open.docs.map((d) => ({ id: d.id, doc: d.data() as BreachDoc })),
      invoices: invoices.docs.map((d) => toStaffInvoice(d.id, d.data() as InvoiceDoc)),
    };
  });
  const view = await accountResult(deps, account);
  return {
    ...view,
    breaches: breaches
      .sort((a, b) => a.doc.cureBy.toMillis() - b.doc.cureBy.toMillis())
      .map(({ id, doc }) => ({ breachId: id, description: doc.description, notifiedAt: iso(doc.notifiedAt), cureBy: iso(doc.cureBy), status: doc.status })),
    invoices,
  };
}

/**
 * `adminGetAccount({uid})` → the Account with its open breaches and latest invoices. Support or
 * admin: it changes nothing, and every look is on the account's record.
 */
export const adminGetAccountSpec: SignedInCallableSpec<AdminGetAccountInput, StaffAccountView, z.input<typeof input>> = {
  auth: 'required',
  roles: ['support', 'admin'],
  input,
  handler: (deps, request, { caller }) => adminGetAccount(deps, caller, request),
};
