import { mailOwner } from '../../src/mail/mail-owner';
import type { MailDoc } from '../../src/mail/model';
import { deleteOldMail, testDeps } from './helpers';

// Messages are created in the far future: no deliverMail sweep of another test file finds them due.
const AT = new Date('2990-06-01T04:00:00.000Z');
const MAIL = { subject: 'Your account', text: 'Hello.\n', html: '<p>Hello.</p>\n' };

const { deps } = testDeps(AT);

afterAll(async () => {
  await deleteOldMail(deps, new Date('2999-01-01T00:00:00Z'));
  deps.mailer.close();
});

/** Runs `mailOwner` for `owner` in a transaction; returns its ids and the stored messages. */
async function mailTo(owner: Parameters<typeof mailOwner>[2]): Promise<{ ids: string[]; docs: MailDoc[] }> {
  const ids = await deps.db.runTransaction(async (tx) => mailOwner(tx, deps, owner, AT, 'account.test', MAIL));
  const docs = await Promise.all(ids.map(async (id) => (await deps.db.collection('mail').doc(id).get()).data() as MailDoc));
  return { ids, docs };
}

describe('mailOwner', () => {
  it('when the owner has a plain address, then one message to it goes in the outbox, related to the account', async () => {
    const { ids, docs } = await mailTo({ uid: 'owner-1', email: 'owner@example.test' });
    expect(ids).toHaveLength(1);
    expect(docs[0]).toMatchObject({ kind: 'account.test', to: ['owner@example.test'], related: 'accounts/owner-1', status: 'pending', ...MAIL });
  });

  it.each([
    ['no address', null],
    ['an empty address', ''],
    ['a second header smuggled in', 'owner@example.test\r\nBcc: eve@example.test'],
    ['a display name', 'Owner <owner@example.test>'],
    ['two addresses', 'owner@example.test,eve@example.test'],
  ])('when the owner has %s, then nothing goes in the outbox', async (_case, email) => {
    const before = (await deps.db.collection('mail').where('related', '==', 'accounts/owner-2').get()).size;
    const { ids } = await mailTo({ uid: 'owner-2', email });
    expect(ids).toEqual([]);
    expect((await deps.db.collection('mail').where('related', '==', 'accounts/owner-2').get()).size).toBe(before);
  });
});
