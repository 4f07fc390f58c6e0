import fc from 'fast-check';
import { encodeTimePageToken } from '../../src/shared/time-page';
import { Timestamp } from '../../src/shared/firestore-values';
import { customer, staff } from '../billing/helpers';
import { accountFingerprint } from '../support/fingerprint';
import { describeGarbageInput, hostileId, hostileText, nearMiss } from '../support/garbage-input';
import { useLocalFunctions } from '../support/local';

/**
 * The garbage-input property (support/garbage-input.ts) for the support console's read functions,
 * called by support staff. A real account is among the near misses: `adminGetAccount` about it is
 * a success, which logs the look (a write); every refusal must write nothing.
 */
const local = useLocalFunctions();
let support: string;
let target: { uid: string; email: string };

beforeAll(async () => {
  target = await customer(local.server.baseUrl, 'reads-garbage');
  support = (await staff('support')).token;
});

/** The account and its records: the only place any of these functions writes (adminGetAccount's `account.viewed`). */
const fingerprint = () => accountFingerprint(target.uid);

describeGarbageInput({
  names: ['adminFindAccount', 'adminGetAccount', 'adminGetIncident', 'adminListRecordRequests', 'adminListFailedMail', 'adminBackupHealth'],
  baseUrl: () => local.server.baseUrl,
  data: () =>
    nearMiss({
      query: fc.oneof(fc.constant(target.email), fc.constant(target.uid), fc.constant(target.email.toUpperCase()), hostileId, hostileText, fc.string(), fc.emailAddress()),
      uid: fc.oneof(fc.constant(target.uid), hostileId, fc.string()),
      reference: fc.oneof(fc.constantFrom('INC-2001-000001', 'REC-2001-000001', 'INC-2026-1'), hostileId, fc.string()),
      status: fc.oneof(fc.constantFrom('received', 'fulfilled', 'failed'), fc.string(), fc.constant(null)),
      pageSize: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
      pageToken: fc.oneof(fc.string(), fc.base64String(), fc.constant(encodeTimePageToken(Timestamp.fromMillis(0), 'REC-2001-000001'))),
      extra: fc.jsonValue(),
    }),
  token: () => support,
  fingerprint,
  runs: 25,
});
