import type { DocumentReference } from 'firebase-admin/firestore';
import type { AccountDoc, BreachDoc } from '../accounts/model';
import { recordActivity, SYSTEM_ACTOR } from '../activity/record';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import { addDays, formatTaipei, startOfTaipeiDay, taipeiDate } from '../shared/taipei';
import { beginTermination } from '../termination/begin';

/**
 * What became of an uncured breach:
 * - `terminated`: terminated for cause at once (BREACH_ESCALATION=immediate); finalisation is due;
 * - `scheduled`: termination for cause BREACH_NOTICE_DAYS ahead (BREACH_ESCALATION=notice);
 * - `earlier-kept`: a termination already pending takes effect no later, and stays as it is;
 * - `already-terminated`: the account has ended; the breach is only closed;
 * - `skipped`: the breach is no longer open (cured meanwhile) or not due; nothing written.
 */
export type EscalationOutcome = 'terminated' | 'scheduled' | 'earlier-kept' | 'already-terminated' | 'skipped';

/** What `escalateBreach` did, and the notice it enqueued (if any). */
export interface Escalation {
  readonly outcome: EscalationOutcome;
  readonly uid: string;
  readonly mailIds: string[];
}

/**
 * Clause 3.1(b)(i): a material breach not cured within its cure period ends in termination for
 * cause, by OrderPally. In one transaction the breach becomes `escalated` and, unless the account
 * has ended or an earlier termination is pending, `beginTermination` starts it (immediate, or
 * dated 00:00 Taipei BREACH_NOTICE_DAYS ahead) with its notice mail. Re-reads the breach, so a
 * breach cured a moment ago, or escalated by a concurrent run, is left alone.
 */
export async function escalateBreach(deps: Deps, breachRef: DocumentReference): Promise<Escalation> {
  // The breach lives at accounts/{uid}/breaches/{id}: its path names the account.
  const accountRef = breachRef.parent.parent as DocumentReference;
  const uid = accountRef.id;
  return deps.db.runTransaction(async (tx): Promise<Escalation> => {
    const [breachSnap, accountSnap] = await tx.getAll(breachRef, accountRef);
    const breach = breachSnap?.data() as BreachDoc | undefined;
    const now = deps.clock.now();
    if (!breach || breach.status !== 'open' || breach.cureBy.toMillis() > now.getTime()) return { outcome: 'skipped', uid, mailIds: [] };
    tx.update(breachRef, { status: 'escalated', resolvedAt: Timestamp.fromDate(now) });
    const account = accountSnap?.data() as AccountDoc | undefined;
    if (!account) return { outcome: 'already-terminated', uid, mailIds: [] };

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
      const started = beginTermination(tx, deps, accountRef, account, {
        kind: 'cause',
        initiatedBy: 'provider',
        reason: `Breach ${breachRef.id} not cured by ${formatTaipei(breach.cureBy.toDate(), 'en')}`,
        effectiveAt,
        actor: SYSTEM_ACTOR,
        details: {
          breachId: breachRef.id,
          ...(pending ? { replaced: { kind: pending.kind, effectiveAt: pending.effectiveAt.toDate().toISOString() } } : {}),
        },
      }, now);
      outcome = started.immediate ? 'terminated' : 'scheduled';
      mailIds = started.mailIds;
    }
    recordActivity(tx, deps.db, uid, now, {
      actor: SYSTEM_ACTOR,
      action: 'breach.escalated',
      details: { breachId: breachRef.id, cureBy: breach.cureBy.toDate().toISOString(), outcome },
    });
    return { outcome, uid, mailIds };
  });
}
