import fc from 'fast-check';
import { getDeps } from '../../src/deps';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../src/incidents/model';
import { INCIDENT_RATE_LIMITS } from '../../src/incidents/report-incident';
import { RECORD_SCOPES } from '../../src/records/model';
import { RECORDS_RATE_LIMIT } from '../../src/records/request-records';
import { bucketId, ipBucketKey } from '../../src/shared/rate-limit';
import { accountFingerprint } from '../support/fingerprint';
import { describeGarbageInput, hostileText, nearMiss, storableInstant } from '../support/garbage-input';
import { useLocalFunctions } from '../support/local';
import { anonymousReport, call, staffUser, uniqueIp } from './helpers';

/**
 * The garbage-input property (support/garbage-input.ts) for incidents and records. The caller is
 * a verified user with the `support` role (or nobody), so every function gets past authentication
 * and the input itself is what is tested.
 */
const local = useLocalFunctions();
let caller: { uid: string; token: string };
/** A real incident, so that near-miss updates and look-ups sometimes hit something. */
let reference: string;
/** The client IP of this file's calls. */
const ip = uniqueIp();

beforeAll(async () => {
  caller = await staffUser(local.client, 'support');
  await local.client.call('getAccount');
  const answer = await call(local.server.baseUrl, 'reportIncident', anonymousReport(), { ip: uniqueIp() });
  reference = (answer.json?.result as { reference: string }).reference;
});

/**
 * Beyond the caller's account: the incidents and record requests filed under its uid, its
 * rate-limit buckets and this file's IP bucket (charged by any anonymous report in the same
 * transaction as the report), and the seeded incident with its history.
 */
async function fingerprint(): Promise<string> {
  const db = getDeps().db;
  const stamp = (path: string, time: { toMillis(): number } | undefined) => `${path}@${time?.toMillis() ?? 'none'}`;
  const filed = [db.collection('incidents').where('reporter.uid', '==', caller.uid), db.collection('recordRequests').where('uid', '==', caller.uid)];
  const docs = (await Promise.all(filed.map((q) => q.get()))).flatMap((q) => q.docs);
  const buckets = [bucketId(INCIDENT_RATE_LIMITS.uid, caller.uid), bucketId(RECORDS_RATE_LIMIT, caller.uid), bucketId(INCIDENT_RATE_LIMITS.ip, ipBucketKey(ip))];
  const bucketDocs = await Promise.all(buckets.map((id) => db.collection('rateLimits').doc(id).get()));
  const incident = db.collection('incidents').doc(reference);
  return accountFingerprint(
    caller.uid,
    ...docs.map((d) => stamp(d.ref.path, d.updateTime)),
    ...bucketDocs.map((d) => stamp(d.ref.path, d.updateTime)),
    stamp(incident.path, (await incident.get()).updateTime),
    `history:${(await incident.collection('history').count().get()).data().count}`,
  );
}

describeGarbageInput({
  names: ['reportIncident', 'getIncident', 'adminUpdateIncident', 'requestRecords'],
  baseUrl: () => local.server.baseUrl,
  data: () =>
    nearMiss({
      category: fc.oneof(fc.constantFrom(...INCIDENT_CATEGORIES), fc.string()),
      summary: fc.oneof(fc.string(), fc.string({ minLength: 201, maxLength: 210 }), hostileText),
      description: fc.oneof(fc.string(), fc.jsonValue(), hostileText),
      occurredAt: fc.oneof(fc.string(), fc.integer(), storableInstant),
      contactEmail: fc.oneof(fc.emailAddress(), fc.string(), fc.constant('a@example.test\r\nBcc: b@example.test'), fc.constant(null)),
      contactName: fc.oneof(fc.string(), fc.constant(null), hostileText),
      locale: fc.oneof(fc.constantFrom('zh-TW', 'en'), fc.string()),
      reference: fc.oneof(fc.constant(reference), fc.constant('INC-2026-000000'), fc.string(), fc.constant('../mail/x')),
      status: fc.oneof(fc.constantFrom(...INCIDENT_STATUSES), fc.string()),
      note: fc.oneof(fc.string(), fc.string({ minLength: 2001, maxLength: 2010 }), fc.integer()),
      scope: fc.oneof(fc.constantFrom(...RECORD_SCOPES), fc.string()),
      from: fc.oneof(fc.string(), fc.constantFrom('2026-01-01', '2026-02-30', '0000-01-01', '9999-12-31')),
      to: fc.oneof(fc.string(), fc.constantFrom('2025-12-31', '2026-13-01', '2026-01-01T00:00:00Z')),
    }),
  // Signed in as support staff, or anonymous (reportIncident takes anonymous reports).
  variants: fc.boolean(),
  token: (_name, signedIn) => (signedIn ? caller.token : undefined),
  headers: { 'X-Forwarded-For': ip },
  fingerprint,
  runs: 40,
});
