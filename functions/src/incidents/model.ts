import type { Timestamp } from 'firebase-admin/firestore';
import type { Locale } from '../accounts/model';
import type { Actor } from '../accounts/activity-log';

/** What a reporter can say an incident is about (DESIGN §5). */
export const INCIDENT_CATEGORIES = ['vulnerability', 'account-compromise', 'data-exposure', 'abuse', 'other'] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

/** Where an incident stands: `received` on arrival, then what support sets. */
export const INCIDENT_STATUSES = ['received', 'triaged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** The statuses staff may set with `adminUpdateIncident`. */
export const STAFF_STATUSES = ['triaged', 'resolved'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

/** Who reported: a contact, and when signed in, the account as it was at the time. */
export interface IncidentReporter {
  /** The signed-in reporter's uid, or null for an anonymous report. */
  uid: string | null;
  /** Where mail to the reporter goes: `contactEmail`, else the account's address; null if neither. */
  email: string | null;
  name: string | null;
  /** Language of the mail to the reporter. */
  locale: Locale;
  /** Signed-in reporters only: what support needs to judge an account-compromise report. */
  account: null | { email: string | null; emailVerified: boolean; status: string; signInProvider: string | null };
}

/** `incidents/{reference}` as stored. Never client-readable: `getIncident` answers its reporter. */
export interface IncidentDoc {
  reference: string;
  category: IncidentCategory;
  summary: string;
  description: string;
  occurredAt: Timestamp | null;
  status: IncidentStatus;
  reporter: IncidentReporter;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** When support was alerted that it was still unanswered 24 hours after it arrived (clause 5.7; once). */
  lateAlertedAt?: Timestamp | null;
}

/** `incidents/{reference}/history/{id}`: one status change, the first being `received`. */
export interface IncidentHistoryDoc {
  at: Timestamp;
  status: IncidentStatus;
  /** The status before this change; null for the first entry. */
  previousStatus: IncidentStatus | null;
  note: string | null;
  actor: Actor;
}
