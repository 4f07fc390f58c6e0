import { getDeps } from '../../src/deps';
import { CHUNK_BYTES } from '../../src/records/bundle';
import { taipeiYear } from '../../src/shared/taipei';
import { activityActions } from '../support/users';
import { useLocalFunctions } from '../support/local';
import { sentTo, waitForMail } from '../support/maildev';
import { callAs, download, owner, recordLines, requestRecordsAs, seedActivity, staff, storedRequest } from './helpers';

/** Records requests fulfilled by staff and downloaded by their owner (agreement clause 5.8). */
const local = useLocalFunctions();
const db = () => getDeps().db;
const base = () => local.server.baseUrl;
const MINUTE = 60_000;

let support: { uid: string; token: string };

beforeAll(async () => {
  support = await staff(local.client, 'support');
});

async function fulfil(reference: string, note?: string) {
  return callAs(base(), support.token, 'adminFulfilRecordRequest', { reference, ...(note ? { note } : {}) });
}

describe('adminFulfilRecordRequest and exportRecords', () => {
  it('when support fulfils a security request, then the owner is mailed how to download and downloads the sign-ins, key use and incidents as NDJSON', async () => {
    const me = await owner(local.client, 'rec-security');
    const now = Date.now();
    await seedActivity(me.uid, 'auth.signIn', new Date(now - 3 * MINUTE), { provider: 'password', ip: '2001:db8::7' });
    await seedActivity(me.uid, 'apiKey.used', new Date(now - 2 * MINUTE), { keyId: 'k1' });
    await seedActivity(me.uid, 'termination.requested', new Date(now - MINUTE));
    const report = await callAs(base(), me.token, 'reportIncident', { category: 'account-compromise', summary: 'Sign-in I did not make', description: 'At 03:12.' });
    const incident = (report.json?.result as { reference: string }).reference;
    const reference = await requestRecordsAs(base(), me.token, { scope: 'security' });

    const answer = await fulfil(reference, 'Attached: <every> sign-in since you joined.');
    expect(answer.status).toBe(200);
    expect(answer.json?.result).toMatchObject({ reference, status: 'fulfilled', counts: { incident: 1, incidentHistory: 1, invoice: 0 } });

    const [mail] = await waitForMail((m) => sentTo(m, me.email) && m.subject === `[${reference}] 您申請的記錄已可下載`);
    expect(mail?.text).toContain(`GET exportRecords?reference=${reference}`);
    expect(mail?.html).toContain('Attached: &lt;every&gt; sign-in since you joined.');

    const first = await download(base(), reference, me.token);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toContain('application/x-ndjson');
    const body = recordLines(first.body);
    // Sign-ins by this test's own sign-in may be on the record too (when another file has the blocking functions registered).
    const activity = body.filter((l) => l.type === 'activity');
    expect(body.map((l) => l.type)).toEqual(['request', ...activity.map(() => 'activity'), 'incident', 'incidentHistory', 'end']);
    expect([...new Set(activity.map((l) => l.data.action))].sort()).toEqual(['apiKey.used', 'auth.signIn']);
    expect(activity.map((l) => l.data.details)).toEqual(expect.arrayContaining([{ provider: 'password', ip: '2001:db8::7' }, { keyId: 'k1' }]));
    expect(body[0]?.data).toMatchObject({ reference, scope: 'security', from: null, to: null });
    expect(body.find((l) => l.type === 'incident')).toMatchObject({
      path: `incidents/${incident}`,
      data: { summary: 'Sign-in I did not make', description: 'At 03:12.', status: 'received', createdAt: expect.stringMatching(/Z$/) as unknown },
    });
    expect(body.find((l) => l.type === 'incidentHistory')?.path).toMatch(new RegExp(`^incidents/${incident}/history/`));
    expect(body.at(-1)?.data).toEqual({ reference, counts: { activity: activity.length, incident: 1, incidentHistory: 1, invoice: 0 } });

    expect(await storedRequest(reference)).toMatchObject({
      status: 'fulfilled',
      fulfilledBy: { uid: support.uid, role: 'support' },
      fulfilmentNote: 'Attached: <every> sign-in since you joined.',
    });
    const actions = await activityActions(me.uid);
    expect(actions).toEqual(expect.arrayContaining(['records.fulfilled', 'records.downloaded']));

    // What was fulfilled is what is downloaded: later activity (this download's own entry too) is not in it.
    await seedActivity(me.uid, 'auth.signIn', new Date(), { provider: 'password' });
    const again = await download(base(), reference, me.token);
    expect(again.body.toString('utf8')).toBe(first.body.toString('utf8'));
  });

  it('when the request asks for all records between two dates, then only what is dated inside those Taipei days (inclusive) is included, invoices too', async () => {
    const me = await owner(local.client, 'rec-dates');
    const year = taipeiYear(new Date()) - 1;
    // Taipei is UTC+8: 16:00 UTC is midnight of the next Taipei day.
    await seedActivity(me.uid, 'before', new Date(`${year}-01-31T15:59:59.999Z`));
    await seedActivity(me.uid, 'first', new Date(`${year}-01-31T16:00:00.000Z`));
    await seedActivity(me.uid, 'last', new Date(`${year}-02-28T15:59:59.999Z`));
    await seedActivity(me.uid, 'after', new Date(`${year}-02-28T16:00:00.000Z`));
    const invoices = db().collection('accounts').doc(me.uid).collection('invoices');
    const invoice = (issued: string) => ({ amount: 1000, currency: 'TWD', issuedAt: new Date(issued), dueAt: new Date(issued), status: 'paid', paidAt: new Date(issued) });
    await invoices.doc('INV-in').set(invoice(`${year}-02-10T02:00:00Z`));
    await invoices.doc('INV-out').set(invoice(`${year}-03-10T02:00:00Z`));
    const reference = await requestRecordsAs(base(), me.token, { scope: 'all', from: `${year}-02-01`, to: `${year}-02-28` });

    expect((await fulfil(reference)).status).toBe(200);
    const body = recordLines((await download(base(), reference, me.token)).body);
    expect(body.filter((l) => l.type === 'activity').map((l) => l.data.action)).toEqual(['first', 'last']);
    expect(body.filter((l) => l.type === 'invoice').map((l) => l.path)).toEqual([`accounts/${me.uid}/invoices/INV-in`]);
    expect(body.filter((l) => l.type === 'invoice')[0]?.data).toMatchObject({ amount: 1000, currency: 'TWD', issuedAt: `${year}-02-10T02:00:00.000Z` });
  });

  it('when the records exceed one chunk, then the download is every chunk in order and nothing is lost', async () => {
    const me = await owner(local.client, 'rec-chunks');
    const start = Date.now() - 60 * MINUTE;
    const padding = 'x'.repeat(600);
    const entries = 1_200;
    for (let i = 0; i < entries; i += 400) {
      const batch = db().batch();
      for (let j = i; j < i + 400; j += 1) {
        batch.set(db().collection('accounts').doc(me.uid).collection('activity').doc(), {
          at: new Date(start + j), actor: { uid: me.uid, role: 'customer' }, action: 'apiKey.used', details: { n: j, padding },
        });
      }
      await batch.commit();
    }
    const reference = await requestRecordsAs(base(), me.token, { scope: 'security' });
    expect((await fulfil(reference)).status).toBe(200);
    const bundle = (await storedRequest(reference)).bundle as { chunks: number; lines: number };
    expect(entries * 600).toBeGreaterThan(CHUNK_BYTES);
    expect(bundle.chunks).toBeGreaterThan(1);
    const body = recordLines((await download(base(), reference, me.token)).body);
    expect(body).toHaveLength(entries + 2);
    expect(bundle.lines).toBe(entries + 2);
    expect(body.slice(1, -1).map((l) => (l.data.details as { n: number }).n)).toEqual(Array.from({ length: entries }, (_, i) => i));
  });

  it('when someone else asks for the reference, then NOT_FOUND, the same as for a reference never issued', async () => {
    const me = await owner(local.client, 'rec-owner');
    const reference = await requestRecordsAs(base(), me.token, { scope: 'activity' });
    expect((await fulfil(reference)).status).toBe(200);
    const stranger = await owner(local.client, 'rec-stranger');

    const theirs = await download(base(), reference, stranger.token);
    const never = await download(base(), 'REC-2001-999999', stranger.token);
    const staffAsk = await download(base(), reference, support.token);
    for (const answer of [theirs, never, staffAsk]) {
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({ error: { status: 'NOT_FOUND', details: { reason: 'RECORD_REQUEST_NOT_FOUND' } } });
    }
    expect(await activityActions(stranger.uid)).not.toContain('records.downloaded');
  });

  it('when the request is not fulfilled yet, then FAILED_PRECONDITION RECORDS_NOT_FULFILLED and nothing is streamed', async () => {
    const me = await owner(local.client, 'rec-pending');
    const reference = await requestRecordsAs(base(), me.token, { scope: 'all' });
    const answer = await download(base(), reference, me.token);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({
      error: { status: 'FAILED_PRECONDITION', message: expect.stringContaining('not been fulfilled yet') as unknown, details: { reason: 'RECORDS_NOT_FULFILLED', status: 'received' } },
    });
  });

  it('when the reference is missing or malformed, then INVALID_ARGUMENT; without a token, UNAUTHENTICATED', async () => {
    const me = await owner(local.client, 'rec-query');
    for (const reference of [null, 'INC-2026-000001', '../mail/x', 'REC-2026-1']) {
      const answer = await download(base(), reference, me.token);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({ error: { status: 'INVALID_ARGUMENT', message: expect.stringContaining('query.reference') as unknown } });
    }
    expect((await download(base(), 'REC-2026-000001')).status).toBe(401);
  });

  it('when a request is fulfilled again, one after the other or two at once, then only one fulfilment counts and one bundle exists', async () => {
    const me = await owner(local.client, 'rec-twice');
    const reference = await requestRecordsAs(base(), me.token, { scope: 'activity' });
    const both = await Promise.all([fulfil(reference, 'first'), fulfil(reference, 'second')]);
    expect(both.map((a) => a.status).sort()).toEqual([200, 400]);
    expect(both.find((a) => a.status === 400)?.json?.error?.details?.reason).toBe('RECORDS_ALREADY_FULFILLED');
    const later = await fulfil(reference, 'third');
    expect(later.json?.error?.details?.reason).toBe('RECORDS_ALREADY_FULFILLED');

    const { bundle } = (await storedRequest(reference)) as { bundle: { id: string; chunks: number } };
    const bundles = await db().collection('recordBundles').where('reference', '==', reference).get();
    expect(bundles.docs.map((d) => d.id)).toEqual([bundle.id]);
    // The loser's chunks are gone: every chunk of this request belongs to the adopted bundle.
    const chunks = await db().collectionGroup('chunks').where('reference', '==', reference).get();
    expect(chunks.docs.map((d) => d.ref.parent.parent?.id)).toEqual(Array.from({ length: bundle.chunks }, () => bundle.id));
    expect((await activityActions(me.uid)).filter((a) => a === 'records.fulfilled')).toHaveLength(1);
  });

  it('when a customer, or staff with an unknown reference, calls adminFulfilRecordRequest, then PERMISSION_DENIED or NOT_FOUND and nothing changes', async () => {
    const me = await owner(local.client, 'rec-self');
    const reference = await requestRecordsAs(base(), me.token, { scope: 'activity' });
    const self = await callAs(base(), me.token, 'adminFulfilRecordRequest', { reference });
    expect(self.status).toBe(403);
    expect(self.json?.error?.details?.reason).toBe('ROLE_REQUIRED');
    const unknown = await fulfil('REC-2001-999998');
    expect(unknown.status).toBe(404);
    expect(unknown.json?.error?.details?.reason).toBe('RECORD_REQUEST_NOT_FOUND');
    expect(await storedRequest(reference)).toMatchObject({ status: 'received' });
  });
});
