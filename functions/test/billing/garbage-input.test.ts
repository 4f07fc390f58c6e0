import fc from 'fast-check';
import { callableOutcome } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { callAs, customer, fingerprint, invoiceData, resultOf, staff } from './helpers';

/**
 * Property: whatever JSON an admin sends to the billing functions, the answer is a well-formed
 * callable response (a result or a 4xx refusal), never a 500, and a refusal writes nothing.
 */
const RUNS = 40;
const local = useLocalFunctions();

let admin: { uid: string; token: string };
let uid: string;
let existing: string;

beforeAll(async () => {
  admin = await staff('admin');
  ({ uid } = await customer(local.server.baseUrl, 'garbage'));
  const data = invoiceData(uid, -1);
  existing = data.invoiceId as string;
  await resultOf(local.server.baseUrl, 'adminRecordInvoice', admin.token, data);
});

// Near misses of the real inputs: right field names, values of every kind, the real ids mixed in.
const instant = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '+08:00')),
  fc.constantFrom('2026-03-05', '2026-02-30T00:00:00Z', '', 'now'),
  fc.integer(),
);
function garbage(): fc.Arbitrary<unknown> {
  const nearMiss = fc.record(
    {
      uid: fc.oneof(fc.constant(uid), fc.constantFrom('', 'a/b', '..', '__x__', 'no-such-user'), fc.string({ maxLength: 140 })),
      invoiceId: fc.oneof(fc.constant(existing), fc.string({ maxLength: 70 }), fc.constantFrom('__id__', 'a/b', 'INV-new-1')),
      amount: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(Number.MAX_SAFE_INTEGER + 2)),
      currency: fc.oneof(fc.constantFrom('TWD', 'twd', 'USD'), fc.jsonValue()),
      issuedAt: instant,
      dueAt: instant,
      paidAt: fc.oneof(instant, fc.constant(null)),
      extra: fc.jsonValue(),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(fc.jsonValue(), nearMiss);
}

describe.each(['adminRecordInvoice', 'adminRecordPayment', 'adminVoidInvoice'])('%s with arbitrary input', (name) => {
  it('when the data is arbitrary JSON, then the answer is never a 500 and a refusal writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(garbage(), async (data) => {
        const before = await fingerprint(uid);
        const response = await callAs(local.server.baseUrl, name, admin.token, data);
        const { succeeded, refused } = callableOutcome(response);
        const wroteNothing = (await fingerprint(uid)) === before;
        expect({ data, status: response.status, wellFormed: succeeded || refused, refusalWrote: refused && !wroteNothing }).toEqual({
          data,
          status: response.status,
          wellFormed: true,
          refusalWrote: false,
        });
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
