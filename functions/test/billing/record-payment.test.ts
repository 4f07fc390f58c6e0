import { loadDueInvoices } from '../../src/accounts/due';
import { adminRecordInvoice } from '../../src/billing/record-invoice';
import { adminRecordPayment } from '../../src/billing/record-payment';
import { recordInvoiceInput, recordPaymentInput, type InvoiceView } from '../../src/billing/schema';
import { toAccountView } from '../../src/accounts/view';
import { loadConfig } from '../../src/config';
import { createDeps, getDeps } from '../../src/deps';
import { fixedClock } from '../../src/shared/clock';
import { useLocalFunctions } from '../support/local';
import { accountDoc, activity, callAs, customer, daysFromNow, fingerprint, invoiceData, resultOf, staff } from './helpers';
import type { Caller } from '../../src/shared/caller';

const local = useLocalFunctions();
const db = () => getDeps().db;

let admin: { uid: string; token: string };
beforeAll(async () => {
  admin = await staff('admin');
});

const call = <T = InvoiceView>(name: string, data: unknown) => resultOf<T>(local.server.baseUrl, name, admin.token, data);
const dueAtOf = async (uid: string) => (await accountDoc(uid)).billing.earliestUnpaidDueAt?.toDate().toISOString() ?? null;

describe('adminRecordPayment', () => {
  it('when an admin records the payment of a past-due invoice, then it is paid now, billing is cleared in the same commit, and billing.paymentRecorded names the admin', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const data = invoiceData(uid, -3);
    await call('adminRecordInvoice', data);
    const before = Date.now();
    const paid = await call('adminRecordPayment', { uid, invoiceId: data.invoiceId });
    expect(paid).toMatchObject({ invoiceId: data.invoiceId, status: 'paid' });
    expect(Date.parse(paid.paidAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(paid.paidAt ?? '')).toBeLessThanOrEqual(Date.now());

    const account = await db().collection('accounts').doc(uid).get();
    const invoice = await account.ref.collection('invoices').doc(data.invoiceId as string).get();
    expect(account.get('billing')).toEqual({ amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: null });
    expect(account.updateTime?.isEqual(invoice.updateTime!)).toBe(true);
    expect(await activity(uid, 'billing.')).toEqual([
      expect.objectContaining({ action: 'billing.invoiceRecorded' }),
      expect.objectContaining({
        action: 'billing.paymentRecorded',
        actor: { uid: admin.uid, role: 'admin' },
        details: { invoiceId: data.invoiceId, amount: 1200, currency: 'TWD', paidAt: paid.paidAt, amountDue: 0 },
      }),
    ]);
  });

  it('when the earliest of several open invoices is paid, then earliestUnpaidDueAt moves to the next and amountDue keeps the rest', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const oldest = invoiceData(uid, -10, { amount: 100 });
    const overdue = invoiceData(uid, -2, { amount: 200 });
    const future = invoiceData(uid, 20, { amount: 400 });
    for (const data of [oldest, overdue, future]) await call('adminRecordInvoice', data);
    expect((await accountDoc(uid)).billing.amountDue).toBe(300);
    await call('adminRecordPayment', { uid, invoiceId: oldest.invoiceId });
    expect((await accountDoc(uid)).billing.amountDue).toBe(200);
    expect(await dueAtOf(uid)).toBe(overdue.dueAt);
    await call('adminRecordPayment', { uid, invoiceId: overdue.invoiceId });
    expect((await accountDoc(uid)).billing.amountDue).toBe(0);
    expect(await dueAtOf(uid)).toBe(future.dueAt);
  });

  it('when paidAt is given, then it is stored; when it is in the future, then INVALID_ARGUMENT and nothing is written', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const data = invoiceData(uid, -3);
    await call('adminRecordInvoice', data);
    const before = await fingerprint(uid);
    const future = await callAs(local.server.baseUrl, 'adminRecordPayment', admin.token, { uid, invoiceId: data.invoiceId, paidAt: daysFromNow(1) });
    expect(future.status).toBe(400);
    expect(future.json?.error?.message).toContain('data.paidAt');
    expect(await fingerprint(uid)).toBe(before);
    const paidAt = daysFromNow(-1);
    await expect(call('adminRecordPayment', { uid, invoiceId: data.invoiceId, paidAt })).resolves.toMatchObject({ status: 'paid', paidAt });
  });

  it('when a paid invoice is paid again, then it is answered as it is and nothing is written', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const data = invoiceData(uid, -3);
    await call('adminRecordInvoice', data);
    const paid = await call('adminRecordPayment', { uid, invoiceId: data.invoiceId });
    const before = await fingerprint(uid);
    await expect(call('adminRecordPayment', { uid, invoiceId: data.invoiceId, paidAt: daysFromNow(-2) })).resolves.toEqual(paid);
    expect(await fingerprint(uid)).toBe(before);
  });

  it('when an invoice is voided, then it no longer counts; paying it is FAILED_PRECONDITION INVOICE_VOID; voiding again writes nothing', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const data = invoiceData(uid, -3);
    await call('adminRecordInvoice', data);
    const voided = await call('adminVoidInvoice', { uid, invoiceId: data.invoiceId });
    expect(voided).toMatchObject({ status: 'void', paidAt: null });
    expect((await accountDoc(uid)).billing).toEqual({ amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: null });
    const before = await fingerprint(uid);
    const pay = await callAs(local.server.baseUrl, 'adminRecordPayment', admin.token, { uid, invoiceId: data.invoiceId });
    expect(pay.status).toBe(400);
    expect(pay.json?.error).toMatchObject({ status: 'FAILED_PRECONDITION', details: { reason: 'INVOICE_VOID', status: 'void' } });
    await expect(call('adminVoidInvoice', { uid, invoiceId: data.invoiceId })).resolves.toEqual(voided);
    expect(await fingerprint(uid)).toBe(before);
    expect((await activity(uid, 'billing.')).map((e) => e.action)).toEqual(['billing.invoiceRecorded', 'billing.invoiceVoided']);
  });

  it('when a paid invoice is voided, then FAILED_PRECONDITION INVOICE_PAID', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const data = invoiceData(uid, -3);
    await call('adminRecordInvoice', data);
    await call('adminRecordPayment', { uid, invoiceId: data.invoiceId });
    const answer = await callAs(local.server.baseUrl, 'adminVoidInvoice', admin.token, { uid, invoiceId: data.invoiceId });
    expect(answer.json?.error?.details?.reason).toBe('INVOICE_PAID');
  });

  it('when the invoice or the account does not exist, then NOT_FOUND', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const noInvoice = await callAs(local.server.baseUrl, 'adminRecordPayment', admin.token, { uid, invoiceId: 'INV-none' });
    expect([noInvoice.status, noInvoice.json?.error?.details?.reason]).toEqual([404, 'INVOICE_NOT_FOUND']);
    const noAccount = await callAs(local.server.baseUrl, 'adminRecordPayment', admin.token, { uid: 'no-such-user-xyz', invoiceId: 'INV-none' });
    expect([noAccount.status, noAccount.json?.error?.details?.reason]).toEqual([404, 'ACCOUNT_NOT_FOUND']);
  });

  it.each(['adminRecordPayment', 'adminVoidInvoice'])('when the owner calls %s on their own invoice, then PERMISSION_DENIED and nothing is written', async (name) => {
    const owner = await customer(local.server.baseUrl);
    const data = invoiceData(owner.uid, -3);
    await call('adminRecordInvoice', data);
    const before = await fingerprint(owner.uid);
    const answer = await callAs(local.server.baseUrl, name, owner.token, { uid: owner.uid, invoiceId: data.invoiceId });
    expect([answer.status, answer.json?.error?.details?.reason]).toEqual([403, 'ROLE_REQUIRED']);
    expect(await fingerprint(owner.uid)).toBe(before);
  });
});

describe('billing over time (use cases with a fixed clock)', () => {
  it('when an open invoice falls due with no write, then the stored amountDue is stale but the account view reports it live, and a payment clears it', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const t0 = new Date('2031-05-01T04:00:00.000Z');
    const clock = fixedClock(t0);
    const deps = createDeps(loadConfig(), { clock });
    const staffCaller: Caller = { uid: admin.uid, email: null, emailVerified: true, signInProvider: 'password', role: 'admin', via: 'idToken' };
    const dueAt = '2031-05-06T00:00:00+08:00';
    await adminRecordInvoice(deps, staffCaller, recordInvoiceInput.parse({ uid, invoiceId: 'INV-clock-1', amount: 900, currency: 'TWD', issuedAt: '2031-04-06T00:00:00+08:00', dueAt }));

    const view = async () => toAccountView(await accountDoc(uid), await loadDueInvoices(deps.db, uid, clock.now()), clock.now());
    expect((await accountDoc(uid)).billing.amountDue).toBe(0);
    expect((await view()).billing).toMatchObject({ amountDue: 0, dueInvoices: [] });

    clock.set(new Date('2031-05-06T00:00:00+08:00')); // due at this instant: dueAt ≤ now
    expect((await accountDoc(uid)).billing.amountDue).toBe(0);
    expect((await view()).billing).toMatchObject({ amountDue: 900, dueInvoices: [{ invoiceId: 'INV-clock-1', amount: 900 }] });

    clock.set(new Date('2031-05-07T02:00:00.000Z'));
    const paid = await adminRecordPayment(deps, staffCaller, recordPaymentInput.parse({ uid, invoiceId: 'INV-clock-1' }));
    expect(paid.paidAt).toBe('2031-05-07T02:00:00.000Z');
    expect((await view()).billing).toEqual({ amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: null, dueInvoices: [] });
  });
});
