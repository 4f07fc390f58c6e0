import fc from 'fast-check';
import { getDeps } from '../../src/deps';
import { addDays, taipeiDate } from '../../src/shared/taipei';
import { callableOutcome, rawCall } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { call, customer, db, useAdmin } from './helpers';

/**
 * Property (as functions/test/properties/garbage-input.test.ts, for clause 3.1's functions):
 * whatever JSON the caller sends, the answer is a well-formed callable response, never a 500,
 * and a refused call writes nothing: not on the account, not in its outbox, not in Auth. Customer
 * functions are called by the account's owner, staff functions by an admin about that account.
 */
const CUSTOMER = ['requestTermination', 'cancelTermination'] as const;
const STAFF = ['adminGetAccount', 'adminSetContract', 'adminRecordBreach', 'adminResolveBreach', 'adminTerminateAccount', 'adminSuspendAccount', 'adminReinstateAccount'] as const;
const RUNS = 40;
// Each property is RUNS calls with two fingerprints each: allow a loaded machine its time.
jest.setTimeout(120_000);

const local = useLocalFunctions();
const admin = useAdmin(local);
let target: { uid: string; token: string };
let breachId: string;

beforeAll(async () => {
  target = await customer(local.client, 'en');
  ({ breachId } = await admin.call<{ breachId: string }>('adminRecordBreach', { uid: target.uid, description: 'Seeded breach' }));
});

async function fingerprint(): Promise<string> {
  const account = db().collection('accounts').doc(target.uid);
  const parts = [`${account.path}@${(await account.get()).updateTime?.toMillis()}`];
  for (const sub of await account.listCollections()) for (const doc of (await sub.get()).docs) parts.push(`${doc.ref.path}@${doc.updateTime.toMillis()}`);
  parts.push(`mail:${(await db().collection('mail').where('related', '==', account.path).count().get()).data().count}`);
  parts.push(`disabled:${(await getDeps().auth.getUser(target.uid)).disabled}`);
  parts.push(`staffAccount:${(await db().collection('accounts').doc(admin.uid).get()).exists}`);
  return parts.sort().join('\n');
}

/** Instants across the whole storable range and beyond, as dates and as date-times. */
const instant = fc.date({ noInvalidDate: true, min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z') }).map((d) => d.toISOString());
const soon = fc.integer({ min: -10, max: 120 }).map((days) => addDays(taipeiDate(new Date()), days));
const dateLike = fc.oneof(instant, instant.map((s) => s.slice(0, 10)), soon, fc.string(), fc.integer(), fc.constantFrom('9999-12-31T23:00:00-10:00', '0000-01-01', '2026-02-30', '2026-03-01T00:00:00'));
const text = fc.oneof(fc.string(), fc.string({ minLength: 490, maxLength: 520 }), fc.constantFrom('a\r\nBcc: x@example.test', '\ud800', '\u0000', '<b>x</b>', '   '), fc.integer());

/** JSON values, biased towards the shapes these functions take. */
function garbage() {
  const near = fc.record(
    {
      uid: fc.oneof(fc.constant(target.uid), fc.string(), fc.constantFrom('missing-uid', '../accounts/x', '__x__', '.', 'a/b', '\ud800'), fc.string({ minLength: 129, maxLength: 140 })),
      kind: fc.oneof(fc.constantFrom('convenience', 'cause', 'legal', 'partner', 'contract-end'), fc.string()),
      reason: text,
      note: text,
      description: text,
      effectiveAt: fc.oneof(dateLike, fc.constant(null)),
      endsAt: fc.oneof(dateLike, fc.constant(null)),
      immediate: fc.oneof(fc.boolean(), fc.string(), fc.constant(null)),
      withdrawTermination: fc.oneof(fc.boolean(), fc.constant('yes')),
      cureDays: fc.oneof(fc.integer({ min: -5, max: 400 }), fc.double(), fc.string()),
      breachId: fc.oneof(fc.constant(breachId), fc.string(), fc.constantFrom('__breach__', '..')),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(fc.jsonValue(), near);
}

describe.each([...CUSTOMER, ...STAFF])('%s with arbitrary input', (name) => {
  const token = () => ((CUSTOMER as readonly string[]).includes(name) ? target.token : admin.token);

  it('when the data is arbitrary JSON, then never a 500, and a refusal writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(garbage(), async (data) => {
        const before = await fingerprint();
        const response = await call(local.server.baseUrl, name, data, { token: token() });
        const { succeeded, refused } = callableOutcome(response);
        const wroteNothing = (await fingerprint()) === before;
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

  it('when the raw body or Authorization header is arbitrary, then a 4xx, never a 500, and nothing is written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.string({ maxLength: 100 }), async (body, auth) => {
        const before = await fingerprint();
        const headers: Record<string, string> = {};
        if (/^[\x20-\x7e]*$/.test(auth)) headers.Authorization = auth;
        const response = await rawCall(`${local.server.baseUrl}/${name}`, { body, headers });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(await fingerprint()).toBe(before);
      }),
      { numRuns: RUNS },
    );
  });
});
