import { z } from 'zod';
import { accountResult, assertNotTerminated, mailOwner, readTargetAccount } from '../accounts/admin-get-account';
import type { AccountDoc } from '../accounts/model';
import type { AccountView } from '../accounts/view';
import { actorOf, recordActivity } from '../activity/record';
import type { Deps } from '../deps';
import type { Caller } from '../http/auth';
import type { CallableSpec } from '../http/callable';
import { deliverNow } from '../incidents/deliver-now';
import { accountSuspendedMail } from '../mail/templates/account-status';
import { Timestamp } from '../shared/firestore-values';
import { MAX_SUSPENSION_REASON_CHARS, reasonText, staffNote, targetUid } from '../termination/schema';
import { blockSignIn } from './sign-in-access';

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
    const { ref, account: current } = await readTargetAccount(tx, deps, request.uid);
    if (current.status === 'suspended') return { account: current, mailIds: [], repeated: true };
    const now = deps.clock.now();
    assertNotTerminated(current, now);
    const updatedAt = Timestamp.fromDate(now);
    const suspension = { reason: request.reason, since: updatedAt, note: request.note };
    tx.update(ref, { status: 'suspended', suspension, updatedAt });
    recordActivity(tx, deps.db, request.uid, now, {
      actor: actorOf(caller),
      action: 'account.suspended',
      details: { reason: request.reason, note: request.note, previousStatus: current.status },
    });
    const mail = accountSuspendedMail({
      locale: current.locale,
      reason: request.reason,
      since: now,
      terminationEffectiveAt: current.termination?.effectiveAt.toDate() ?? null,
      supportEmail: deps.config.SUPPORT_EMAIL,
    });
    const ids = mailOwner(tx, deps, current, now, 'account.suspended', mail);
    const suspended: AccountDoc = { ...current, status: 'suspended', suspension, updatedAt };
    return { account: suspended, mailIds: ids, repeated: false };
  });
  await blockSignIn(deps, request.uid);
  deps.log.log('INFO', 'account.suspended', { uid: request.uid, by: caller.uid, repeated });
  await deliverNow(deps, mailIds);
  return accountResult(deps, account);
}

/** `adminSuspendAccount({uid, reason, note})` → Account. Admins only. */
export const adminSuspendAccountSpec: CallableSpec<AdminSuspendInput, AccountView> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminSuspendAccount(deps, caller as Caller, request),
};
