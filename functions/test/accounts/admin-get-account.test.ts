import { Timestamp } from 'firebase-admin/firestore';
import { INVOICES_SHOWN, type StaffAccountView } from '../../src/accounts/admin-get-account';
import type { InvoiceDoc } from '../../src/accounts/model';
import { getDeps } from '../../src/deps';
import { customer, daysFromNow, invoiceData, resultOf, staff } from '../billing/helpers';
import { useLocalFunctions } from '../support/local';

/** `adminGetAccount`'s invoice list: what staff pick an invoice from to record a payment or void it. */
const local = useLocalFunctions();
const base = () => local.server.baseUrl;
let admin: string;
let support: string;

beforeAll(async () => {
  [{ token: admin }, { token: support }] = await Promise.all([staff('admin'), staff('support')]);
});

describe('adminGetAccount invoices', () => {
  it('when an account has open, paid and void invoices, then support sees them all, newest issued first, with amounts and dates', async () => {
    const seller = await customer(base(), 'invoices');
    const older = invoiceData(seller.uid, -5, { amount: 500, issuedAt: daysFromNow(-40) });
    const paid = invoiceData(seller.uid, 10, { amount: 700, issuedAt: daysFromNow(-20) });
    const voided = invoiceData(seller.uid, 20, { amount: 900, issuedAt: daysFromNow(-10) });
    for (const data of [older, paid, voided]) await resultOf(base(), 'adminRecordInvoice', admin, data);
    const paidAt = daysFromNow(-1);
    await resultOf(base(), 'adminRecordPayment', admin, { uid: seller.uid, invoiceId: paid.invoiceId, paidAt });
    await resultOf(base(), 'adminVoidInvoice', admin, { uid: seller.uid, invoiceId: voided.invoiceId });

    const view = await resultOf<StaffAccountView>(base(), 'adminGetAccount', support, { uid: seller.uid });
    const shown = (data: Record<string, unknown>, status: string, paidOn: string | null) => ({
      invoiceId: data.invoiceId, amount: data.amount, currency: 'TWD', issuedAt: data.issuedAt, dueAt: data.dueAt, status, paidAt: paidOn,
    });
    expect(view.invoices).toEqual([shown(voided, 'void', null), shown(paid, 'paid', paidAt), shown(older, 'open', null)]);
    // The past-due one is also what the customer sees as owed.
    expect(view.billing.dueInvoices.map((i) => i.invoiceId)).toEqual([older.invoiceId]);
  });

  it('when an account has more invoices than a page shows, then the newest INVOICES_SHOWN come back', async () => {
    const seller = await customer(base(), 'many-invoices');
    const invoices = getDeps().db.collection('accounts').doc(seller.uid).collection('invoices');
    const start = Date.parse('2020-01-01T00:00:00Z');
    const batch = getDeps().db.batch();
    for (let i = 0; i < INVOICES_SHOWN + 5; i += 1) {
      const issuedAt = Timestamp.fromMillis(start + i * 86_400_000);
      const doc: InvoiceDoc = { amount: 100 + i, currency: 'TWD', issuedAt, dueAt: issuedAt, status: 'paid', paidAt: issuedAt };
      batch.set(invoices.doc(`INV-${String(i).padStart(3, '0')}`), doc);
    }
    await batch.commit();
    const view = await resultOf<StaffAccountView>(base(), 'adminGetAccount', support, { uid: seller.uid });
    expect(view.invoices).toHaveLength(INVOICES_SHOWN);
    expect([view.invoices[0]?.invoiceId, view.invoices.at(-1)?.invoiceId]).toEqual([`INV-${String(INVOICES_SHOWN + 4).padStart(3, '0')}`, 'INV-005']);
  });

  it('when an account has no invoices, then an empty list', async () => {
    const seller = await customer(base(), 'no-invoices');
    expect((await resultOf<StaffAccountView>(base(), 'adminGetAccount', support, { uid: seller.uid })).invoices).toEqual([]);
  });
});
