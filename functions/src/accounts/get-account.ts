import { noArguments } from '../shared/input';
import { z } from 'zod';
import { Timestamp } from '../shared/firestore-values';
import { actorOf } from './activity-log';
import type { Deps } from '../deps';
import type { AccountDoc } from './model';
import { loadUsableAccount } from './load';
import { openInvoicesQuery } from './due';
import { readAccount } from './repository';
import { applyChange } from './changes';
import { accountResult, type AccountView } from './view';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';

/** Keeps `emailVerified` in step with Auth once the owner verifies their address. */
async function syncVerification(deps: Deps, caller: Caller, account: AccountDoc): Promise<AccountDoc> {
  if (caller.via !== 'idToken' || !caller.emailVerified || account.emailVerified) return account;
  return deps.db.runTransaction(async (tx) => {
    const fresh = await readAccount(deps.db, caller.uid, tx);
    if (fresh.emailVerified) return fresh;
    const now = deps.clock.now();
    const patch = { emailVerified: true, updatedAt: Timestamp.fromDate(now) };
    applyChange(tx, deps, fresh, { patch, activity: [{ actor: actorOf(caller), action: 'account.emailVerified', details: { email: fresh.email } }], mails: [] }, now);
    return { ...fresh, ...patch };
  });
}

/**
 * The caller's own account (DESIGN §5). Provisions it on first call for users created outside
 * the sign-up flow, so every authenticated user has exactly one account document. Refused, like
 * every other customer function, once the account is suspended or its rights have ended
 * (`ACCOUNT_TERMINATED` from the termination date on, before the sweep too: clause 3.2(a)(i)).
 */
export async function getAccount(deps: Deps, caller: Caller): Promise<AccountView> {
  // The open invoices are read alongside the account, not after it: one round trip, not two.
  const [loaded, open] = await Promise.all([loadUsableAccount(deps, caller, 'getAccount'), openInvoicesQuery(deps.db, caller.uid).get()]);
  const account = await syncVerification(deps, caller, loaded);
  return accountResult(deps, account, open.docs);
}

/** `getAccount()`: the one function an unverified email user may call (clause 5.2). */
export const getAccountSpec: SignedInCallableSpec<z.output<typeof noArguments>, AccountView, z.input<typeof noArguments>> = {
  auth: 'required',
  apiKey: true,
  allowUnverified: true,
  input: noArguments,
  handler: (deps, _input, { caller }) => getAccount(deps, caller),
};
