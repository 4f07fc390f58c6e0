import { z } from 'zod';
import { mailOwner, readTargetAccount } from '../accounts/admin-get-account';
import type { BreachDoc } from '../accounts/model';
import { actorOf, recordActivity } from '../activity/record';
import type { Deps } from '../deps';
import type { Caller } from '../http/auth';
import type { CallableSpec } from '../http/callable';
import { AppError } from '../http/errors';
import { deliverNow } from '../incidents/deliver-now';
import { breachResolvedMail } from '../mail/templates/breach';
import { Timestamp } from '../shared/firestore-values';
import { breachId, staffNote, targetUid } from '../termination/schema';
import { breachDeadlineRef } from './deadlines';

const input = z.object({ uid: targetUid, breachId, note: staffNote }).strict();
type AdminResolveBreachInput = z.output<typeof input>;

/** What `adminResolveBreach` returns. */
export interface ResolvedBreach {
  breachId: string;
  status: 'cured';
}

/**
 * Staff record that a breach was cured (clause 3.1(b)(i)): `open` → `cured` with the time and the
 * note, an activity entry and a mail to the customer, in one transaction that also removes the
 * breach's deadline, so the sweep never looks at it again. A breach that is already cured or
 * escalated is refused, so a retried call does not mail twice.
 */
export async function adminResolveBreach(deps: Deps, caller: Caller, request: AdminResolveBreachInput): Promise<ResolvedBreach> {
  const mailIds = await deps.db.runTransaction(async (tx) => {
    const { ref, account } = await readTargetAccount(tx, deps, request.uid);
    const breachRef = ref.collection('breaches').doc(request.breachId);
    const breach = (await tx.get(breachRef)).data() as BreachDoc | undefined;
    if (!breach) {
      throw new AppError('NOT_FOUND', 'BREACH_NOT_FOUND', `Account ${request.uid} has no breach ${request.breachId}.`, { uid: request.uid, breachId: request.breachId });
    }
    if (breach.status !== 'open') {
      throw new AppError('FAILED_PRECONDITION', 'BREACH_NOT_OPEN', `Breach ${request.breachId} is already ${breach.status}.`, {
        breachId: request.breachId,
        status: breach.status,
      });
    }
    const now = deps.clock.now();
    tx.update(breachRef, { status: 'cured', resolvedAt: Timestamp.fromDate(now), note: request.note });
    tx.delete(breachDeadlineRef(deps.db, ref.id, request.breachId));
    recordActivity(tx, deps.db, account.uid, now, {
      actor: actorOf(caller),
      action: 'breach.resolved',
      details: { breachId: request.breachId, status: 'cured', note: request.note },
    });
    const mail = breachResolvedMail({
      locale: account.locale,
      breachId: request.breachId,
      description: breach.description,
      note: request.note,
      resolvedAt: now,
      supportEmail: deps.config.SUPPORT_EMAIL,
    });
    return mailOwner(tx, deps, account, now, 'breach.resolved', mail);
  });
  deps.log.log('INFO', 'breach.resolved', { uid: request.uid, breachId: request.breachId, by: caller.uid });
  await deliverNow(deps, mailIds);
  return { breachId: request.breachId, status: 'cured' };
}

/** `adminResolveBreach({uid, breachId, note})` → `{breachId, status: 'cured'}`. Admins only. */
export const adminResolveBreachSpec: CallableSpec<AdminResolveBreachInput, ResolvedBreach> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminResolveBreach(deps, caller as Caller, request),
};
