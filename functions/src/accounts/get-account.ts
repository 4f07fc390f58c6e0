import { Timestamp } from '../shared/firestore-values';
import { z } from 'zod';
import { recordActivity, actorOf } from '../activity/record';
import { loadDueInvoices } from '../billing/due';
import type { Deps } from '../deps';
import type { Caller } from '../http/auth';
import type { CallableSpec } from '../http/callable';
import type { AccountDoc } from './model';
import { loadUsableAccount } from './load';
import { toAccountView, type AccountView } from './view';

/** Keeps `emailVerified` in step with Auth once the owner verifies their address. */
async function syncVerification(deps: Deps, caller: Caller, account: AccountDoc): Promise<AccountDoc> {
  if (caller.via !== 'idToken' || !caller.emailVerified || account.emailVerified) return account;
  const ref = deps.db.collection('accounts').doc(caller.uid);
  return deps.db.runTransaction(async (tx) => {
    const fresh = (await tx.get(ref)).data() as AccountDoc;
    if (fresh.emailVerified) return fresh;
    const now = deps.clock.now();
    const updated = { ...fresh, emailVerified: true, updatedAt: Timestamp.fromDate(now) };
    tx.update(ref, { emailVerified: true, updatedAt: updated.updatedAt });
    recordActivity(tx, deps.db, caller.uid, now, { actor: actorOf(caller), action: 'account.emailVerified', details: { email: fresh.email } });
    return updated;
  });
}

/**
 * The caller's own account (DESIGN §5). Provisions it on first call for users created outside
 * the sign-up flow, so every authenticated user has exactly one account document. Refused, like
 * every other customer function, once the account is suspended or its rights have ended
 * (`ACCOUNT_TERMINATED` from the termination date on, before the sweep too: clause 3.2(a)(i)).
 */
export async function getAccount(deps: Deps, caller: Caller): Promise<AccountView> {
  const account = await syncVerification(deps, caller, await loadUsableAccount(deps, caller, 'getAccount'));
  const now = deps.clock.now();
  return toAccountView(account, await loadDueInvoices(deps.db, caller.uid, now), now);
}

/** `getAccount()`: the one function an unverified email user may call (clause 5.2). */
export const getAccountSpec: CallableSpec<unknown, AccountView> = {
  auth: 'required',
  apiKey: true,
  allowUnverified: true,
  input: z.union([z.null(), z.undefined(), z.object({}).strict()]),
  handler: (deps, _input, { caller }) => getAccount(deps, caller as Caller),
};
