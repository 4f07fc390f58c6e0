import fc from 'fast-check';
import { getDeps } from '../../src/deps';
import { callableOutcome, createClient, rawCall, type TestClient } from '../support/client';
import { startFunctionsServer, type RunningServer } from '../support/server';
import { emulatorBlockingToken } from '../support/blocking';
import { adminCreatedUser } from '../support/users';

/**
 * Property: whatever JSON a signed-in customer sends to a callable function, the answer is a
 * well-formed callable response (a 4xx error or a result), never a 500, and a refused call
 * writes nothing.
 */
const CALLABLES = ['getAccount', 'listActivity', 'createApiKey', 'listApiKeys', 'revokeApiKey'] as const;
const RUNS = 60;

let server: RunningServer;
let client: TestClient;
let uid: string;
let token: string;

beforeAll(async () => {
  server = await startFunctionsServer();
  client = createClient(server.port);
  ({ uid, token } = await adminCreatedUser(client));
  await client.call('getAccount');
});
afterAll(async () => {
  await client.close();
  await server.close();
});

/** Every document under accounts/{uid} and the key index, with its update time. */
async function fingerprint(): Promise<string> {
  const db = getDeps().db;
  const account = db.collection('accounts').doc(uid);
  const parts: string[] = [];
  const snap = await account.get();
  parts.push(`${account.path}@${snap.updateTime?.toMillis() ?? 'none'}`);
  for (const sub of await account.listCollections()) {
    for (const doc of (await sub.get()).docs) parts.push(`${doc.ref.path}@${doc.updateTime.toMillis()}`);
  }
  parts.push(`apiKeyIndex:${(await db.collection('apiKeyIndex').count().get()).data().count}`);
  return parts.sort().join('\n');
}

// JSON values, with a bias towards object shapes near the real inputs.
const nearMiss = fc.record(
  {
    label: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.string({ minLength: 61, maxLength: 80 })),
    keyId: fc.oneof(fc.string(), fc.constant('../../x'), fc.integer()),
    pageSize: fc.oneof(fc.integer(), fc.double(), fc.string()),
    pageToken: fc.oneof(fc.string(), fc.base64String()),
    uid: fc.string(),
  },
  { requiredKeys: [] },
);
const garbage = fc.oneof(fc.jsonValue(), nearMiss);

describe.each(CALLABLES)('%s with arbitrary input', (name) => {
  it('when the data is arbitrary JSON, then the answer is never a 500 and a refusal writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(garbage, async (data) => {
        const before = await fingerprint();
        const response = await rawCall(`${server.baseUrl}/${name}`, {
          body: JSON.stringify({ data }),
          headers: { Authorization: `Bearer ${token}` },
        });
        const { succeeded, refused } = callableOutcome(response);
        const wroteNothing = (await fingerprint()) === before;
        // Shown whole on failure: which input, what came back, whether a refusal wrote anything.
        expect({ data, status: response.status, wellFormed: succeeded || refused, refusalWrote: refused && !wroteNothing }).toEqual({
          data,
          status: response.status,
          wellFormed: true,
          refusalWrote: false,
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('when the raw body or Authorization header is arbitrary, then a 4xx, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.string({ maxLength: 100 }), async (body, auth) => {
        const before = await fingerprint();
        const headers: Record<string, string> = {};
        // Header values must be valid ByteStrings; fetch rejects others before sending.
        if (/^[\x20-\x7e]*$/.test(auth)) headers.Authorization = auth;
        const response = await rawCall(`${server.baseUrl}/${name}`, { body, headers });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(await fingerprint()).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });
});

describe.each(['beforeCreate', 'beforeSignIn'] as const)('%s with arbitrary tokens', (name) => {
  it('when the body or the token claims are arbitrary, then a 4xx, never a 500, and no account appears', async () => {
    const url = `${server.baseUrl}/${name}`;
    // Well-formed emulator tokens whose claims are arbitrary, plus plain garbage in place of the token.
    const claims = fc.record({
      event_type: fc.oneof(fc.constant(name), fc.string()),
      sub: fc.oneof(fc.string(), fc.constant('')),
      // Never an allowed method: an allowed one with a consistent record is a legitimate sign-up.
      sign_in_method: fc
        .oneof(fc.constantFrom('google.com', 'anonymous', 'phone', 'custom', 'emailLink'), fc.string())
        .filter((m) => m !== 'password' && m !== 'facebook.com'),
      user_record: fc.oneof(fc.jsonValue(), fc.record({ uid: fc.string(), email: fc.jsonValue() })),
    });
    const body = fc.oneof(
      claims.map((c) => JSON.stringify({ data: { jwt: emulatorBlockingToken(url, { ...c, user_record: c.user_record as never }) } })),
      fc.jsonValue().map((jwt) => JSON.stringify({ data: { jwt } })),
      fc.jsonValue().map((data) => JSON.stringify({ data })),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const before = (await getDeps().db.collection('accounts').count().get()).data().count;
        const response = await rawCall(url, { body: raw });
        const after = (await getDeps().db.collection('accounts').count().get()).data().count;
        expect({ raw, status: response.status >= 400 && response.status < 500, created: after - before }).toEqual({ raw, status: true, created: 0 });
      }),
      { numRuns: RUNS },
    );
  });
});
