import { useLocalFunctions } from '../support/local';
import { exportUrl, get, lines, seed } from '../content/helpers';
import { customer, invoiceData, resultOf, setStatus, staff } from './helpers';

// Clause 3.2(b)(ii): during the notice period, content may be retrieved once every amount due is
// paid. A payment recorded while an export is refused reopens it; when both happen at once, the
// export sees either the state before the payment or the state after, never a mix.
const local = useLocalFunctions();
const url = () => exportUrl(local.server.baseUrl);

interface Refusal {
  error: { details: { reason: string; amountDue: number; invoices: Array<{ invoiceId: string }> } };
}

let admin: { uid: string; token: string };
beforeAll(async () => {
  admin = await staff('admin');
});

async function terminatingWithContent(tag: string) {
  const owner = await customer(local.server.baseUrl, tag);
  await seed(owner.uid, [
    ['stores/s1', { name: 'Shop' }],
    ['stores/s1/products/p1', { name: 'Tea' }],
  ]);
  await setStatus(owner.uid, 'terminating');
  return owner;
}

describe('payment and export', () => {
  it('when a payment is recorded while the export is refused, then the next export succeeds and getAccount allows retrieval', async () => {
    const { uid, token } = await terminatingWithContent('race-seq');
    const data = invoiceData(uid, -2, { amount: 990 });
    await resultOf(local.server.baseUrl, 'adminRecordInvoice', admin.token, data);

    const refused = await get(url(), { Authorization: `Bearer ${token}` });
    expect(refused.status).toBe(402);
    const before = await resultOf<{ retrieval: unknown }>(local.server.baseUrl, 'getAccount', token, null);
    expect(before.retrieval).toEqual({ allowed: false, reason: 'AMOUNTS_DUE' });

    await resultOf(local.server.baseUrl, 'adminRecordPayment', admin.token, { uid, invoiceId: data.invoiceId });
    const allowed = await get(url(), { Authorization: `Bearer ${token}` });
    expect([allowed.status, allowed.complete, lines(allowed.body).length]).toEqual([200, true, 2]);
    const after = await resultOf<{ retrieval: unknown }>(local.server.baseUrl, 'getAccount', token, null);
    expect(after.retrieval).toEqual({ allowed: true, reason: null });
  });

  it('when payments and exports happen at the same moment, then each export is either refused with the unpaid invoices or complete, and the next one succeeds', async () => {
    const { uid, token } = await terminatingWithContent('race-concurrent');
    for (let round = 0; round < 6; round += 1) {
      const older = invoiceData(uid, -9, { amount: 300 });
      const newer = invoiceData(uid, -3, { amount: 500 });
      await resultOf(local.server.baseUrl, 'adminRecordInvoice', admin.token, older);
      await resultOf(local.server.baseUrl, 'adminRecordInvoice', admin.token, newer);
      // The two invoices are paid one after the other while three exports run, so an export may
      // see both unpaid, only the newer one unpaid, or nothing due.
      const pay = (invoiceId: unknown) => resultOf(local.server.baseUrl, 'adminRecordPayment', admin.token, { uid, invoiceId });
      const [exports] = await Promise.all([
        Promise.all([0, 1, 2].map(() => get(url(), { Authorization: `Bearer ${token}` }))),
        pay(older.invoiceId).then(() => pay(newer.invoiceId)),
      ]);
      // Each export, reduced to what must hold: a refusal lists unpaid invoices whose amounts add up
      // to amountDue (one consistent snapshot); a success is the whole content.
      const amounts: Record<string, number> = { [older.invoiceId as string]: 300, [newer.invoiceId as string]: 500 };
      const seen = exports.map((answer) => {
        if (answer.status !== 402) return { status: answer.status, complete: answer.complete, lines: lines(answer.body).length };
        const { details } = (JSON.parse(answer.body.toString('utf8')) as Refusal).error;
        const listed = details.invoices.reduce((sum, i) => sum + (amounts[i.invoiceId] ?? Number.NaN), 0);
        return { status: 402, listsSome: details.invoices.length > 0, consistent: details.amountDue === listed };
      });
      expect(seen).toEqual(seen.map((s) => (s.status === 402 ? { status: 402, listsSome: true, consistent: true } : { status: 200, complete: true, lines: 2 })));
      const next = await get(url(), { Authorization: `Bearer ${token}` });
      expect([next.status, lines(next.body).length]).toEqual([200, 2]);
    }
  });
});
