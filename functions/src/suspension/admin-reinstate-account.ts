import type { Transaction } from 'firebase-admin/firestore';
import { z } from 'zod';
import { actorOf } from '../accounts/activity-log';
import { reinstate, settingsOf } from '../accounts/machine';
import type { AccountDoc } from '../accounts/model';
import { readAccount } from '../accounts/repository';
import { applyChange } from '../accounts/changes';
import { accountResult, type AccountView } from '../accounts/view';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { optional, staffNote, targetUid } from '../shared/input';
import { allowSignIn, signInBlocked } from './sign-in-access';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';
import { AppError } from '../shared/errors';

const input = z
  .object({
    uid: targetUid,
    note: staffNote,
    withdrawTermination: optional(z.boolean({ error: 'must be true or false' })),
  })
  .strict();
type AdminReinstateInput = z.output<typeof input>;

type Outcome = { changed: false } | { changed: true; account: AccountDoc; wasSuspended: boolean; mailIds: string[] };

/** Writes the reinstatement and/or withdrawal the machine decides, in `tx`. */
async function reinstateIn(tx: Transaction, deps: Deps, caller: Caller, request: AdminReinstateInput): Promise<Outcome> {
  const account = await readAccount(deps.db, request.uid, tx);
  const now = deps.clock.now();
  const step = reinstate(account, { note: request.note, withdrawTermination: request.withdrawTermination, actor: actorOf(caller) }, now, settingsOf(deps.config));
  if (!step) return { changed: false };
  return { changed: true, wasSuspended: step.from === 'suspended', mailIds: applyChange(tx, deps, account, step, now), account: step.account };
}

/**
 * Lifts a suspension (clause 3.1(b)(ii)): the account is `active` again, or `terminating` when a
 * termination is still pending, and the Auth user is enabled. With `withdrawTermination`, a
 * provider termination is also withdrawn before its date (also on an account that is not
 * suspended). Refused for terminated accounts and when there is nothing to do; an account whose
 * Firestore state is already reinstated but whose Auth user is still disabled (a crash between the
 * two steps) only gets the Auth part again.
 */
export async function adminReinstateAccount(deps: Deps, caller: Caller, request: AdminReinstateInput): Promise<AccountView> {
  const outcome = await deps.db.runTransaction((tx) => reinstateIn(tx, deps, caller, request));
  if (!outcome.changed) {
    if (!(await signInBlocked(deps, request.uid))) {
      throw new AppError('NOT_SUSPENDED', `Account ${request.uid} is not suspended. To withdraw a termination, send withdrawTermination: true.`, {
        uid: request.uid,
      });
    }
    await allowSignIn(deps, request.uid);
    deps.log.log('INFO', 'account.reinstated', { uid: request.uid, by: caller.uid, repaired: true });
    return accountResult(deps, await readAccount(deps.db, request.uid));
  }
  if (outcome.wasSuspended) await allowSignIn(deps, request.uid);
  deps.log.log('INFO', 'account.reinstated', { uid: request.uid, by: caller.uid, status: outcome.account.status, withdrawn: request.withdrawTermination === true });
  await deliverNow(deps, outcome.mailIds);
  return accountResult(deps, outcome.account);
}

/** `adminReinstateAccount({uid, note, withdrawTermination?})` → Account. Admins only. */
export const adminReinstateAccountSpec: SignedInCallableSpec<AdminReinstateInput, AccountView, z.input<typeof input>> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminReinstateAccount(deps, caller, request),
};
