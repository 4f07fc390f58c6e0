import fc from 'fast-check';
import { getDeps } from '../../src/deps';
import { createClient, rawCall, type TestClient } from '../support/client';
import { startFunctionsServer, type RunningServer } from '../support/server';
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
        const succeeded = response.status === 200 && response.json !== null && 'result' in response.json;
        const refused =
          response.status >= 400 && response.status < 500 && /^[A-Z_]+$/.test(response.json?.error?.status ?? '');
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
