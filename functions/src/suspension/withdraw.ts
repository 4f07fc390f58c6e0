import type { AccountDoc } from '../accounts/model';
import { AppError } from '../http/errors';

function refused(reason: string, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('FAILED_PRECONDITION', reason, message, details);
}

/**
 * Checks that staff may withdraw the account's pending termination: one OrderPally decided
 * (clause 3.1(a) with notice, 3.1(b)), strictly before its date. A customer's own termination is
 * theirs to cancel (`cancelTermination`), and a contract-end one follows `contract.endsAt`
 * (change that with `adminSetContract`).
 * @returns the termination to withdraw.
 * @throws AppError FAILED_PRECONDITION `NO_TERMINATION`, `TERMINATION_EFFECTIVE` or `NOT_WITHDRAWABLE`.
 */
export function assertWithdrawable(account: AccountDoc, now: Date): NonNullable<AccountDoc['termination']> {
  const t = account.termination;
  if (!t) throw refused('NO_TERMINATION', `Account ${account.uid} has no termination to withdraw.`, { uid: account.uid });
  const details = { uid: account.uid, kind: t.kind, initiatedBy: t.initiatedBy, effectiveAt: t.effectiveAt.toDate().toISOString() };
  if (t.effectiveAt.toMillis() <= now.getTime()) {
    throw refused('TERMINATION_EFFECTIVE', 'The termination has already taken effect and can no longer be withdrawn.', details);
  }
  if (t.initiatedBy !== 'provider' || t.kind === 'contract-end') {
    throw refused(
      'NOT_WITHDRAWABLE',
      t.kind === 'contract-end'
        ? 'A contract-end termination follows contract.endsAt: change it with adminSetContract.'
        : 'This termination was requested by the customer: only they can cancel it (cancelTermination).',
      details,
    );
  }
  return t;
}
