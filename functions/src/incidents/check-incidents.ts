import type { Timestamp } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { incidentLateMail } from '../mail/templates/incident-late';
import { recordsOverdueMail } from '../mail/templates/records-overdue';
import { DAY_MS } from '../shared/input';
import { workBudgetMs, type ScheduledHandler } from '../spec';
import { CATEGORY_LABELS } from './labels';
import type { IncidentDoc } from './model';
import { sweepOverdue, type OverdueQueue } from './overdue-sweep';

/** The acknowledgement promises a reply within this many hours (clause 5.7). */
export const INCIDENT_REPLY_HOURS = 24;
/** Days a records request may wait before ops hear of it (clause 5.8). */
export const RECORDS_FULFIL_DAYS = 7;

/** An incident with no staff update (still `received`) 24 hours after it arrived: support is told, naming it. */
const lateIncidents = (deps: Deps): OverdueQueue => ({
  collection: 'incidents',
  waitMs: INCIDENT_REPLY_HOURS * 3_600_000,
  marker: 'lateAlertedAt',
  alert: (data) => {
    const doc = data as IncidentDoc;
    return {
      kind: 'incident.late',
      to: deps.config.SUPPORT_EMAIL,
      replyTo: doc.reporter.email,
      related: `incidents/${doc.reference}`,
      ...incidentLateMail({
        reference: doc.reference,
        categoryLabel: CATEGORY_LABELS['zh-TW'][doc.category],
        summary: doc.summary,
        reportedAt: doc.createdAt.toDate(),
        hours: INCIDENT_REPLY_HOURS,
        replyTo: doc.reporter.email,
      }),
    };
  },
});

/**
 * A records request still `received` 7 days after it was made: ops are told. The request's shape
 * is read loosely here: records/ builds on this folder (references), so this one cannot import it.
 */
const overdueRecordRequests = (deps: Deps): OverdueQueue => ({
  collection: 'recordRequests',
  waitMs: RECORDS_FULFIL_DAYS * DAY_MS,
  marker: 'overdueAlertedAt',
  alert: (data) => {
    const doc = data as { reference: string; uid: string; scope: string; createdAt: Timestamp };
    return {
      kind: 'records.overdue',
      to: deps.config.OPS_EMAIL,
      related: `recordRequests/${doc.reference}`,
      ...recordsOverdueMail({ ...doc, requestedAt: doc.createdAt.toDate(), days: RECORDS_FULFIL_DAYS, projectId: deps.config.GCLOUD_PROJECT }),
    };
  },
});

/** What one `checkIncidents` run did. */
export interface CheckIncidentsSummary {
  /** Incidents support was alerted about by this run (references). */
  lateIncidents: string[];
  /** Records requests ops were alerted about by this run (references). */
  overdueRecordRequests: string[];
  /** True when the time budget ended the run before both queues were read to their end. */
  stoppedEarly: boolean;
}

/**
 * One sweep of the support queue (clauses 5.7 and 5.8): unanswered incidents alert support,
 * unfulfilled records requests alert ops, each item once. Both queues share the time budget,
 * incidents first (their promise is the shorter). Run hourly (functions/src/manifest.ts).
 */
export async function checkIncidents(deps: Deps, { maxMs }: { maxMs: number }): Promise<CheckIncidentsSummary> {
  const deadline = performance.now() + maxMs;
  const incidents = await sweepOverdue(deps, lateIncidents(deps), deadline);
  const records = await sweepOverdue(deps, overdueRecordRequests(deps), deadline);
  await deliverNow(deps, [...incidents.mailIds, ...records.mailIds]);
  const summary = { lateIncidents: incidents.alerted, overdueRecordRequests: records.alerted, stoppedEarly: !incidents.complete || !records.complete };
  if (summary.lateIncidents.length > 0) deps.log.log('WARNING', 'incidents.late', { references: summary.lateIncidents });
  if (summary.overdueRecordRequests.length > 0) deps.log.log('ERROR', 'records.overdue', { references: summary.overdueRecordRequests });
  return summary;
}

/** `checkIncidents`, as the scheduled function runs it: half the declared timeout is kept to finish. */
export const checkIncidentsSpec: ScheduledHandler<CheckIncidentsSummary> = (deps, context) => checkIncidents(deps, { maxMs: workBudgetMs(context, 1 / 2) });
