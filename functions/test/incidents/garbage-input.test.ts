import fc from 'fast-check';
import { getDeps } from '../../src/deps';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../src/incidents/model';
import { INCIDENT_RATE_LIMITS } from '../../src/incidents/report-incident';
import { RECORD_SCOPES } from '../../src/records/model';
import { RECORDS_RATE_LIMIT } from '../../src/records/request-records';
import { bucketId, ipBucketKey } from '../../src/shared/rate-limit';
import { callableOutcome, createClient, rawCall, type TestClient } from '../support/client';
import { startFunctionsServer, type RunningServer } from '../support/server';
import { anonymousReport, call, staffUser, uniqueIp } from './helpers';

/**
 * Property (as functions/test/properties/garbage-input.test.ts, for incidents and records):
 * whatever JSON a caller sends, the answer is a well-formed callable response, never a 500, and a
 * refused call writes nothing. The caller is a verified user with the `support` role, so every
 * function gets past authentication and the input itself is what is tested.
 */
const CALLABLES = ['reportIncident', 'getIncident', 'adminUpdateIncident', 'requestRecords'] as const;
const RUNS = 40;

let server: RunningServer;
let client: TestClient;
let uid: string;
let token: string;
/** A real incident, so that near-miss updates and look-ups sometimes hit something. */
let reference: string;
/** The client IP of this file's anonymous calls. */
const ip = uniqueIp();

beforeAll(async () => {
  server = await startFunctionsServer();
  client = createClient(server.port);
  ({ uid, token } = await staffUser(client, 'support'));
  await client.call('getAccount');
  const answer = await call(server.baseUrl, 'reportIncident', anonymousReport(), { ip: uniqueIp() });
  reference = (answer.json?.result as { reference: string }).reference;
});
afterAll(async () => {
  await client.close();
  await server.close();
});

/**
 * Everything a call from this file could write: the caller's account and its subcollections, the
 * incidents and record requests filed under its uid, its rate-limit buckets and this file's IP
 * bucket (charged by any anonymous report in the same transaction as the report), and the seeded
 * incident with its history. Each with its update time.
 */
async function fingerprint(): Promise<string> {
  const db = getDeps().db;
  const parts: string[] = [];
  const add = (path: string, time: { toMillis(): number } | undefined) => parts.push(`${path}@${time?.toMillis() ?? 'none'}`);
  const account = db.collection('accounts').doc(uid);
  add(account.path, (await account.get()).updateTime);
  for (const sub of await account.listCollections()) for (const doc of (await sub.get()).docs) add(doc.ref.path, doc.updateTime);
  for (const doc of (await db.collection('incidents').where('reporter.uid', '==', uid).get()).docs) add(doc.ref.path, doc.updateTime);
  for (const doc of (await db.collection('recordRequests').where('uid', '==', uid).get()).docs) add(doc.ref.path, doc.updateTime);
  const buckets = [
    bucketId(INCIDENT_RATE_LIMITS.uid, uid),
    bucketId(RECORDS_RATE_LIMIT, uid),
    bucketId(INCIDENT_RATE_LIMITS.ip, ipBucketKey(ip)),
  ];
  for (const id of buckets) add(`rateLimits/${id}`, (await db.collection('rateLimits').doc(id).get()).updateTime);
  const incident = db.collection('incidents').doc(reference);
  add(incident.path, (await incident.get()).updateTime);
  parts.push(`history:${(await incident.collection('history').count().get()).data().count}`);
  return parts.sort().join('\n');
}

/** JSON values, biased towards shapes near the real inputs of these four functions. */
function garbage() {
  const near = fc.record(
    {
      category: fc.oneof(fc.constantFrom(...INCIDENT_CATEGORIES), fc.string()),
      summary: fc.oneof(fc.string(), fc.string({ minLength: 201, maxLength: 210 }), fc.constant('a\r\nBcc: x@example.test'), fc.constant('<script>x</script>')),
      description: fc.oneof(fc.string(), fc.jsonValue(), fc.constant('\u0000'), fc.constant('\ud800')),
      occurredAt: fc.oneof(
        fc.string(),
        fc.integer(),
        fc.date({ noInvalidDate: true, min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z') }).map((d) => d.toISOString()),
      ),
      contactEmail: fc.oneof(fc.emailAddress(), fc.string(), fc.constant('a@example.test\r\nBcc: b@example.test'), fc.constant(null)),
      contactName: fc.oneof(fc.string(), fc.constant(null), fc.constant('x\ny')),
      locale: fc.oneof(fc.constantFrom('zh-TW', 'en'), fc.string()),
      reference: fc.oneof(fc.constant(reference), fc.constant('INC-2026-000000'), fc.string(), fc.constant('../mail/x')),
      status: fc.oneof(fc.constantFrom(...INCIDENT_STATUSES), fc.string()),
      note: fc.oneof(fc.string(), fc.string({ minLength: 2001, maxLength: 2010 }), fc.integer()),
      scope: fc.oneof(fc.constantFrom(...RECORD_SCOPES), fc.string()),
      from: fc.oneof(fc.string(), fc.constantFrom('2026-01-01', '2026-02-30', '0000-01-01', '9999-12-31')),
      to: fc.oneof(fc.string(), fc.constantFrom('2025-12-31', '2026-13-01', '2026-01-01T00:00:00Z')),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(fc.jsonValue(), near);
}


describe.each(CALLABLES)('%s with arbitrary input', (name) => {
  it('when the data is arbitrary JSON (signed in, or anonymous), then never a 500, and a refusal writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(garbage(), fc.boolean(), async (data, signedIn) => {
        const before = await fingerprint();
        const response = await call(server.baseUrl, name, data, { ip, token: signedIn ? token : undefined });
        const { succeeded, refused } = callableOutcome(response);
        const wroteNothing = (await fingerprint()) === before;
        expect({ data, signedIn, status: response.status, wellFormed: succeeded || refused, refusalWrote: refused && !wroteNothing }).toEqual({
          data,
          signedIn,
          status: response.status,
          wellFormed: true,
          refusalWrote: false,
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('when the raw body or Authorization header is arbitrary, then a 4xx, never a 500, and nothing is written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.string({ maxLength: 100 }), async (body, auth) => {
        const before = await fingerprint();
        const headers: Record<string, string> = { 'X-Forwarded-For': ip };
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
