import { Timestamp } from 'firebase-admin/firestore';
import type { QueuedRecordRequest } from '../../src/records/admin-list-record-requests';
import type { RecordRequestDoc } from '../../src/records/model';
import { getDeps } from '../../src/deps';
import { callAs, customer, resultOf, staff } from '../billing/helpers';
import { useLocalFunctions } from '../support/local';

/**
 * `adminListRecordRequests` (clause 5.8): the queue staff fulfil from, oldest first. The requests
 * here are dated in 2001, before any other test's, so they open the queue of the shared database.
 */
const local = useLocalFunctions();
const base = () => local.server.baseUrl;
type Page = { requests: QueuedRecordRequest[]; nextPageToken: string | null };

// Oldest first: 1, 2, 3, 4 (2 and 3 share their second: the reference breaks the tie).
const SEEDED: Array<[string, string, RecordRequestDoc['status']]> = [
  ['REC-2001-000001', '2001-01-01T00:00:01Z', 'received'],
  ['REC-2001-000002', '2001-01-01T00:00:02Z', 'fulfilled'],
  ['REC-2001-000003', '2001-01-01T00:00:02Z', 'received'],
  ['REC-2001-000004', '2001-01-01T00:00:04Z', 'received'],
];

let support: string;

beforeAll(async () => {
  for (const [reference, at, status] of SEEDED) {
    const when = Timestamp.fromDate(new Date(at));
    const doc: RecordRequestDoc = {
      reference, uid: 'queue-owner', email: 'owner@example.test', locale: 'zh-TW', scope: 'activity', from: '2000-12-01', to: null,
      note: 'For my accountant', status, createdAt: when,
      ...(status === 'fulfilled' ? { fulfilledAt: when, fulfilledBy: { uid: 'staff-1', role: 'support' }, fulfilmentNote: 'Sent' } : {}),
    };
    await getDeps().db.collection('recordRequests').doc(reference).set(doc);
  }
  support = (await staff('support')).token;
});

const list = (data: unknown, token = support) => resultOf<Page>(base(), 'adminListRecordRequests', token, data);

describe('adminListRecordRequests', () => {
  it('when staff page through the queue, then the oldest come first, a page at a time, each once, with what was asked', async () => {
    const first = await list({ pageSize: 2 });
    // overdueAlertedAt depends on whether another file's checkIncidents has swept this (old, unfulfilled) request yet.
    const { overdueAlertedAt, ...oldest } = first.requests[0] ?? ({} as QueuedRecordRequest);
    expect(oldest).toEqual({
      reference: 'REC-2001-000001', uid: 'queue-owner', email: 'owner@example.test', scope: 'activity', from: '2000-12-01', to: null,
      note: 'For my accountant', status: 'received', createdAt: '2001-01-01T00:00:01.000Z', fulfilledAt: null, fulfilledBy: null, fulfilmentNote: null,
    });
    expect(overdueAlertedAt === null || typeof overdueAlertedAt === 'string').toBe(true);
    expect(first.requests.map((r) => r.reference)).toEqual(['REC-2001-000001', 'REC-2001-000002']);
    expect(first.requests[1]).toMatchObject({ status: 'fulfilled', fulfilledAt: '2001-01-01T00:00:02.000Z', fulfilledBy: { uid: 'staff-1', role: 'support' }, fulfilmentNote: 'Sent' });
    const second = await list({ pageSize: 2, pageToken: first.nextPageToken });
    expect(second.requests.map((r) => r.reference)).toEqual(['REC-2001-000003', 'REC-2001-000004']);
  });

  it('when staff ask for the unfulfilled only, then those, oldest first, across pages', async () => {
    const first = await list({ status: 'received', pageSize: 2 });
    expect(first.requests.map((r) => r.reference)).toEqual(['REC-2001-000001', 'REC-2001-000003']);
    const second = await list({ status: 'received', pageSize: 1, pageToken: first.nextPageToken });
    expect(second.requests.map((r) => r.reference)).toEqual(['REC-2001-000004']);
    const fulfilled = await list({ status: 'fulfilled', pageSize: 100 });
    expect(fulfilled.requests.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(fulfilled.requests.map((r) => r.createdAt)).toEqual([...fulfilled.requests.map((r) => r.createdAt)].sort());
  });

  it('when a real request is made, then it joins the queue as received', async () => {
    const seller = await customer(base(), 'queue');
    const { reference } = await resultOf<{ reference: string }>(base(), 'requestRecords', seller.token, { scope: 'all' });
    let page: Page = await list({ status: 'received', pageSize: 100 });
    const seen: QueuedRecordRequest[] = [...page.requests];
    while (page.nextPageToken && !seen.some((r) => r.reference === reference)) {
      page = await list({ status: 'received', pageSize: 100, pageToken: page.nextPageToken });
      seen.push(...page.requests);
    }
    expect(seen.find((r) => r.reference === reference)).toMatchObject({ uid: seller.uid, email: seller.email, scope: 'all', status: 'received' });
  });

  it('when the input or page token is bad, then INVALID_ARGUMENT or BAD_PAGE_TOKEN and nothing is listed', async () => {
    for (const [data, reason] of [
      [{ pageToken: 'not-a-token' }, 'BAD_PAGE_TOKEN'],
      [{ pageToken: Buffer.from('[1,2,"../mail/x"]').toString('base64url') }, 'BAD_PAGE_TOKEN'],
      [{ status: 'open' }, 'INVALID_ARGUMENT'],
      [{ pageSize: 0 }, 'INVALID_ARGUMENT'],
      [{ pageSize: 101 }, 'INVALID_ARGUMENT'],
      [{ extra: 1 }, 'INVALID_ARGUMENT'],
    ] as const) {
      const answer = await callAs(base(), 'adminListRecordRequests', support, data);
      expect({ data, status: answer.status, reason: answer.json?.error?.details?.reason }).toEqual({ data, status: 400, reason });
    }
  });

  it('when a customer or nobody asks, then PERMISSION_DENIED or UNAUTHENTICATED; an admin with no arguments gets the first 20', async () => {
    const seller = await customer(base(), 'queue-refused');
    const refused = await callAs(base(), 'adminListRecordRequests', seller.token, {});
    expect({ status: refused.status, reason: refused.json?.error?.details?.reason }).toEqual({ status: 403, reason: 'ROLE_REQUIRED' });
    expect((await callAs(base(), 'adminListRecordRequests', null, {})).status).toBe(401);
    const page = await list(null, (await staff('admin')).token);
    expect([page.requests.length <= 20, page.requests[0]?.reference]).toEqual([true, 'REC-2001-000001']);
  });
});
