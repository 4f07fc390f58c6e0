import type { DocumentReference, DocumentSnapshot, Transaction } from 'firebase-admin/firestore';
import type { AccountDoc, BreachDoc } from '../accounts/model';
import { recordActivity, SYSTEM_ACTOR } from '../accounts/activity-log';
import { accountRef as accountRefOf, recordsOf } from '../accounts/repository';
import { beginTermination } from '../accounts/changes';
import { isTimestamp, readBreachDeadline, type BreachDeadlineDoc } from '../breaches/deadlines';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import { addDays, formatTaipei, startOfTaipeiDay, taipeiDate } from '../shared/taipei';

/**
 * What became of an uncured breach:
 * - `terminated`: terminated for cause at once (BREACH_ESCALATION=immediate); finalisation is due;
 * - `scheduled`: termination for cause BREACH_NOTICE_DAYS ahead (BREACH_ESCALATION=notice);
 * - `earlier-kept`: a termination already pending takes effect no later, and stays as it is;
 * - `already-terminated`: the account has ended; the breach is only closed;
 * - `skipped`: the deadline is gone (handled by a concurrent run) or not due; nothing written;
 * - `inconsistent`: the deadline does not match an open breach of its account; the deadline is
 *   dropped (or moved to the breach's own `cureBy`), nothing else is touched, and it is logged once.
 */
export type EscalationOutcome = 'terminated' | 'scheduled' | 'earlier-kept' | 'already-terminated' | 'skipped' | 'inconsistent';

/** What `escalateBreach` did, and the notice it enqueued (if any). */
export interface Escalation {
  readonly outcome: EscalationOutcome;
  /** The account, from the trusted deadline (null when the deadline was absent or malformed). */
  readonly uid: string | null;
  readonly mailIds: string[];
}

type Inconsistency = 'deadline-malformed' | 'breach-missing' | 'breach-malformed' | 'breach-not-open' | 'account-mismatch' | 'deadline-moved';

interface Decision {
  readonly escalation: Escalation;
  readonly inconsistency?: Inconsistency;
  readonly breachId?: string;
}

const BREACH_STATUSES: ReadonlySet<unknown> = new Set(['open', 'cured', 'escalated']);

/** The breach a snapshot holds, or null when it lacks what escalation reads. */
function wellFormed(snap: DocumentSnapshot | undefined): BreachDoc | null {
  const breach = snap?.data() as Partial<Record<keyof BreachDoc, unknown>> | undefined;
  if (!breach || !BREACH_STATUSES.has(breach.status) || !isTimestamp(breach.cureBy)) return null;
  return breach as unknown as BreachDoc;
}

/**
 * Clause 3.1(b)(i): a material breach not cured within its cure period ends in termination for
 * cause, by OrderPally. `deadlineRef` is a `breachDeadlines` document (breaches/deadlines.ts): the
 * account and the breach come from its fields, which only functions write, never from a path a
 * customer could shape. In one transaction, re-reading the deadline, the real
 * `accounts/{uid}/breaches/{breachId}` and the account: the breach becomes `escalated`, the
 * deadline goes, and unless the account has ended or an earlier termination is pending,
 * `beginTermination` starts it (immediate, or dated 00:00 Taipei BREACH_NOTICE_DAYS ahead) with its
 * notice mail. A breach cured a moment ago, or escalated by a concurrent run, is left alone.
 * Anything inconsistent is skipped, never thrown, so it cannot stall the sweep run after run.
 */
export async function escalateBreach(deps: Deps, deadlineRef: DocumentReference): Promise<Escalation> {
  const decision = await deps.db.runTransaction((tx) => decide(tx, deps, deadlineRef));
  if (decision.inconsistency) {
    // Logged after the commit, so once: the deadline is gone or moved past now.
    deps.log.log('WARNING', 'lifecycle.breach_deadline_inconsistent', { reason: decision.inconsistency, uid: decision.escalation.uid, breachId: decision.breachId ?? null });
  }
  return decision.escalation;
}

async function decide(tx: Transaction, deps: Deps, deadlineRef: DocumentReference): Promise<Decision> {
  const now = deps.clock.now();
  const deadline = readBreachDeadline(await tx.get(deadlineRef));
  if (deadline === null) return { escalation: { outcome: 'skipped', uid: null, mailIds: [] } };
  if (deadline === 'malformed') {
    tx.delete(deadlineRef);
    return { escalation: { outcome: 'inconsistent', uid: null, mailIds: [] }, inconsistency: 'deadline-malformed' };
  }
  const { uid, breachId } = deadline;
  const breachRef = recordsOf(deps.db, uid, 'breaches').doc(breachId);
  const [breachSnap, accountSnap] = await Promise.all([tx.get(breachRef), tx.get(accountRefOf(deps.db, uid))]);
  const inconsistent = (inconsistency: Inconsistency): Decision => ({ escalation: { outcome: 'inconsistent', uid, mailIds: [] }, inconsistency, breachId });

  const breach = wellFormed(breachSnap);
  const account = accountSnap.data();
  let problem: Inconsistency | null = null;
  if (!breachSnap?.exists) problem = 'breach-missing';
  else if (!breach) problem = 'breach-malformed';
  else if (breach.status !== 'open') problem = 'breach-not-open';
  else if (account && account.uid !== uid) problem = 'account-mismatch';
  if (problem || !breach) {
    tx.delete(deadlineRef);
    return inconsistent(problem ?? 'breach-malformed');
  }
  if (breach.cureBy.toMillis() > now.getTime()) {
    // The breach's own date is the truth; the deadline catches up with it.
    if (breach.cureBy.toMillis() === deadline.cureBy.toMillis()) return { escalation: { outcome: 'skipped', uid, mailIds: [] } };
    tx.update(deadlineRef, { cureBy: breach.cureBy } satisfies Partial<BreachDeadlineDoc>);
    return inconsistent('deadline-moved');
  }
  tx.update(breachRef, { status: 'escalated', resolvedAt: Timestamp.fromDate(now) });
  tx.delete(deadlineRef);
  if (!account) return { escalation: { outcome: 'already-terminated', uid, mailIds: [] } };
  return { escalation: terminate(tx, deps, account, breachId, breach, now) };
}

/** The account side of an escalation, once the breach is closed in `tx`. */
function terminate(tx: Transaction, deps: Deps, account: AccountDoc, breachId: string, breach: BreachDoc, now: Date): Escalation {
  const uid = account.uid;
  const effectiveAt = deps.config.BREACH_ESCALATION === 'immediate' ? null : startOfTaipeiDay(addDays(taipeiDate(now), deps.config.BREACH_NOTICE_DAYS));
  const pending = account.termination;
  const keepPending = pending !== null && pending.effectiveAt.toMillis() <= (effectiveAt ?? now).getTime();
  let outcome: EscalationOutcome;
  let mailIds: string[] = [];
  if (account.status === 'terminated') {
    outcome = 'already-terminated';
  } else if (keepPending) {
    outcome = 'earlier-kept';
  } else {
    const started = beginTermination(tx, deps, account, {
      kind: 'cause',
      initiatedBy: 'provider',
      reason: `Breach ${breachId} not cured by ${formatTaipei(breach.cureBy.toDate(), 'en')}`,
      effectiveAt,
      actor: SYSTEM_ACTOR,
      details: {
        breachId,
        ...(pending ? { replaced: { kind: pending.kind, effectiveAt: pending.effectiveAt.toDate().toISOString() } } : {}),
      },
    }, now);
    outcome = started.immediate ? 'terminated' : 'scheduled';
    mailIds = started.mailIds;
  }
  recordActivity(tx, deps.db, uid, now, {
    actor: SYSTEM_ACTOR,
    action: 'breach.escalated',
    details: { breachId, cureBy: breach.cureBy.toDate().toISOString(), outcome },
  });
  return { outcome, uid, mailIds };
}
