import type { Query } from 'firebase-admin/firestore';
import { z } from 'zod';
import type { Actor } from '../accounts/activity-log';
import type { Deps } from '../deps';
import { documentIdPath, type Timestamp } from '../shared/firestore-values';
import { argumentsOrNone, optional } from '../shared/input';
import { iso } from '../shared/time';
import { decodeTimePageToken, encodeTimePageToken } from '../shared/time-page';
import type { SignedInCallableSpec } from '../spec';
import type { RecordRequestDoc, RecordScope } from './model';

const STATUSES = ['received', 'fulfilled'] as const;
// A records-request reference (REC-2026-000042): the id a token may carry.
const REFERENCE = /^REC-\d{4}-\d{1,12}$/;

const input = argumentsOrNone(
  z
    .object({
      status: optional(z.enum(STATUSES)),
      pageSize: optional(z.number().int().min(1).max(100)),
      pageToken: optional(z.string().min(1).max(200)),
    })
    .strict(),
);
type ListInput = z.output<typeof input>;

/** One records request in the staff queue: what was asked, by whom, and where it stands. */
export interface QueuedRecordRequest {
  reference: string;
  uid: string;
  /** Where support answers: the account's address when the request was made. */
  email: string | null;
  scope: RecordScope;
  /** Inclusive Taipei calendar dates, `YYYY-MM-DD`; null for open-ended. */
  from: string | null;
  to: string | null;
  note: string | null;
  status: RecordRequestDoc['status'];
  createdAt: string;
  fulfilledAt: string | null;
  fulfilledBy: Actor | null;
  fulfilmentNote: string | null;
  /** When ops were told it was still unfulfilled after 7 days (clause 5.8), or null. */
  overdueAlertedAt: string | null;
}

function toQueued(doc: RecordRequestDoc): QueuedRecordRequest {
  return {
    reference: doc.reference,
    uid: doc.uid,
    email: doc.email,
    scope: doc.scope,
    from: doc.from,
    to: doc.to,
    note: doc.note,
    status: doc.status,
    createdAt: iso(doc.createdAt),
    fulfilledAt: iso(doc.fulfilledAt ?? null),
    fulfilledBy: doc.fulfilledBy ?? null,
    fulfilmentNote: doc.fulfilmentNote ?? null,
    overdueAlertedAt: iso(doc.overdueAlertedAt ?? null),
  };
}

/**
 * The records-request queue for staff (clause 5.8), oldest first (the longest waiting on top),
 * one page at a time, optionally one status only. The page token is a place in time (when the
 * last request arrived, its reference), so it means the same under any filter.
 */
export async function adminListRecordRequests(deps: Deps, { status, pageSize = 20, pageToken }: ListInput): Promise<{ requests: QueuedRecordRequest[]; nextPageToken: string | null }> {
  let query: Query = deps.db.collection('recordRequests');
  // Index: recordRequests (status, createdAt).
  if (status) query = query.where('status', '==', status);
  query = query.orderBy('createdAt', 'asc').orderBy(documentIdPath(), 'asc');
  if (pageToken) query = query.startAfter(...decodeTimePageToken(pageToken, REFERENCE));
  const snap = await query.limit(pageSize + 1).get();
  const docs = snap.docs.slice(0, pageSize);
  const last = docs.at(-1);
  const more = snap.docs.length > pageSize && last !== undefined;
  return {
    requests: docs.map((d) => toQueued(d.data() as RecordRequestDoc)),
    nextPageToken: more ? encodeTimePageToken(last.get('createdAt') as Timestamp, last.id) : null,
  };
}

/** `adminListRecordRequests({status?, pageSize?, pageToken?})` → `{requests[], nextPageToken}`. Support or admin. */
export const adminListRecordRequestsSpec: SignedInCallableSpec<ListInput, Awaited<ReturnType<typeof adminListRecordRequests>>, z.input<typeof input>> = {
  auth: 'required',
  roles: ['support', 'admin'],
  input,
  handler: (deps, request) => adminListRecordRequests(deps, request),
};
