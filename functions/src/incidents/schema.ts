import { z } from 'zod';
import { LOCALES } from '../shared/locale';
import { emailAddress, MAX_NOTE_CHARS, multiLineText, optional, singleLineText } from '../shared/input';
import { INCIDENT_CATEGORIES, STAFF_STATUSES } from './model';
import { referencePattern } from './reference';

/** Limits of `reportIncident`, in characters (code points). */
export const INCIDENT_LIMITS = { summary: 200, description: 20_000, contactName: 100 } as const;

/** `reportIncident` input (DESIGN §5), plus an optional `locale` for mail to anonymous reporters. */
export const reportIncidentInput = z
  .object({
    category: z.enum(INCIDENT_CATEGORIES),
    summary: singleLineText(INCIDENT_LIMITS.summary),
    description: multiLineText(INCIDENT_LIMITS.description),
    occurredAt: optional(z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time, e.g. 2026-03-05T14:03:00+08:00' })),
    contactEmail: optional(emailAddress),
    contactName: optional(singleLineText(INCIDENT_LIMITS.contactName)),
    locale: optional(z.enum(LOCALES)),
  })
  .strict();
export type ReportIncidentInput = z.output<typeof reportIncidentInput>;

const incidentReference = z.string().regex(referencePattern('INC'), 'must be an incident reference such as INC-2026-000123');

/** `getIncident` input. */
export const getIncidentInput = z.object({ reference: incidentReference }).strict();

/** `adminUpdateIncident` input. */
export const adminUpdateIncidentInput = z
  .object({
    reference: incidentReference,
    status: z.enum(STAFF_STATUSES),
    note: multiLineText(MAX_NOTE_CHARS),
  })
  .strict();
export type AdminUpdateIncidentInput = z.output<typeof adminUpdateIncidentInput>;
