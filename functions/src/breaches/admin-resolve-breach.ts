import { z } from 'zod';
import { readTargetAccount } from '../accounts/repository';
import { mailOwner } from '../mail/mail-owner';
import type { BreachDoc } from '../accounts/model';
import { actorOf, recordActivity } from '../accounts/activity-log';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { breachResolvedMail } from '../mail/templates/breach';
import { Timestamp } from '../shared/firestore-values';
import { staffNote, targetUid } from '../shared/input';
import { breachId } from './schema';
import { breachDeadlineRef } from './deadlines';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';
import { AppError } from '../shared/errors';

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
      throw new AppError('BREACH_NOT_FOUND', `Account ${request.uid} has no breach ${request.breachId}.`, { uid: request.uid, breachId: request.breachId });
    }
    if (breach.status !== 'open') {
      throw new AppError('BREACH_NOT_OPEN', `Breach ${request.breachId} is already ${breach.status}.`, {
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
export const adminResolveBreachSpec: SignedInCallableSpec<AdminResolveBreachInput, ResolvedBreach, z.input<typeof input>> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminResolveBreach(deps, caller, request),
};
