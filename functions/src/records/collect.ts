import type { Firestore, Query, QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { recordsOf } from '../accounts/repository';
import { encodeValue } from '../content/encode';
import { Timestamp } from '../shared/firestore-values';
import { addDays, startOfTaipeiDay, taipeiDate } from '../shared/taipei';
import type { RecordKind, RecordRequestDoc, RecordScope } from './model';

/** Documents per query while collecting: each page is written out before the next is read. */
const PAGE = 500;

/**
 * What each scope holds (clause 5.8; README "Records requests"). `security` is the sign-ins and
 * API-key records of the activity log (`auth.*`, `apiKey.*`: who got in, and how) and the
 * incidents the account reported; `activity` is the whole activity log; `all` adds the invoices.
 */
const SCOPE_PARTS: Record<RecordScope, { activity: 'all' | 'security' | null; incidents: boolean; invoices: boolean }> = {
  activity: { activity: 'all', incidents: false, invoices: false },
  security: { activity: 'security', incidents: true, invoices: false },
  all: { activity: 'all', incidents: true, invoices: true },
};

const SECURITY_ACTION = /^(auth|apiKey)\./;

/** One NDJSON line: `{"type", "path", "data"}`, values encoded as `exportContent` encodes them. */
export function recordLine(type: RecordKind | 'request' | 'end', path: string, data: unknown): string {
  return `${JSON.stringify({ type, path, data: encodeValue(data) })}\n`;
}

/**
 * The instants a request's Taipei dates cover: from the start of `from` to the end of `to`. An
 * open end is the end of the day the request was made, as its acknowledgement said ("to today").
 */
export function periodOf(request: RecordRequestDoc): { start: Timestamp | null; end: Timestamp } {
  const to = request.to ?? taipeiDate(request.createdAt.toDate());
  return {
    start: request.from ? Timestamp.fromDate(startOfTaipeiDay(request.from)) : null,
    end: Timestamp.fromDate(startOfTaipeiDay(addDays(to, 1))),
  };
}

/** Every document of `query` (ordered by a field), a page at a time, each page after the last one's document. */
async function* pages(query: Query): AsyncGenerator<QueryDocumentSnapshot> {
  let after: QueryDocumentSnapshot | null = null;
  for (;;) {
    const snap = await (after ? query.startAfter(after) : query).limit(PAGE).get();
    yield* snap.docs;
    if (snap.docs.length < PAGE) return;
    after = snap.docs[snap.docs.length - 1] ?? null;
  }
}

function within(query: Query, field: string, period: { start: Timestamp | null; end: Timestamp }): Query {
  const bounded = period.start ? query.where(field, '>=', period.start) : query;
  return bounded.where(field, '<', period.end).orderBy(field);
}

/**
 * The lines of the records `request` asks for, in order: activity entries (oldest first), each
 * incident the account reported followed by its history, then invoices by issue date. Nothing is
 * held beyond one page: each line goes to `emit` before the next is read.
 */
export async function collectRecords(db: Firestore, request: RecordRequestDoc, emit: (kind: RecordKind, line: string) => Promise<void>): Promise<void> {
  const parts = SCOPE_PARTS[request.scope];
  const period = periodOf(request);
  if (parts.activity) {
    for await (const doc of pages(within(recordsOf(db, request.uid, 'activity'), 'at', period))) {
      if (parts.activity === 'security' && !SECURITY_ACTION.test(String(doc.get('action')))) continue;
      await emit('activity', recordLine('activity', doc.ref.path, doc.data()));
    }
  }
  if (parts.incidents) {
    // Index: incidents (reporter.uid, createdAt).
    const reported = db.collection('incidents').where('reporter.uid', '==', request.uid);
    for await (const doc of pages(within(reported, 'createdAt', period))) {
      await emit('incident', recordLine('incident', doc.ref.path, doc.data()));
      for (const entry of (await doc.ref.collection('history').orderBy('at').get()).docs) {
        await emit('incidentHistory', recordLine('incidentHistory', entry.ref.path, entry.data()));
      }
    }
  }
  if (parts.invoices) {
    for await (const doc of pages(within(recordsOf(db, request.uid, 'invoices'), 'issuedAt', period))) {
      await emit('invoice', recordLine('invoice', doc.ref.path, doc.data()));
    }
  }
}
