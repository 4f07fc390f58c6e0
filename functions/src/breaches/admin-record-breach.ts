import { z } from 'zod';
import { assertNotTerminated } from '../accounts/machine';
import { readTargetAccount } from '../accounts/repository';
import { mailOwner } from '../mail/mail-owner';
import type { BreachDoc } from '../accounts/model';
import { actorOf, recordActivity } from '../accounts/activity-log';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { breachNoticeMail } from '../mail/templates/breach';
import { Timestamp } from '../shared/firestore-values';
import { addDays, startOfTaipeiDay, taipeiDate } from '../shared/taipei';
import { optional, targetUid } from '../shared/input';
import { breachDescription } from './schema';
import { setBreachDeadline } from './deadlines';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';

const input = z
  .object({
    uid: targetUid,
    description: breachDescription,
    cureDays: optional(
      z.number({ error: 'must be a whole number of days from 1 to 365' }).int('must be a whole number of days from 1 to 365').min(1, 'must be at least 1 day').max(365, 'must be at most 365 days'),
    ),
  })
  .strict();
type AdminRecordBreachInput = z.output<typeof input>;

/** What `adminRecordBreach` returns. */
export interface RecordedBreach {
  breachId: string;
  /** ISO-8601 UTC: 00:00 Taipei time on the day after the cure period's last day. */
  cureBy: string;
}

/**
 * The end of a cure period of `cureDays` Taipei calendar days from notice at `now`: the customer
 * has until the end of the `cureDays`-th day after today, so it is 00:00 Taipei the day after.
 */
export function cureByFor(now: Date, cureDays: number): Date {
  return startOfTaipeiDay(addDays(taipeiDate(now), cureDays + 1));
}

/**
 * Agreement clause 3.1(b)(i): staff record a material breach, which opens a cure period
 * (`cureDays`, default `BREACH_CURE_DAYS`). The breach, its activity entry and the notice to the
 * customer are written in one transaction, with the breach's deadline (`breachDeadlines`), from
 * which `processLifecycle` escalates it if still open at `cureBy`. Refused once the account is
 * terminated.
 */
export async function adminRecordBreach(deps: Deps, caller: Caller, request: AdminRecordBreachInput): Promise<RecordedBreach> {
  const cureDays = request.cureDays ?? deps.config.BREACH_CURE_DAYS;
  const { breachId, cureBy, mailIds } = await deps.db.runTransaction(async (tx) => {
    const { ref, account } = await readTargetAccount(tx, deps, request.uid);
    const now = deps.clock.now();
    assertNotTerminated(account, now);
    const cure = cureByFor(now, cureDays);
    const breachRef = ref.collection('breaches').doc();
    const doc: BreachDoc = {
      description: request.description,
      notifiedAt: Timestamp.fromDate(now),
      cureBy: Timestamp.fromDate(cure),
      status: 'open',
      uid: account.uid,
      resolvedAt: null,
      note: null,
    };
    tx.create(breachRef, doc);
    // The sweep escalates from this trusted record, never from a query over breaches (deadlines.ts).
    setBreachDeadline(tx, deps.db, ref.id, breachRef.id, doc.cureBy);
    recordActivity(tx, deps.db, account.uid, now, {
      actor: actorOf(caller),
      action: 'breach.recorded',
      details: { breachId: breachRef.id, description: request.description, cureDays, cureBy: cure.toISOString() },
    });
    const mail = breachNoticeMail({
      locale: account.locale,
      breachId: breachRef.id,
      description: request.description,
      notifiedAt: now,
      cureBy: cure,
      escalation: deps.config.BREACH_ESCALATION,
      noticeDays: deps.config.BREACH_NOTICE_DAYS,
      supportEmail: deps.config.SUPPORT_EMAIL,
    });
    return { breachId: breachRef.id, cureBy: cure, mailIds: mailOwner(tx, deps, account, now, 'breach.notice', mail) };
  });
  deps.log.log('INFO', 'breach.recorded', { uid: request.uid, breachId, cureBy, by: caller.uid });
  await deliverNow(deps, mailIds);
  return { breachId, cureBy: cureBy.toISOString() };
}

/** `adminRecordBreach({uid, description, cureDays?})` → `{breachId, cureBy}`. Admins only. */
export const adminRecordBreachSpec: SignedInCallableSpec<AdminRecordBreachInput, RecordedBreach, z.input<typeof input>> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminRecordBreach(deps, caller, request),
};
