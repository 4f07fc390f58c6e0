import { z } from 'zod';
import { LOCALES } from '../accounts/model';
import { isSafeAddress } from '../mail/outbox';
import { INCIDENT_CATEGORIES, STAFF_STATUSES } from './model';
import { referencePattern } from './reference';

/**
 * Lengths are counted in Unicode code points, as people count characters: an emoji counts once
 * (it is two UTF-16 units). The same rule as API key labels.
 */
export function codePointLength(s: string): number {
  return [...s].length;
}

// C0/C1 controls (tab and newlines included), Unicode line/paragraph separators and the bidi
// embedding/override/isolate controls that can make text display as something it is not.
const LINE_BREAKING = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
// In multi-line text: C0/C1 controls except tab, LF and CR.
const NON_TEXT_CONTROLS = /(?![\t\n\r])\p{Cc}/u;
// A UTF-16 surrogate not part of a pair: not a character, and not storable as UTF-8.
const LONE_SURROGATE = /\p{Cs}/u;

function bounded(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    // Cheap first: a string longer than 2×max UTF-16 units has more than max code points.
    .refine((s) => s.length <= max || (s.length <= 2 * max && codePointLength(s) <= max), `must be at most ${max.toLocaleString('en-US')} characters`)
    .refine((s) => !LONE_SURROGATE.test(s), 'must be valid Unicode text');
}

/** One line of text (a summary, a name): trimmed, 1–`max` characters, no control characters. */
export function singleLineText(max: number) {
  return bounded(max).refine((s) => !LINE_BREAKING.test(s), 'must be a single line without control characters');
}

/** Free text (a description, a note): trimmed, 1–`max` characters, line breaks and tabs allowed. */
export function multiLineText(max: number) {
  return bounded(max).refine((s) => !NON_TEXT_CONTROLS.test(s), 'must not contain control characters other than line breaks and tabs');
}

/** A contact address that can go into a mail header as it is. */
export const contactEmailSchema = z
  .string()
  .trim()
  .refine(isSafeAddress, 'must be one plain email address, such as name@example.com');

/** Limits of `reportIncident`, in characters (code points). */
export const INCIDENT_LIMITS = { summary: 200, description: 20_000, contactName: 100 } as const;

/** Longest staff note or customer note, in characters. */
export const MAX_NOTE_CHARS = 2_000;

const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/** `reportIncident` input (DESIGN §5), plus an optional `locale` for mail to anonymous reporters. */
export const reportIncidentInput = z
  .object({
    category: z.enum(INCIDENT_CATEGORIES),
    summary: singleLineText(INCIDENT_LIMITS.summary),
    description: multiLineText(INCIDENT_LIMITS.description),
    occurredAt: optional(z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time, e.g. 2026-03-05T14:03:00+08:00' })),
    contactEmail: optional(contactEmailSchema),
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
