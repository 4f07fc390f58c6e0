import type { z } from 'zod';
import type { Actor } from '../accounts/activity-log';
import type { Deps } from '../deps';
import { AppError } from '../shared/errors';
import { documentIdPath } from '../shared/firestore-values';
import { iso } from '../shared/time';
import type { SignedInCallableSpec } from '../spec';
import type { IncidentCategory, IncidentDoc, IncidentHistoryDoc, IncidentReporter, IncidentStatus } from './model';
import { getIncidentInput } from './schema';

/** One status change of an incident: the first is its arrival (`received`, by the reporter or the system). */
export interface IncidentHistoryEntry {
  at: string;
  status: IncidentStatus;
  previousStatus: IncidentStatus | null;
  note: string | null;
  /** Who made the change: the reporter (`customer`), staff (`support`/`admin`) or `system` for an anonymous report. */
  by: Actor;
}

/** An incident as staff see it: what was reported, as stored, who reported it, and every status change. */
export interface StaffIncidentView {
  reference: string;
  status: IncidentStatus;
  category: IncidentCategory;
  summary: string;
  description: string;
  occurredAt: string | null;
  createdAt: string;
  updatedAt: string;
  reporter: IncidentReporter;
  lateAlertedAt: string | null;
  /** Oldest first; the latest `HISTORY_SHOWN` changes when there are more. */
  history: IncidentHistoryEntry[];
  /** True when older changes than those in `history` exist. */
  historyTruncated: boolean;
}

/** Status changes shown at most: far more than any real incident gets, but a bound on the answer. */
export const HISTORY_SHOWN = 200;

/**
 * Staff open an incident (clause 5.7): its text exactly as the reporter wrote it (the console must
 * escape it when showing it), the reporter, and its history, which `reportIncident` and
 * `adminUpdateIncident` append to in the same transaction as each change.
 */
export async function adminGetIncident(deps: Deps, reference: string): Promise<StaffIncidentView> {
  const ref = deps.db.collection('incidents').doc(reference);
  const [snap, changes] = await Promise.all([
    ref.get(),
    ref.collection('history').orderBy('at', 'desc').orderBy(documentIdPath(), 'desc').limit(HISTORY_SHOWN + 1).get(),
  ]);
  const doc = snap.data() as IncidentDoc | undefined;
  if (!doc) throw new AppError('INCIDENT_NOT_FOUND', `No incident ${reference} exists.`, { reference });
  const history = changes.docs.slice(0, HISTORY_SHOWN).reverse().map((d) => {
    const h = d.data() as IncidentHistoryDoc;
    return { at: iso(h.at), status: h.status, previousStatus: h.previousStatus, note: h.note, by: h.actor };
  });
  return {
    reference: doc.reference,
    status: doc.status,
    category: doc.category,
    summary: doc.summary,
    description: doc.description,
    occurredAt: iso(doc.occurredAt),
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
    reporter: { uid: doc.reporter.uid, email: doc.reporter.email, name: doc.reporter.name, locale: doc.reporter.locale, account: doc.reporter.account },
    lateAlertedAt: iso(doc.lateAlertedAt ?? null),
    history,
    historyTruncated: changes.docs.length > HISTORY_SHOWN,
  };
}

/** `adminGetIncident({reference})` → the incident with its reporter and history. Support or admin. */
export const adminGetIncidentSpec: SignedInCallableSpec<z.output<typeof getIncidentInput>, StaffIncidentView, z.input<typeof getIncidentInput>> = {
  auth: 'required',
  roles: ['support', 'admin'],
  input: getIncidentInput,
  handler: (deps, { reference }) => adminGetIncident(deps, reference),
};
