import { gunzipSync } from 'node:zlib';
import { FieldValue, GeoPoint, Timestamp } from 'firebase-admin/firestore';
import { getDeps } from '../../src/deps';
import { useLocalFunctions } from '../support/local';
import { uniqueEmail } from '../support/client';
import { activity, customer, invoiceData, PASSWORD, resultOf, setStatus, signIn, staff } from '../billing/helpers';
import { exportUrl, get, keyOrder, lines, seed } from './helpers';

const local = useLocalFunctions();
const db = () => getDeps().db;
const url = () => exportUrl(local.server.baseUrl);
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

interface Line {
  path: string;
  data: Record<string, unknown>;
  updateTime: string;
}

let admin: { uid: string; token: string };
beforeAll(async () => {
  admin = await staff('admin');
});

/** A customer with content in every shape the export must handle, and records it must leave out. */
async function storeOwner() {
  const owner = await customer(local.server.baseUrl, 'export');
  const ref = db().doc(`accounts/${owner.uid}/stores/s1/products/p1`);
  await seed(owner.uid, [
    [
      'stores/s1',
      {
        name: '阿嬤的茶\n"舖"',
        open: true,
        rating: 4.5,
        count: 42,
        nothing: null,
        createdAt: Timestamp.fromMillis(Date.UTC(2026, 2, 5, 6, 3, 7, 123)),
        precise: new Timestamp(1_772_690_587, 123_456_000),
        location: new GeoPoint(25.0478, 121.5319),
        featured: ref,
        logo: Buffer.from([0, 1, 2, 250, 255]),
        odd: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
        nested: { tags: ['tea', { deep: Timestamp.fromMillis(0) }], address: { city: '台北', zip: '100' } },
      },
    ],
    ['stores/s1/products/p1', { name: 'Oolong', price: 350 }],
    // Five collection levels below the account, through names that differ at every level.
    ['stores/s1/products/p1/variants/v1/prices/pr1/history/h1', { price: 300 }],
    // A reserved name below the first level is the store's own data, hence content.
    ['stores/s1/invoices/i1', { total: 350 }],
    // Content under a parent document that does not exist.
    ['customers/c1/notes/n1', { text: 'VIP' }],
    ['orders/o1', { total: 700, vector: FieldValue.vector([0.5, 1]) }],
    // Reserved first-level collections: records, not content.
    ['breaches/b1', { description: 'x', status: 'open' }],
    ['recordRequests/r1', { scope: 'all' }],
    ['apiKeys/k1', { label: 'x', hash: 'y' }],
  ]);
  await resultOf(local.server.baseUrl, 'adminRecordInvoice', admin.token, invoiceData(owner.uid, 10));
  return owner;
}

const expectedPaths = (uid: string) =>
  [
    'customers/c1/notes/n1',
    'orders/o1',
    'stores/s1',
    'stores/s1/invoices/i1',
    'stores/s1/products/p1',
    'stores/s1/products/p1/variants/v1/prices/pr1/history/h1',
  ].map((p) => `accounts/${uid}/${p}`);

describe('exportContent over HTTP', () => {
  it('when the owner exports with an ID token, then every content document at any depth is one NDJSON line in key order, and the records are absent', async () => {
    const { uid, token } = await storeOwner();
    const answer = await get(url(), bearer(token));
    expect(answer.status).toBe(200);
    expect(answer.complete).toBe(true);
    expect(answer.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.body.toString('utf8').endsWith('\n')).toBe(true);

    const got = lines(answer.body) as Line[];
    expect(got.map((l) => l.path)).toEqual(expectedPaths(uid));
    for (const line of got) {
      const snap = await db().doc(line.path).get();
      expect(line.updateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.(\d{3}|\d{6}|\d{9})Z$/);
      expect(Date.parse(line.updateTime)).toBe(snap.updateTime?.toMillis());
      expect(Object.keys(line).sort()).toEqual(['data', 'path', 'updateTime']);
    }
    expect(got.find((l) => l.path.endsWith('/history/h1'))?.data).toEqual({ price: 300 });
  });

  it('when values are Firestore types, then they are encoded as documented', async () => {
    const { uid, token } = await storeOwner();
    const got = lines((await get(url(), bearer(token))).body) as Line[];
    expect(got.find((l) => l.path === `accounts/${uid}/stores/s1`)?.data).toEqual({
      name: '阿嬤的茶\n"舖"',
      open: true,
      rating: 4.5,
      count: 42,
      nothing: null,
      createdAt: '2026-03-05T06:03:07.123Z',
      precise: '2026-03-05T06:03:07.123456Z',
      location: { latitude: 25.0478, longitude: 121.5319 },
      featured: `accounts/${uid}/stores/s1/products/p1`,
      logo: Buffer.from([0, 1, 2, 250, 255]).toString('base64'),
      odd: ['NaN', 'Infinity', '-Infinity'],
      nested: { tags: ['tea', { deep: '1970-01-01T00:00:00.000Z' }], address: { city: '台北', zip: '100' } },
    });
    expect(got.find((l) => l.path === `accounts/${uid}/orders/o1`)?.data).toEqual({ total: 700, vector: [0.5, 1] });
  });

  it("when the owner's API key is used, then the same export is served and content.exported is logged with the counts", async () => {
    const { uid, token } = await storeOwner();
    const { key } = await resultOf<{ key: string }>(local.server.baseUrl, 'createApiKey', token, { label: 'backup job' });
    const withToken = lines((await get(url(), bearer(token))).body) as Line[];
    const withKey = await get(url(), { Authorization: `ApiKey ${key}` });
    expect(withKey.status).toBe(200);
    expect(lines(withKey.body)).toEqual(withToken);
    // Written when the last document has been sent, before the response ends.
    const entries = await activity(uid, 'content.');
    expect(entries.map((e) => [e.actor, e.details])).toEqual([
      [{ uid, role: 'customer' }, { documents: 6, collections: { customers: 1, orders: 1, stores: 4 }, complete: true, via: 'idToken' }],
      [{ uid, role: 'customer' }, { documents: 6, collections: { customers: 1, orders: 1, stores: 4 }, complete: true, via: 'apiKey' }],
    ]);
  });

  it('when the request accepts gzip, then the body is gzip and decompresses to the same lines', async () => {
    const { token } = await storeOwner();
    const plain = await get(url(), bearer(token));
    const zipped = await get(url(), { ...bearer(token), 'Accept-Encoding': 'gzip, deflate, br' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(zipped.complete).toBe(true);
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(plain.body.toString('utf8'));
    const refused = await get(url(), { ...bearer(token), 'Accept-Encoding': 'gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('when the account has 3,000 content documents, then all arrive, once each, in key order', async () => {
    const { uid, token } = await customer(local.server.baseUrl, 'export-large');
    const docs: Array<[string, Record<string, unknown>]> = [];
    for (let i = 0; i < 3000; i += 1) {
      const id = String(i).padStart(4, '0');
      docs.push(i % 3 === 0 ? [`orders/o${id}`, { i }] : i % 3 === 1 ? [`stores/s${id.slice(0, 2)}/products/p${id}`, { i }] : [`a-b/x${id}`, { i }]);
    }
    await seed(uid, docs);
    const answer = await get(url(), { ...bearer(token), 'Accept-Encoding': 'gzip' });
    const got = lines(gunzipSync(answer.body)) as Line[];
    const paths = got.map((l) => l.path);
    const expected = docs.map(([p]) => `accounts/${uid}/${p}`).sort(keyOrder);
    expect(paths).toHaveLength(3000);
    expect(paths).toEqual(expected);
    expect(got.map((l) => l.data.i).sort((a, b) => Number(a) - Number(b))).toEqual(docs.map((_, i) => i));
  });

  it('when the account has no content, then 200 with an empty body', async () => {
    const { token } = await customer(local.server.baseUrl, 'export-empty');
    const answer = await get(url(), bearer(token));
    expect([answer.status, answer.body.length, answer.complete]).toEqual([200, 0, true]);
  });

  it('when the user has no account document yet, then it is provisioned and the export is empty', async () => {
    const email = uniqueEmail('export-new');
    await getDeps().auth.createUser({ email, password: PASSWORD, emailVerified: true });
    const { uid, token } = await signIn(email);
    const answer = await get(url(), bearer(token));
    expect([answer.status, answer.body.length]).toEqual([200, 0]);
    expect((await db().collection('accounts').doc(uid).get()).get('status')).toBe('active');
  });
});

describe('exportContent refusals', () => {
  const errorOf = (answer: { body: Buffer }) => (JSON.parse(answer.body.toString('utf8')) as { error: { status: string; message: string; details: Record<string, unknown> } }).error;

  it('when no credentials are sent, then 401 NO_CREDENTIALS with WWW-Authenticate', async () => {
    const answer = await get(url());
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer, ApiKey');
    expect(errorOf(answer)).toMatchObject({ status: 'UNAUTHENTICATED', details: { reason: 'NO_CREDENTIALS' } });
  });

  it.each([
    ['a malformed header', 'MALFORMED_AUTHORIZATION', 'Basic dXNlcjpwYXNz'],
    ['a forged ID token', 'TOKEN_INVALID', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'],
    ['an unknown API key', 'API_KEY_INVALID', `ApiKey opk_${'A'.repeat(43)}`],
  ])('when the request carries %s, then 401 %s', async (_case, reason, authorization) => {
    const answer = await get(url(), { Authorization: authorization });
    expect(answer.status).toBe(401);
    expect(errorOf(answer).details.reason).toBe(reason);
  });

  it('when the API key has been revoked, then 401 API_KEY_REVOKED and nothing is sent', async () => {
    const { token } = await storeOwner();
    const { key, keyId } = await resultOf<{ key: string; keyId: string }>(local.server.baseUrl, 'createApiKey', token, { label: 'old' });
    expect((await get(url(), { Authorization: `ApiKey ${key}` })).status).toBe(200);
    await resultOf(local.server.baseUrl, 'revokeApiKey', token, { keyId });
    const answer = await get(url(), { Authorization: `ApiKey ${key}` });
    expect(answer.status).toBe(401);
    expect(errorOf(answer).details.reason).toBe('API_KEY_REVOKED');
  });

  it('when the account is terminating with an invoice past due, then 402 AMOUNTS_DUE with the amount and the invoices', async () => {
    const { uid, token } = await storeOwner();
    const overdue = invoiceData(uid, -4, { amount: 2500 });
    await resultOf(local.server.baseUrl, 'adminRecordInvoice', admin.token, overdue);
    await setStatus(uid, 'terminating');
    const answer = await get(url(), { ...bearer(token), 'Accept-Encoding': 'gzip' });
    expect(answer.status).toBe(402);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(errorOf(answer)).toEqual({
      status: 'FAILED_PRECONDITION',
      message: expect.stringContaining('3.2(b)') as unknown,
      details: {
        reason: 'AMOUNTS_DUE',
        amountDue: 2500,
        invoices: [{ invoiceId: overdue.invoiceId, amount: 2500, currency: 'TWD', issuedAt: overdue.issuedAt, dueAt: overdue.dueAt }],
      },
    });
    expect(await activity(uid, 'content.')).toEqual([]);
  });

  it.each([
    ['suspended', 403, 'ACCOUNT_SUSPENDED'],
    ['terminated', 410, 'ACCOUNT_TERMINATED'],
  ] as const)('when the account is %s, then %i %s', async (status, code, reason) => {
    const { uid, token } = await storeOwner();
    await setStatus(uid, status);
    const answer = await get(url(), bearer(token));
    expect(answer.status).toBe(code);
    expect(errorOf(answer)).toMatchObject({ status: 'PERMISSION_DENIED', details: { reason } });
  });

  it('when the email address is not verified, then FAILED_PRECONDITION EMAIL_NOT_VERIFIED', async () => {
    const email = uniqueEmail('export-unverified');
    await getDeps().auth.createUser({ email, password: PASSWORD, emailVerified: false });
    const { token } = await signIn(email);
    const answer = await get(url(), bearer(token));
    expect([answer.status, errorOf(answer).details.reason]).toEqual([400, 'EMAIL_NOT_VERIFIED']);
  });

  it('when the method is not GET, then 405 with Allow; a preflight from an allowed origin gets 204, another origin 403', async () => {
    const { token } = await customer(local.server.baseUrl, 'export-method');
    const post = await get(url(), bearer(token), 'POST');
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, OPTIONS']);
    const preflight = await get(url(), { Origin: 'https://app.orderpally.test', 'Access-Control-Request-Method': 'GET' }, 'OPTIONS');
    expect([preflight.status, preflight.headers['access-control-allow-methods']]).toEqual([204, 'GET, OPTIONS']);
    const foreign = await get(url(), { ...bearer(token), Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
  });
});
