import type { Transaction } from 'firebase-admin/firestore';
import { z } from 'zod';
import { accountResult, mailOwner, readTargetAccount } from '../accounts/admin-get-account';
import type { AccountDoc } from '../accounts/model';
import type { AccountView } from '../accounts/view';
import { actorOf, recordActivity } from '../activity/record';
import type { Deps } from '../deps';
import type { Caller } from '../http/auth';
import type { CallableSpec } from '../http/callable';
import { AppError } from '../http/errors';
import { deliverNow } from '../incidents/deliver-now';
import { accountReinstatedMail } from '../mail/templates/account-status';
import { terminationWithdrawnMail } from '../mail/templates/termination-change';
import { Timestamp } from '../shared/firestore-values';
import { optional, staffNote, targetUid } from '../termination/schema';
import { allowSignIn, signInBlocked } from './sign-in-access';
import { assertWithdrawable } from './withdraw';

const input = z
  .object({
    uid: targetUid,
    note: staffNote,
    withdrawTermination: optional(z.boolean({ error: 'must be true or false' })),
  })
  .strict();
type AdminReinstateInput = z.output<typeof input>;

type Outcome = { changed: false } | { changed: true; account: AccountDoc; wasSuspended: boolean; mailIds: string[] };

/** Writes the reinstatement and/or withdrawal decided by `adminReinstateAccount`, in `tx`. */
async function reinstateIn(tx: Transaction, deps: Deps, caller: Caller, request: AdminReinstateInput): Promise<Outcome> {
  const { ref, account } = await readTargetAccount(tx, deps, request.uid);
  if (account.status === 'terminated') {
    throw new AppError('FAILED_PRECONDITION', 'ALREADY_TERMINATED', `Account ${account.uid} is already terminated.`, { uid: account.uid, status: account.status });
  }
  const now = deps.clock.now();
  const withdrawn = request.withdrawTermination ? assertWithdrawable(account, now) : null;
  const wasSuspended = account.status === 'suspended';
  if (!wasSuspended && !withdrawn) return { changed: false };
  const termination = withdrawn ? null : account.termination;
  // A termination whose date has passed while suspended stays: processLifecycle finalises it.
  const status = termination ? 'terminating' : 'active';
  const updatedAt = Timestamp.fromDate(now);
  tx.update(ref, { status, suspension: null, termination, updatedAt });
  const actor = actorOf(caller);
  const mailIds: string[] = [];
  const supportEmail = deps.config.SUPPORT_EMAIL;
  if (wasSuspended) {
    const previous = account.suspension;
    recordActivity(tx, deps.db, account.uid, now, {
      actor,
      action: 'account.reinstated',
      details: { note: request.note, status, suspension: previous && { reason: previous.reason, since: previous.since.toDate().toISOString() } },
    });
    const mail = accountReinstatedMail({ locale: account.locale, reinstatedAt: now, terminationEffectiveAt: termination?.effectiveAt.toDate() ?? null, supportEmail });
    mailIds.push(...mailOwner(tx, deps, account, now, 'account.reinstated', mail));
  }
  if (withdrawn) {
    const effectiveAt = withdrawn.effectiveAt.toDate();
    recordActivity(tx, deps.db, account.uid, now, {
      actor,
      action: 'termination.withdrawn',
      details: { note: request.note, kind: withdrawn.kind, initiatedBy: withdrawn.initiatedBy, reason: withdrawn.reason, effectiveAt: effectiveAt.toISOString() },
    });
    const mail = terminationWithdrawnMail({ locale: account.locale, kind: withdrawn.kind, effectiveAt, withdrawnAt: now, supportEmail });
    mailIds.push(...mailOwner(tx, deps, account, now, 'termination.withdrawn', mail));
  }
  return { changed: true, wasSuspended, mailIds, account: { ...account, status, suspension: null, termination, updatedAt } };
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
      throw new AppError('FAILED_PRECONDITION', 'NOT_SUSPENDED', `Account ${request.uid} is not suspended. To withdraw a termination, send withdrawTermination: true.`, {
        uid: request.uid,
      });
    }
    await allowSignIn(deps, request.uid);
    deps.log.log('INFO', 'account.reinstated', { uid: request.uid, by: caller.uid, repaired: true });
    const snap = await deps.db.collection('accounts').doc(request.uid).get();
    return accountResult(deps, snap.data() as AccountDoc);
  }
  if (outcome.wasSuspended) await allowSignIn(deps, request.uid);
  deps.log.log('INFO', 'account.reinstated', { uid: request.uid, by: caller.uid, status: outcome.account.status, withdrawn: request.withdrawTermination === true });
  await deliverNow(deps, outcome.mailIds);
  return accountResult(deps, outcome.account);
}

/** `adminReinstateAccount({uid, note, withdrawTermination?})` → Account. Admins only. */
export const adminReinstateAccountSpec: CallableSpec<AdminReinstateInput, AccountView> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminReinstateAccount(deps, caller as Caller, request),
};
