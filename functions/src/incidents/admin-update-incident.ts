import type { z } from 'zod';
import { Timestamp } from '../shared/firestore-values';
import { findAccount } from '../accounts/repository';
import { actorOf, recordActivity } from '../accounts/activity-log';
import type { Deps } from '../deps';
import { enqueueMail } from '../mail/outbox';
import { incidentStatusMail } from '../mail/templates/incident-status';
import { STATUS_LABELS } from './labels';
import { deliverNow } from '../mail/deliver-now';
import { toIncidentView, type IncidentView } from './get-incident';
import type { IncidentDoc, IncidentHistoryDoc, IncidentStatus, StaffStatus } from './model';
import { adminUpdateIncidentInput, type AdminUpdateIncidentInput } from './schema';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';
import { AppError } from '../shared/errors';

/**
 * The status changes staff may make: triage or resolve a new report, add progress to a triaged
 * one (triaged → triaged, with a note), resolve it, or reopen a resolved one. Resolving twice is
 * refused, so a retried call does not mail the reporter again.
 */
export const TRANSITIONS: Record<IncidentStatus, readonly StaffStatus[]> = {
  received: ['triaged', 'resolved'],
  triaged: ['triaged', 'resolved'],
  resolved: ['triaged'],
};

/**
 * Staff set an incident's status with a note: the incident is updated and a history entry
 * appended, the reporter is mailed the status-update (when there is an address), and the
 * reporter's account, if any, logs it with the staff member as actor. All in one transaction.
 */
export async function adminUpdateIncident(deps: Deps, caller: Caller, input: AdminUpdateIncidentInput): Promise<IncidentView> {
  const incidentRef = deps.db.collection('incidents').doc(input.reference);
  const { view, mailIds } = await deps.db.runTransaction(async (tx) => {
    const doc = (await tx.get(incidentRef)).data() as IncidentDoc | undefined;
    if (!doc) throw new AppError('INCIDENT_NOT_FOUND', `No incident ${input.reference} exists.`, { reference: input.reference });
    const { uid } = doc.reporter;
    const account = uid ? await findAccount(deps.db, uid, tx) : undefined;
    if (!TRANSITIONS[doc.status].includes(input.status)) {
      throw new AppError(
        'INCIDENT_TRANSITION_NOT_ALLOWED',
        `Incident ${input.reference} is already ${doc.status}; from there it can go to: ${TRANSITIONS[doc.status].join(', ')}.`,
        { reference: input.reference, status: doc.status },
      );
    }
    const now = deps.clock.now();
    const at = Timestamp.fromDate(now);
    const actor = actorOf(caller);
    const history: IncidentHistoryDoc = { at, status: input.status, previousStatus: doc.status, note: input.note, actor };
    tx.update(incidentRef, { status: input.status, updatedAt: at });
    tx.create(incidentRef.collection('history').doc(), history);
    const ids: string[] = [];
    if (doc.reporter.email) {
      const locale = account?.locale ?? doc.reporter.locale;
      const mail = incidentStatusMail({
        locale,
        reference: doc.reference,
        statusLabel: STATUS_LABELS[locale][input.status],
        resolved: input.status === 'resolved',
        note: input.note,
        updatedAt: now,
        supportEmail: deps.config.SUPPORT_EMAIL,
      });
      ids.push(enqueueMail(tx, deps.db, now, { kind: 'incident.status', to: doc.reporter.email, related: `incidents/${doc.reference}`, ...mail }));
    }
    if (uid && account) {
      recordActivity(tx, deps.db, uid, now, {
        actor,
        action: 'incident.updated',
        details: { reference: doc.reference, status: input.status, previousStatus: doc.status, note: input.note },
      });
    }
    return { view: toIncidentView({ ...doc, status: input.status, updatedAt: at }), mailIds: ids };
  });
  deps.log.log('INFO', 'incident.updated', { reference: view.reference, status: view.status, by: caller.uid, role: caller.role });
  await deliverNow(deps, mailIds);
  return view;
}

/** `adminUpdateIncident({reference, status, note})` → the incident's view. Support or admin. */
export const adminUpdateIncidentSpec: SignedInCallableSpec<AdminUpdateIncidentInput, IncidentView, z.input<typeof adminUpdateIncidentInput>> = {
  auth: 'required',
  roles: ['support', 'admin'],
  input: adminUpdateIncidentInput,
  handler: (deps, input, { caller }) => adminUpdateIncident(deps, caller, input),
};
