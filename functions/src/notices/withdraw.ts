import type { z } from 'zod';
import { actorOf } from '../accounts/activity-log';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import { countRecipients, createFanout, recordAudit } from './announce';
import { advanceFanout, fanoutId } from './fanout';
import { forgetServiceNotices } from './list';
import type { ServiceNoticeDoc } from './model';
import { withdrawInput, type WithdrawInput } from './schema';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';
import { AppError } from '../shared/errors';

/**
 * Staff withdraw an announced notice: it stays listed, marked withdrawn with the reason, and a
 * follow-up goes to every account that is not terminated (the same resumable fan-out).
 */
export async function withdrawServiceNotice(deps: Deps, caller: Caller, input: WithdrawInput): Promise<{ noticeId: string; recipients: number }> {
  const ref = deps.db.collection('serviceNotices').doc(input.noticeId);
  const expected = await countRecipients(deps);
  await deps.db.runTransaction(async (tx) => {
    const notice = (await tx.get(ref)).data() as ServiceNoticeDoc | undefined;
    if (!notice) throw new AppError('NOTICE_NOT_FOUND', `No service notice ${input.noticeId} exists.`);
    if (notice.status === 'withdrawn') throw new AppError('NOTICE_WITHDRAWN', `Service notice ${input.noticeId} is already withdrawn.`);
    const now = deps.clock.now();
    tx.update(ref, { status: 'withdrawn', withdrawnAt: Timestamp.fromDate(now), withdrawalReason: input.reason });
    createFanout(tx, deps, input.noticeId, 'withdrawal', expected, now);
    recordAudit(tx, deps, now, actorOf(caller), 'serviceNotice.withdrawn', { noticeId: input.noticeId, reason: input.reason, recipients: expected });
  });
  forgetServiceNotices(deps);
  deps.log.log('INFO', 'notice.withdrawn', { noticeId: input.noticeId, by: caller.uid });
  await advanceFanout(deps, fanoutId(input.noticeId, 'withdrawal'), { maxMs: 20_000 });
  return { noticeId: input.noticeId, recipients: expected };
}

/** `adminWithdrawServiceNotice({noticeId, reason})` (admin). */
export const adminWithdrawServiceNoticeSpec: SignedInCallableSpec<WithdrawInput, { noticeId: string; recipients: number }, z.input<typeof withdrawInput>> = {
  auth: 'required',
  roles: ['admin'],
  input: withdrawInput,
  handler: (deps, input, { caller }) => withdrawServiceNotice(deps, caller, input),
};
