import { loadAccount } from '../accounts/load';
import type { AccountDoc } from '../accounts/model';
import { findAccount } from '../accounts/repository';
import { dueInvoicesOf, openInvoicesQuery, retrievalFor, totalDue, type DueInvoice } from '../accounts/due';
import type { Deps } from '../deps';
import type { Caller } from '../shared/caller';
import { AppError } from '../shared/errors';

/** The account and its amounts due, read at one instant, and that instant. */
interface BillingSnapshot {
  readonly account: AccountDoc | undefined;
  readonly due: DueInvoice[];
  readonly now: Date;
}

/**
 * Reads the account and its open invoices in one read-only transaction, so the decision sees one
 * consistent state: a payment committed at the same moment is either wholly seen (invoice paid,
 * billing updated) or not at all.
 */
async function readSnapshot(deps: Deps, uid: string): Promise<BillingSnapshot> {
  return deps.db.runTransaction(
    async (tx) => {
      const [account, open] = await Promise.all([findAccount(deps.db, uid, tx), tx.get(openInvoicesQuery(deps.db, uid))]);
      const now = deps.clock.now();
      return { account, due: dueInvoicesOf(open.docs, now), now };
    },
    { readOnly: true },
  );
}

/**
 * Decides whether the caller may retrieve their content now, with the rule `getAccount` reports
 * and `firestore.rules` enforces (`retrievalFor`): active, or terminating with nothing past due
 * (clause 3.2(b)(ii): retrieval only once all amounts due are paid), and never from the termination
 * date on, even before processLifecycle marks the account terminated (clause 3.2(a)(i)).
 * @returns the account as read.
 * @throws AppError 402 AMOUNTS_DUE with `{amountDue, invoices}`, 403 ACCOUNT_SUSPENDED, 410 ACCOUNT_TERMINATED.
 */
export async function assertRetrievalAllowed(deps: Deps, caller: Caller): Promise<AccountDoc> {
  let { account, due, now } = await readSnapshot(deps, caller.uid);
  // A user made outside the sign-up flow has no account document yet: provisioned as getAccount does.
  if (!account) ({ account, due, now } = { account: await loadAccount(deps, caller, 'exportContent'), due: [], now: deps.clock.now() });
  const retrieval = retrievalFor(account, now, due.length);
  switch (retrieval.reason) {
    case null:
      return account;
    case 'AMOUNTS_DUE':
      throw new AppError(
        'AMOUNTS_DUE',
        'Your content can be retrieved once every amount due is paid (agreement clause 3.2(b)).',
        { amountDue: totalDue(due), invoices: due },
      );
    case 'SUSPENDED':
      throw new AppError('ACCOUNT_SUSPENDED', 'This account is suspended: its content cannot be retrieved.');
    case 'TERMINATED':
      throw new AppError('ACCOUNT_TERMINATED', 'This account has been terminated: its content is no longer available.');
  }
}
