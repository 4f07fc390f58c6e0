import { z } from 'zod';
import { accountResult, mailOwner } from '../accounts/admin-get-account';
import { loadAccount } from '../accounts/load';
import type { AccountDoc } from '../accounts/model';
import type { AccountView } from '../accounts/view';
import { actorOf, recordActivity } from '../activity/record';
import type { Deps } from '../deps';
import type { Caller } from '../http/auth';
import type { CallableSpec } from '../http/callable';
import { AppError } from '../http/errors';
import { deliverNow } from '../incidents/deliver-now';
import { terminationCancelledMail } from '../mail/templates/termination-change';
import { Timestamp } from '../shared/firestore-values';
import { argumentsOrNone } from './schema';

const input = argumentsOrNone(z.object({}).strict());
type CancelTerminationInput = z.output<typeof input>;

function refused(reason: string, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('FAILED_PRECONDITION', reason, message, details);
}

/**
 * Checks that `account` has a termination its owner may take back: their own termination for
 * convenience (clause 3.1(a)), strictly before it takes effect. Provider terminations are not the
 * customer's to cancel, and once the date is reached the rights have ended (clause 3.2(a)).
 */
function assertCancellable(account: AccountDoc, now: Date): NonNullable<AccountDoc['termination']> {
  const t = account.termination;
  if (account.status === 'suspended') throw refused('ACCOUNT_SUSPENDED', 'This account is suspended; contact support.');
  if (!t) throw refused('NO_TERMINATION', 'This account has no termination to cancel.');
  if (account.status === 'terminated' || t.effectiveAt.toMillis() <= now.getTime()) {
    throw refused('TERMINATION_EFFECTIVE', 'The termination has already taken effect and can no longer be cancelled.', {
      effectiveAt: t.effectiveAt.toDate().toISOString(),
    });
  }
  if (t.kind !== 'convenience' || t.initiatedBy !== 'customer') {
    throw refused('NOT_CANCELLABLE', 'This termination was decided by OrderPally and cannot be cancelled here; contact support.', {
      kind: t.kind,
      initiatedBy: t.initiatedBy,
    });
  }
  return t;
}

/**
 * The customer takes back their termination for convenience before its date: the account is
 * `active` again, `termination` is cleared, the activity log says so and a confirmation is mailed,
 * all in one transaction (so a cancel racing a request leaves a consistent log).
 */
export async function cancelTermination(deps: Deps, caller: Caller): Promise<AccountView> {
  await loadAccount(deps, caller, 'cancelTermination');
  const ref = deps.db.collection('accounts').doc(caller.uid);
  const { account, mailIds } = await deps.db.runTransaction(async (tx) => {
    const current = (await tx.get(ref)).data() as AccountDoc;
    const now = deps.clock.now();
    const cancelled = assertCancellable(current, now);
    const updatedAt = Timestamp.fromDate(now);
    tx.update(ref, { status: 'active', termination: null, updatedAt });
    recordActivity(tx, deps.db, caller.uid, now, {
      actor: actorOf(caller),
      action: 'termination.cancelled',
      details: { kind: cancelled.kind, reason: cancelled.reason, effectiveAt: cancelled.effectiveAt.toDate().toISOString() },
    });
    const mail = terminationCancelledMail({
      locale: current.locale,
      effectiveAt: cancelled.effectiveAt.toDate(),
      cancelledAt: now,
      supportEmail: deps.config.SUPPORT_EMAIL,
    });
    const ids = mailOwner(tx, deps, current, now, 'termination.cancelled', mail);
    return { account: { ...current, status: 'active' as const, termination: null, updatedAt }, mailIds: ids };
  });
  deps.log.log('INFO', 'termination.cancelled', { uid: caller.uid });
  await deliverNow(deps, mailIds);
  return accountResult(deps, account);
}

/** `cancelTermination()` → Account. Signed in and verified. */
export const cancelTerminationSpec: CallableSpec<CancelTerminationInput, AccountView> = {
  auth: 'required',
  input,
  handler: (deps, _request, { caller }) => cancelTermination(deps, caller as Caller),
};
