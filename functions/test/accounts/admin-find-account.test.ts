import type { FoundAccount } from '../../src/accounts/admin-find-account';
import { newAccountDoc } from '../../src/accounts/provision';
import { getDeps } from '../../src/deps';
import { callAs, customer, PASSWORD, resultOf, staff } from '../billing/helpers';
import { confirmContact } from '../inbox/helpers';
import { uniqueEmail } from '../support/client';
import { useLocalFunctions } from '../support/local';

/** `adminFindAccount`: staff find an account by an email, in any case, or by its uid. */
const local = useLocalFunctions();
const base = () => local.server.baseUrl;
let support: string;

beforeAll(async () => {
  support = (await staff('support')).token;
});

const find = (query: string, token = support) => resultOf<{ accounts: FoundAccount[] }>(base(), 'adminFindAccount', token, { query });

describe('adminFindAccount', () => {
  it('when support types the sign-in address in another case, or the uid, then that account comes back as it stands', async () => {
    const seller = await customer(base(), 'find-me');
    const expected = { uid: seller.uid, email: seller.email, contactEmail: null, displayName: null, status: 'active', createdAt: expect.any(String) as unknown };
    expect(await find(`  ${seller.email.toUpperCase()} `)).toEqual({ accounts: [expected] });
    expect(await find(seller.uid)).toEqual({ accounts: [expected] });
  });

  it('when support types the confirmed contact address in another case than it was confirmed in, then the account is found by it', async () => {
    const seller = await customer(base(), 'find-contact');
    const contact = uniqueEmail('Shop.Owner').replace('@example.test', '@Example.TEST');
    await confirmContact(base(), seller.token, contact);
    const { accounts } = await find(contact.toLowerCase());
    expect(accounts.map((a) => [a.uid, a.email, a.contactEmail])).toEqual([[seller.uid, seller.email, contact]]);
  });

  it('when the Auth user is gone but the account remains (an ended account), then its stored address still finds it', async () => {
    const email = uniqueEmail('gone');
    const uid = `gone-${Date.now()}`;
    const doc = { ...newAccountDoc({ uid, email, displayName: 'Old shop', providerIds: ['password'], emailVerified: true }, new Date()), status: 'terminated' as const };
    await getDeps().db.collection('accounts').doc(uid).set(doc);
    expect(await find(email)).toEqual({
      accounts: [{ uid, email, contactEmail: null, displayName: 'Old shop', status: 'terminated', createdAt: doc.createdAt.toDate().toISOString() }],
    });
  });

  it('when a user signed up but never called a function, then they are found with no status yet', async () => {
    const email = uniqueEmail('unprovisioned');
    const user = await getDeps().auth.createUser({ email, password: PASSWORD, emailVerified: false });
    expect(await find(email)).toEqual({
      accounts: [{ uid: user.uid, email, contactEmail: null, displayName: null, status: null, createdAt: new Date(user.metadata.creationTime).toISOString() }],
    });
  });

  it('when nothing matches, then an empty list, not an error', async () => {
    expect(await find(uniqueEmail('nobody'))).toEqual({ accounts: [] });
    expect(await find('no-such-uid')).toEqual({ accounts: [] });
    expect(await find('not/a/uid')).toEqual({ accounts: [] });
  });

  it('when the query is missing, empty or not one line, then INVALID_ARGUMENT', async () => {
    for (const data of [null, {}, { query: '' }, { query: '   ' }, { query: 'a\nb' }, { query: 'x'.repeat(321) }, { query: 'a', extra: 1 }]) {
      const answer = await callAs(base(), 'adminFindAccount', support, data);
      expect({ data, status: answer.status, reason: answer.json?.error?.details?.reason }).toEqual({ data, status: 400, reason: 'INVALID_ARGUMENT' });
    }
  });

  it('when a customer or nobody asks, then PERMISSION_DENIED or UNAUTHENTICATED, with nothing about the account', async () => {
    const seller = await customer(base(), 'find-refused');
    const refused = await callAs(base(), 'adminFindAccount', seller.token, { query: seller.email });
    expect({ status: refused.status, reason: refused.json?.error?.details?.reason }).toEqual({ status: 403, reason: 'ROLE_REQUIRED' });
    expect(refused.text).not.toContain(seller.uid);
    expect((await callAs(base(), 'adminFindAccount', null, { query: seller.email })).status).toBe(401);
  });

  it('when an admin asks, then they are answered too', async () => {
    const seller = await customer(base(), 'find-admin');
    const admin = (await staff('admin')).token;
    expect((await find(seller.email, admin)).accounts.map((a) => a.uid)).toEqual([seller.uid]);
  });
});
