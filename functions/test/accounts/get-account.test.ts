import { FirebaseError } from 'firebase/app';
import { Timestamp } from 'firebase-admin/firestore';
import { getDeps } from '../../src/deps';
import type { AccountView } from '../../src/accounts/view';
import { rawCall, verifyEmail } from '../support/client';
import { activityActions, adminCreatedUser } from '../support/users';
import { useLocalFunctions } from '../support/local';

const local = useLocalFunctions();

const DAY = 24 * 3600 * 1000;
const db = () => getDeps().db;

async function seedInvoice(uid: string, id: string, dueInMs: number, status: 'open' | 'paid' = 'open') {
  const now = Date.now();
  await db().doc(`accounts/${uid}/invoices/${id}`).set({
    amount: 1200,
    currency: 'TWD',
    issuedAt: Timestamp.fromMillis(now - 30 * DAY),
    dueAt: Timestamp.fromMillis(now + dueInMs),
    status,
    paidAt: status === 'paid' ? Timestamp.fromMillis(now) : null,
  });
}

describe('getAccount', () => {
  it('when a user made by the Admin SDK calls it first, then the account is provisioned with the documented defaults', async () => {
    const { uid, email } = await adminCreatedUser(local.client, { displayName: 'Ming' });
    const account = await local.client.call<AccountView>('getAccount');
    expect(account).toMatchObject({
      uid,
      email,
      displayName: 'Ming',
      providers: ['password'],
      emailVerified: true,
      locale: 'zh-TW',
      status: 'active',
      contract: { endsAt: null },
      termination: null,
      suspension: null,
      billing: { amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: null, dueInvoices: [] },
      retrieval: { allowed: true, reason: null },
    });
    expect(account.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(account.contract.startsAt).toBe(account.createdAt);
    expect(await activityActions(uid)).toEqual(['account.created']);
  });

  it('when many first calls race, then exactly one account and one account.created entry exist', async () => {
    const { uid, token } = await adminCreatedUser(local.client);
    const calls = Array.from({ length: 6 }, () =>
      rawCall(`${local.server.baseUrl}/getAccount`, { body: '{"data":null}', headers: { Authorization: `Bearer ${token}` } }),
    );
    const results = await Promise.all(calls);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await activityActions(uid)).toEqual(['account.created']);
  });

  it('when an email user has not verified yet, then getAccount still answers, and verification is reflected after', async () => {
    const { uid } = await local.client.signUp();
    await expect(local.client.call<AccountView>('getAccount')).resolves.toMatchObject({ uid, emailVerified: false });
    await verifyEmail(local.client);
    await expect(local.client.call<AccountView>('getAccount')).resolves.toMatchObject({ uid, emailVerified: true });
    expect(await activityActions(uid)).toEqual(expect.arrayContaining(['account.created', 'account.emailVerified']));
  });

  it.each([
    ['active, with a past-due invoice', 'active', -DAY, 'open', { allowed: true, reason: null }, 1],
    ['terminating, invoice not yet due', 'terminating', DAY, 'open', { allowed: true, reason: null }, 0],
    ['terminating, past-due invoice paid', 'terminating', -DAY, 'paid', { allowed: true, reason: null }, 0],
    ['terminating, past-due invoice unpaid', 'terminating', -DAY, 'open', { allowed: false, reason: 'AMOUNTS_DUE' }, 1],
  ] as const)('when the account is %s, then retrieval and dueInvoices say so', async (_case, status, dueIn, invoiceStatus, retrieval, due) => {
    const { uid } = await adminCreatedUser(local.client);
    await local.client.call('getAccount');
    await db().doc(`accounts/${uid}`).update({ status });
    await seedInvoice(uid, 'INV-1', dueIn, invoiceStatus);
    const account = await local.client.call<AccountView>('getAccount');
    expect(account.retrieval).toEqual(retrieval);
    expect(account.billing.dueInvoices.map((i) => [i.invoiceId, i.amount, i.currency])).toEqual(due ? [['INV-1', 1200, 'TWD']] : []);
  });

  it.each(['suspended', 'terminated'])('when the account is %s but the Auth user still works, then PERMISSION_DENIED', async (status) => {
    const { uid } = await adminCreatedUser(local.client);
    await local.client.call('getAccount');
    await db().doc(`accounts/${uid}`).update({ status });
    const error = await local.client.call('getAccount').catch((e: FirebaseError) => e);
    expect(error).toBeInstanceOf(FirebaseError);
    expect((error as FirebaseError).code).toBe('functions/permission-denied');
    expect((error as FirebaseError & { details: { reason: string } }).details.reason).toBe(`ACCOUNT_${status.toUpperCase()}`);
  });

  it.each([[{ uid: 'someone-else' }], [[1]], ['x'], [42]])('when called with data %j, then INVALID_ARGUMENT and nothing provisioned', async (data) => {
    const { uid } = await adminCreatedUser(local.client);
    const error = await local.client.call('getAccount', data).catch((e: FirebaseError) => e);
    expect((error as FirebaseError).code).toBe('functions/invalid-argument');
    expect((await db().doc(`accounts/${uid}`).get()).exists).toBe(false);
  });
});
