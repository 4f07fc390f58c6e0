import type { Query } from 'firebase-admin/firestore';
import { z } from 'zod';
import type { Deps } from '../deps';
import { AppError } from '../shared/errors';
import { documentIdPath, Timestamp } from '../shared/firestore-values';
import { argumentsOrNone, optional } from '../shared/input';
import { iso } from '../shared/time';
import type { SignedInCallableSpec } from '../spec';
import { INCIDENT_STATUSES, type IncidentDoc, type IncidentStatus } from './model';
import { referencePattern } from './reference';

const input = argumentsOrNone(
  z
    .object({
      status: optional(z.enum(INCIDENT_STATUSES)),
      pageSize: optional(z.number().int().min(1).max(100)),
      pageToken: optional(z.string().min(1).max(300)),
    })
    .strict(),
);
type ListInput = z.output<typeof input>;

/** One incident in the staff queue: enough to triage without opening it. */
export interface QueuedIncident {
  reference: string;
  status: IncidentStatus;
  category: string;
  summary: string;
  createdAt: string;
  updatedAt: string;
  reporter: { uid: string | null; email: string | null; name: string | null };
  /** When support was told it had no reply 24 hours after it arrived (clause 5.7), or null. */
  lateAlertedAt: string | null;
}

// [status filter or null, seconds, nanoseconds, reference]: the filter is part of the cursor, so a
// token cannot be replayed against another filter and skip or repeat incidents.
const cursor = z.tuple([
  z.enum(INCIDENT_STATUSES).nullable(),
  z.number().int(),
  z.number().int().min(0).max(999_999_999),
  z.string().regex(referencePattern('INC')),
]);

function encodeToken(status: IncidentStatus | null, doc: IncidentDoc): string {
  return Buffer.from(JSON.stringify([status, doc.createdAt.seconds, doc.createdAt.nanoseconds, doc.reference])).toString('base64url');
}

function decodeToken(token: string, status: IncidentStatus | null): [Timestamp, string] {
  try {
    const [filter, seconds, nanos, reference] = cursor.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    if (filter !== status) throw new Error('another filter');
    return [Timestamp.of(seconds, nanos), reference];
  } catch {
    throw new AppError('BAD_PAGE_TOKEN', 'pageToken is not one this function issued for this status filter; start again without it.');
  }
}

function toQueued(doc: IncidentDoc): QueuedIncident {
  return {
    reference: doc.reference,
    status: doc.status,
    category: doc.category,
    summary: doc.summary,
    createdAt: iso(doc.createdAt),
    updatedAt: iso(doc.updatedAt),
    reporter: { uid: doc.reporter.uid, email: doc.reporter.email, name: doc.reporter.name },
    lateAlertedAt: iso(doc.lateAlertedAt ?? null),
  };
}

/**
 * The incident queue for staff (clause 5.7), oldest first (the longest waiting on top), one page
 * at a time, optionally only one status. Index: incidents (status, createdAt).
 */
export async function adminListIncidents(deps: Deps, { status, pageSize = 20, pageToken }: ListInput): Promise<{ incidents: QueuedIncident[]; nextPageToken: string | null }> {
  const filter = status ?? null;
  let query: Query = deps.db.collection('incidents');
  if (filter) query = query.where('status', '==', filter);
  query = query.orderBy('createdAt', 'asc').orderBy(documentIdPath(), 'asc');
  if (pageToken) query = query.startAfter(...decodeToken(pageToken, filter));
  const snap = await query.limit(pageSize + 1).get();
  const docs = snap.docs.slice(0, pageSize).map((d) => d.data() as IncidentDoc);
  const last = docs.at(-1);
  const more = snap.docs.length > pageSize && last !== undefined;
  return { incidents: docs.map(toQueued), nextPageToken: more ? encodeToken(filter, last) : null };
}

/** `adminListIncidents({status?, pageSize?, pageToken?})` → `{incidents[], nextPageToken}`. Support or admin. */
export const adminListIncidentsSpec: SignedInCallableSpec<ListInput, Awaited<ReturnType<typeof adminListIncidents>>, z.input<typeof input>> = {
  auth: 'required',
  roles: ['support', 'admin'],
  input,
  handler: (deps, request) => adminListIncidents(deps, request),
};
