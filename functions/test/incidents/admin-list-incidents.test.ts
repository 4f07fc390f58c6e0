import { Timestamp } from 'firebase-admin/firestore';
import { getDeps } from '../../src/deps';
import type { IncidentDoc, IncidentStatus } from '../../src/incidents/model';
import type { QueuedIncident } from '../../src/incidents/admin-list-incidents';
import { useLocalFunctions } from '../support/local';
import { call, staffUser, verifiedUser } from './helpers';

/**
 * `adminListIncidents` (clause 5.7): the staff queue, oldest first. The incidents here are dated in
 * 2001, before any other test's, so they open the queue of the shared database in a known order.
 */
const local = useLocalFunctions();
const db = () => getDeps().db;

type Page = { incidents: QueuedIncident[]; nextPageToken: string | null };

// Oldest first: 1, 2, 3, 4, 5 (3 and 4 share their second: the reference breaks the tie).
const SEEDED: Array<[string, string, IncidentStatus]> = [
  ['INC-2001-000001', '2001-01-01T00:00:01Z', 'received'],
  ['INC-2001-000002', '2001-01-01T00:00:02Z', 'triaged'],
  ['INC-2001-000003', '2001-01-01T00:00:03Z', 'received'],
  ['INC-2001-000004', '2001-01-01T00:00:03Z', 'resolved'],
  ['INC-2001-000005', '2001-01-01T00:00:05Z', 'received'],
];

let support: string;

beforeAll(async () => {
  for (const [reference, at, status] of SEEDED) {
    const when = Timestamp.fromDate(new Date(at));
    const doc: IncidentDoc = {
      reference, category: 'abuse', summary: `Report ${reference}`, description: 'x', occurredAt: null, status,
      reporter: { uid: null, email: 'someone@example.test', name: null, locale: 'zh-TW', account: null }, createdAt: when, updatedAt: when,
    };
    await db().collection('incidents').doc(reference).set(doc);
  }
  support = (await staffUser(local.client, 'support')).token;
});

async function list(data: unknown, token = support): Promise<Page> {
  const answer = await call(local.server.baseUrl, 'adminListIncidents', data, { token });
  if (answer.status !== 200) throw new Error(answer.text);
  return answer.json?.result as Page;
}

describe('adminListIncidents', () => {
  it('when staff page through the queue, then the oldest come first, a page at a time, each once', async () => {
    const first = await list({ pageSize: 2 });
    expect(first.incidents.map((i) => i.reference)).toEqual(['INC-2001-000001', 'INC-2001-000002']);
    // lateAlertedAt depends on whether another file's checkIncidents has swept this (old, unanswered) incident yet.
    const { lateAlertedAt, ...oldest } = first.incidents[0] ?? ({} as QueuedIncident);
    expect(oldest).toEqual({
      reference: 'INC-2001-000001', status: 'received', category: 'abuse', summary: 'Report INC-2001-000001',
      createdAt: '2001-01-01T00:00:01.000Z', updatedAt: '2001-01-01T00:00:01.000Z',
      reporter: { uid: null, email: 'someone@example.test', name: null },
    });
    expect(lateAlertedAt === null || typeof lateAlertedAt === 'string').toBe(true);
    const second = await list({ pageSize: 2, pageToken: first.nextPageToken });
    expect(second.incidents.map((i) => i.reference)).toEqual(['INC-2001-000003', 'INC-2001-000004']);
    const third = await list({ pageSize: 1, pageToken: second.nextPageToken });
    expect(third.incidents.map((i) => i.reference)).toEqual(['INC-2001-000005']);
  });

  it('when staff filter by status, then only that status, oldest first, and the token keeps the filter', async () => {
    const first = await list({ status: 'received', pageSize: 2 });
    expect(first.incidents.map((i) => i.reference)).toEqual(['INC-2001-000001', 'INC-2001-000003']);
    const second = await list({ status: 'received', pageSize: 1, pageToken: first.nextPageToken });
    expect(second.incidents.map((i) => i.reference)).toEqual(['INC-2001-000005']);
    const resolved = await list({ status: 'resolved' });
    expect(resolved.incidents.every((i) => i.status === 'resolved')).toBe(true);
    expect(resolved.incidents[0]?.reference).toBe('INC-2001-000004');
    const all = await list({ status: 'triaged', pageSize: 100 });
    expect(all.incidents.map((i) => i.createdAt)).toEqual([...all.incidents.map((i) => i.createdAt)].sort());
  });

  it('when the page token is garbage or was issued for another filter, then INVALID_ARGUMENT BAD_PAGE_TOKEN', async () => {
    const issued = (await list({ status: 'received', pageSize: 1 })).nextPageToken;
    for (const [data, reason] of [
      [{ pageToken: 'not-a-token' }, 'BAD_PAGE_TOKEN'],
      [{ pageToken: Buffer.from('["received",1,2,"../mail/x"]').toString('base64url') }, 'BAD_PAGE_TOKEN'],
      [{ status: 'triaged', pageToken: issued }, 'BAD_PAGE_TOKEN'],
      [{ pageToken: issued }, 'BAD_PAGE_TOKEN'],
      [{ status: 'open' }, 'INVALID_ARGUMENT'],
      [{ pageSize: 0 }, 'INVALID_ARGUMENT'],
      [{ pageSize: 101 }, 'INVALID_ARGUMENT'],
    ] as const) {
      const answer = await call(local.server.baseUrl, 'adminListIncidents', data, { token: support });
      expect({ data, status: answer.status, reason: answer.json?.error?.details?.reason }).toEqual({ data, status: 400, reason });
    }
  });

  it('when a customer or nobody asks, then PERMISSION_DENIED or UNAUTHENTICATED', async () => {
    const customer = await verifiedUser(local.client, 'queue-customer');
    const refused = await call(local.server.baseUrl, 'adminListIncidents', {}, { token: customer.token });
    expect(refused.status).toBe(403);
    expect(refused.json?.error?.details?.reason).toBe('ROLE_REQUIRED');
    expect((await call(local.server.baseUrl, 'adminListIncidents', {})).status).toBe(401);
  });

  it('when an admin calls it with no arguments, then the first page of 20', async () => {
    const admin = await staffUser(local.client, 'admin');
    const page = await list(null, admin.token);
    expect(page.incidents.length).toBeLessThanOrEqual(20);
    expect(page.incidents[0]?.reference).toBe('INC-2001-000001');
  });
});
