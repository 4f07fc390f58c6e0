import fc from 'fast-check';
import { describeGarbageInput, hostileId, nearMiss } from '../support/garbage-input';
import { useLocalFunctions } from '../support/local';
import { customer, fingerprint, invoiceData, resultOf, staff } from './helpers';

/** The garbage-input property (support/garbage-input.ts) for the billing functions, called by an admin. */
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

// Any representable date (years beyond 9999 too), in UTC and with an offset, and things that only look like one.
const instant = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '+08:00')),
  fc.constantFrom('2026-03-05', '2026-02-30T00:00:00Z', '', 'now'),
  fc.integer(),
);

describeGarbageInput({
  names: ['adminRecordInvoice', 'adminRecordPayment', 'adminVoidInvoice'],
  baseUrl: () => local.server.baseUrl,
  // Near misses of the real inputs: right field names, values of every kind, the real ids mixed in.
  data: () =>
    nearMiss({
      uid: fc.oneof(fc.constant(uid), hostileId, fc.string({ maxLength: 140 })),
      invoiceId: fc.oneof(fc.constant(existing), fc.string({ maxLength: 70 }), fc.constantFrom('__id__', 'a/b', 'INV-new-1')),
      amount: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(Number.MAX_SAFE_INTEGER + 2)),
      currency: fc.oneof(fc.constantFrom('TWD', 'twd', 'USD'), fc.jsonValue()),
      issuedAt: instant,
      dueAt: instant,
      paidAt: fc.oneof(instant, fc.constant(null)),
      extra: fc.jsonValue(),
    }),
  token: () => admin.token,
  fingerprint: () => fingerprint(uid),
  runs: 40,
});
