import fc from 'fast-check';
import { getDeps } from '../../src/deps';
import { INCIDENT_STATUSES } from '../../src/incidents/model';
import { accountFingerprint } from '../support/fingerprint';
import { describeGarbageInput, hostileId, hostileText, nearMiss } from '../support/garbage-input';
import { useLocalFunctions } from '../support/local';
import { owner, requestRecordsAs, staff } from './helpers';

/**
 * The garbage-input property (support/garbage-input.ts) for the staff side of the support queue:
 * `adminFulfilRecordRequest` and `adminListIncidents`, called by support staff, with a real
 * pending records request among the near misses (fulfilling it once is a success, which may write).
 */
const local = useLocalFunctions();
let support: { uid: string; token: string };
let customer: { uid: string; token: string };
let reference: string;

beforeAll(async () => {
  customer = await owner(local.client, 'rec-garbage');
  reference = await requestRecordsAs(local.server.baseUrl, customer.token, { scope: 'activity' });
  support = await staff(local.client, 'support');
});

/** The request, its bundles and chunks, the owner's account and records, and mail to the owner's inbox of notices. */
async function fingerprint(): Promise<string> {
  const db = getDeps().db;
  const request = await db.collection('recordRequests').doc(reference).get();
  const bundles = await db.collection('recordBundles').where('reference', '==', reference).count().get();
  const chunks = await db.collectionGroup('chunks').where('reference', '==', reference).count().get();
  const mail = await db.collection('mail').where('related', '==', `recordRequests/${reference}`).count().get();
  return accountFingerprint(
    customer.uid,
    `${request.ref.path}@${request.updateTime?.toMillis() ?? 'none'}`,
    `bundles:${bundles.data().count}`,
    `chunks:${chunks.data().count}`,
    `mail:${mail.data().count}`,
  );
}

describeGarbageInput({
  names: ['adminFulfilRecordRequest', 'adminListIncidents'],
  baseUrl: () => local.server.baseUrl,
  data: () =>
    nearMiss({
      reference: fc.oneof(fc.constant(reference), fc.constantFrom('REC-2001-000000', 'INC-2026-000001', 'REC-2026-1'), hostileId, fc.string()),
      note: fc.oneof(fc.string(), fc.string({ minLength: 2001, maxLength: 2010 }), hostileText, fc.integer(), fc.constant(null)),
      status: fc.oneof(fc.constantFrom(...INCIDENT_STATUSES), fc.string(), fc.constant(null)),
      pageSize: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
      pageToken: fc.oneof(fc.string(), fc.base64String(), fc.constant(Buffer.from('[null,1,2,"INC-2026-000001"]').toString('base64url'))),
      extra: fc.jsonValue(),
    }),
  token: () => support.token,
  fingerprint,
  runs: 40,
});
