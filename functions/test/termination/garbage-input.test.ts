import fc from 'fast-check';
import { getDeps } from '../../src/deps';
import { addDays, taipeiDate } from '../../src/shared/taipei';
import { accountFingerprint } from '../support/fingerprint';
import { describeGarbageInput, hostileId, hostileText, nearMiss, storableInstant } from '../support/garbage-input';
import { useLocalFunctions } from '../support/local';
import { customer, db, useAdmin } from './helpers';

/**
 * The garbage-input property (support/garbage-input.ts) for clause 3.1's functions: a refused call
 * writes nothing, not on the account, not in its outbox, not in Auth. Customer functions are
 * called by the account's owner, staff functions by an admin about that account.
 */
const CUSTOMER: readonly string[] = ['requestTermination', 'cancelTermination'];
const STAFF = ['adminGetAccount', 'adminSetContract', 'adminRecordBreach', 'adminResolveBreach', 'adminTerminateAccount', 'adminSuspendAccount', 'adminReinstateAccount'];

const local = useLocalFunctions();
const admin = useAdmin(local);
let target: { uid: string; token: string };
let breachId: string;

beforeAll(async () => {
  target = await customer(local.client, 'en');
  ({ breachId } = await admin.call<{ breachId: string }>('adminRecordBreach', { uid: target.uid, description: 'Seeded breach' }));
});

/** Dates and date-times across the storable range and near today, and things that only look like one. */
const soon = fc.integer({ min: -10, max: 120 }).map((days) => addDays(taipeiDate(new Date()), days));
const dateLike = fc.oneof(
  storableInstant,
  storableInstant.map((s) => s.slice(0, 10)),
  soon,
  fc.string(),
  fc.integer(),
  fc.constantFrom('9999-12-31T23:00:00-10:00', '0000-01-01', '2026-02-30', '2026-03-01T00:00:00'),
);
const text = fc.oneof(fc.string(), fc.string({ minLength: 490, maxLength: 520 }), hostileText, fc.integer());

describeGarbageInput({
  names: [...CUSTOMER, ...STAFF],
  baseUrl: () => local.server.baseUrl,
  data: () =>
    nearMiss({
      uid: fc.oneof(fc.constant(target.uid), fc.string(), hostileId, fc.string({ minLength: 129, maxLength: 140 })),
      kind: fc.oneof(fc.constantFrom('convenience', 'cause', 'legal', 'partner', 'contract-end'), fc.string()),
      reason: text,
      note: text,
      description: text,
      effectiveAt: fc.oneof(dateLike, fc.constant(null)),
      endsAt: fc.oneof(dateLike, fc.constant(null)),
      immediate: fc.oneof(fc.boolean(), fc.string(), fc.constant(null)),
      withdrawTermination: fc.oneof(fc.boolean(), fc.constant('yes')),
      cureDays: fc.oneof(fc.integer({ min: -5, max: 400 }), fc.double(), fc.string()),
      breachId: fc.oneof(fc.constant(breachId), fc.string(), hostileId),
    }),
  token: (name) => (CUSTOMER.includes(name) ? target.token : admin.token),
  fingerprint: () =>
    accountFingerprint(
      target.uid,
      db().collection('mail').where('related', '==', `accounts/${target.uid}`).count().get().then((c) => `mail:${c.data().count}`),
      getDeps().auth.getUser(target.uid).then((u) => `disabled:${u.disabled}`),
      db().collection('accounts').doc(admin.uid).get().then((s) => `staffAccount:${s.exists}`),
    ),
  runs: 40,
});
