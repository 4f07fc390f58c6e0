import { getDeps } from '../../src/deps';
import type { InvoiceView } from '../../src/billing/schema';
import { useLocalFunctions } from '../support/local';
import { accountDoc, activity, callAs, customer, daysFromNow, fingerprint, invoiceData, resultOf, setStatus, staff } from './helpers';

const local = useLocalFunctions();
const db = () => getDeps().db;
const isoString: unknown = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

let admin: { uid: string; token: string };
beforeAll(async () => {
  admin = await staff('admin');
});

const record = (data: unknown) => resultOf<InvoiceView>(local.server.baseUrl, 'adminRecordInvoice', admin.token, data);
const invoiceSnap = (uid: string, id: string) => db().collection('accounts').doc(uid).collection('invoices').doc(id).get();

describe('adminRecordInvoice', () => {
  it('when an admin records a past-due invoice, then it is stored open, billing is recomputed in the same commit, and billing.invoiceRecorded names the admin', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const data = invoiceData(uid, -3, { amount: 1500 });
    const view = await record(data);
    expect(view).toEqual({ uid, invoiceId: data.invoiceId, amount: 1500, currency: 'TWD', issuedAt: data.issuedAt, dueAt: data.dueAt, status: 'open', paidAt: null });

    const stored = await invoiceSnap(uid, data.invoiceId as string);
    expect(stored.data()).toEqual({ amount: 1500, currency: 'TWD', issuedAt: expect.anything() as unknown, dueAt: expect.anything() as unknown, status: 'open', paidAt: null });
    const account = await db().collection('accounts').doc(uid).get();
    expect(account.get('billing')).toEqual({ amountDue: 1500, currency: 'TWD', earliestUnpaidDueAt: stored.get('dueAt') as unknown });
    // One commit: Firestore gives every write of a commit the same update time.
    expect(account.updateTime?.isEqual(stored.updateTime!)).toBe(true);

    const entries = await activity(uid, 'billing.');
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'billing.invoiceRecorded',
        actor: { uid: admin.uid, role: 'admin' },
        details: { invoiceId: data.invoiceId, amount: 1500, currency: 'TWD', issuedAt: data.issuedAt, dueAt: data.dueAt, amountDue: 1500 },
      }),
    ]);
  });

  it('when the invoice is not yet due, then nothing is due but earliestUnpaidDueAt is its due date, and getAccount reports no amounts due', async () => {
    const { uid, token } = await customer(local.server.baseUrl);
    const data = invoiceData(uid, 10);
    await record(data);
    const account = await accountDoc(uid);
    expect(account.billing.amountDue).toBe(0);
    expect(account.billing.earliestUnpaidDueAt?.toDate().toISOString()).toBe(data.dueAt);
    const view = await resultOf<{ billing: { amountDue: number; earliestUnpaidDueAt: string; dueInvoices: unknown[] } }>(local.server.baseUrl, 'getAccount', token, null);
    expect(view.billing).toEqual({ amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: data.dueAt, dueInvoices: [] });
  });

  it('when the same invoice is recorded twice, then one document and one activity entry exist and the replay writes nothing', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const data = invoiceData(uid, -1);
    const first = await record(data);
    const before = await fingerprint(uid);
    await expect(record(data)).resolves.toEqual(first);
    expect(await fingerprint(uid)).toBe(before);
    expect((await db().collection('accounts').doc(uid).collection('invoices').get()).size).toBe(1);
    expect((await activity(uid, 'billing.')).map((e) => e.action)).toEqual(['billing.invoiceRecorded']);
  });

  it('when the same invoice id is recorded with other facts, then ALREADY_EXISTS INVOICE_CONFLICT shows the stored invoice and nothing changes', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const data = invoiceData(uid, -1);
    const stored = await record(data);
    const before = await fingerprint(uid);
    for (const change of [{ amount: 1201 }, { dueAt: daysFromNow(5) }, { issuedAt: daysFromNow(-40) }]) {
      const answer = await callAs(local.server.baseUrl, 'adminRecordInvoice', admin.token, { ...data, ...change });
      expect(answer.status).toBe(409);
      expect(answer.json?.error).toMatchObject({ status: 'ALREADY_EXISTS', details: { reason: 'INVOICE_CONFLICT', invoiceId: data.invoiceId, stored } });
    }
    expect(await fingerprint(uid)).toBe(before);
  });

  it('when two invoices are recorded at the same moment, then billing counts both', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const a = invoiceData(uid, -2, { amount: 100 });
    const b = invoiceData(uid, -5, { amount: 250 });
    await Promise.all([record(a), record(b)]);
    const account = await accountDoc(uid);
    expect(account.billing.amountDue).toBe(350);
    expect(account.billing.earliestUnpaidDueAt?.toDate().toISOString()).toBe(b.dueAt);
  });

  it('when the account is terminated, then the invoice is still recorded: billing outlives termination', async () => {
    const { uid } = await customer(local.server.baseUrl);
    await setStatus(uid, 'terminated');
    await expect(record(invoiceData(uid, -1))).resolves.toMatchObject({ status: 'open' });
    expect((await accountDoc(uid)).billing.amountDue).toBe(1200);
  });

  it('when the account does not exist, then NOT_FOUND ACCOUNT_NOT_FOUND and nothing is written', async () => {
    const answer = await callAs(local.server.baseUrl, 'adminRecordInvoice', admin.token, invoiceData('no-such-user-xyz', -1));
    expect(answer.status).toBe(404);
    expect(answer.json?.error?.details?.reason).toBe('ACCOUNT_NOT_FOUND');
    expect((await db().collection('accounts').doc('no-such-user-xyz').listCollections()).length).toBe(0);
  });

  it.each(['customer', 'support'] as const)('when a %s calls it, then PERMISSION_DENIED ROLE_REQUIRED and nothing is written', async (who) => {
    const target = await customer(local.server.baseUrl);
    const caller = who === 'customer' ? target : await staff('support');
    const before = await fingerprint(target.uid);
    const answer = await callAs(local.server.baseUrl, 'adminRecordInvoice', caller.token, invoiceData(target.uid, -1));
    expect(answer.status).toBe(403);
    expect(answer.json?.error?.details?.reason).toBe('ROLE_REQUIRED');
    expect(await fingerprint(target.uid)).toBe(before);
  });

  it('when nobody is signed in, then UNAUTHENTICATED', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const answer = await callAs(local.server.baseUrl, 'adminRecordInvoice', null, invoiceData(uid, -1));
    expect(answer.status).toBe(401);
  });

  it('when an admin calls it through the Firebase JS SDK, then httpsCallable gets the invoice', async () => {
    const { uid } = await customer(local.server.baseUrl);
    const email = (await getDeps().auth.getUser(admin.uid)).email ?? '';
    await local.client.signIn(email, 'correct horse battery');
    const data = invoiceData(uid, 3);
    await expect(local.client.call('adminRecordInvoice', data)).resolves.toMatchObject({ invoiceId: data.invoiceId, status: 'open', issuedAt: isoString });
    await local.client.signOut();
  });

  it.each([
    ['a zero amount', { amount: 0 }, 'data.amount'],
    ['a negative amount', { amount: -5 }, 'data.amount'],
    ['a fractional amount', { amount: 12.5 }, 'data.amount'],
    ['an amount as a string', { amount: '1200' }, 'data.amount'],
    ['another currency', { currency: 'USD' }, 'data.currency'],
    ['a due date before the issue date', { issuedAt: daysFromNow(-1), dueAt: daysFromNow(-2) }, 'data.dueAt'],
    ['a date-time without an offset', { dueAt: '2026-03-05T00:00:00' }, 'data.dueAt'],
    ['a calendar date instead of a date-time', { issuedAt: '2026-03-05' }, 'data.issuedAt'],
    ['a date before 2000', { issuedAt: '1969-12-31T00:00:00Z', dueAt: '1970-01-31T00:00:00Z' }, 'data.issuedAt'],
    ['an invoice id with a slash', { invoiceId: 'a/b' }, 'data.invoiceId'],
    ['a reserved invoice id', { invoiceId: '__inv__' }, 'data.invoiceId'],
    ['a 65-character invoice id', { invoiceId: 'x'.repeat(65) }, 'data.invoiceId'],
    ['a uid with a slash', { uid: 'a/b' }, 'data.uid'],
    ['no uid', { uid: undefined }, 'data.uid'],
    ['an unknown field', { status: 'paid' }, 'data'],
  ])('when the data has %s, then INVALID_ARGUMENT naming the field and nothing is written', async (_case, change, field) => {
    const { uid } = await customer(local.server.baseUrl);
    const before = await fingerprint(uid);
    const answer = await callAs(local.server.baseUrl, 'adminRecordInvoice', admin.token, invoiceData(uid, -1, change));
    expect(answer.status).toBe(400);
    expect(answer.json?.error?.status).toBe('INVALID_ARGUMENT');
    expect(answer.json?.error?.message).toContain(field);
    expect(await fingerprint(uid)).toBe(before);
  });
});
