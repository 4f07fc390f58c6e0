import { z } from 'zod';
import { actorOf } from '../accounts/activity-log';
import { settingsOf, suspend } from '../accounts/machine';
import { readAccount } from '../accounts/repository';
import { applyChange } from '../accounts/changes';
import { accountResult, type AccountView } from '../accounts/view';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { reasonText, staffNote, targetUid } from '../shared/input';
import { blockSignIn } from './sign-in-access';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';

/** Longest suspension reason, in characters. */
export const MAX_SUSPENSION_REASON_CHARS = 200;

const input = z
  .object({
    uid: targetUid,
    reason: reasonText(MAX_SUSPENSION_REASON_CHARS),
    note: staffNote,
  })
  .strict();
type AdminSuspendInput = z.output<typeof input>;

/**
 * Agreement clause 3.1(b)(ii): OrderPally suspends an account. An `active` or `terminating`
 * account becomes `suspended` (a pending termination is kept, and still takes effect on its
 * date), the activity log and the customer's notice are written in the same transaction; then the
 * Auth user is disabled and its sessions revoked. API keys stop by themselves (they work only for
 * active or terminating accounts). Suspending a suspended account writes nothing and only applies
 * the Auth part again, so retrying repairs a crash between the two steps.
 */
export async function adminSuspendAccount(deps: Deps, caller: Caller, request: AdminSuspendInput): Promise<AccountView> {
  const { account, mailIds, repeated } = await deps.db.runTransaction(async (tx) => {
    const current = await readAccount(deps.db, request.uid, tx);
    const now = deps.clock.now();
    const step = suspend(current, { reason: request.reason, note: request.note, actor: actorOf(caller) }, now, settingsOf(deps.config));
    if (!step) return { account: current, mailIds: [], repeated: true };
    return { account: step.account, mailIds: applyChange(tx, deps, current, step, now), repeated: false };
  });
  await blockSignIn(deps, request.uid);
  deps.log.log('INFO', 'account.suspended', { uid: request.uid, by: caller.uid, repeated });
  await deliverNow(deps, mailIds);
  return accountResult(deps, account);
}

/** `adminSuspendAccount({uid, reason, note})` → Account. Admins only. */
export const adminSuspendAccountSpec: SignedInCallableSpec<AdminSuspendInput, AccountView, z.input<typeof input>> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminSuspendAccount(deps, caller, request),
};
