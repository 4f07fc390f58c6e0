import { mailOwner } from '../../src/mail/mail-owner';
import type { InboxDoc } from '../../src/mail/inbox';
import type { MailDoc } from '../../src/mail/model';
import { testDeps } from './helpers';

// Messages are created in the far future: no mail sweep finds them due. The next test file starts
// with an empty database (support/fresh-database.ts), so nothing here needs deleting.
const AT = new Date('2990-06-01T04:00:00.000Z');
const MAIL = { subject: 'Your account', text: 'Hello.\n', html: '<p>Hello.</p>\n' };

const { deps } = testDeps(AT);

afterAll(() => deps.mailer.close());

let seq = 0;
const uniqueUid = (tag: string) => `${tag}-${process.pid}-${Date.now()}-${++seq}`;

/** Runs `mailOwner` for `owner` in a transaction; returns its ids, the stored messages and the owner's inbox. */
async function mailTo(owner: Parameters<typeof mailOwner>[2]): Promise<{ ids: string[]; docs: MailDoc[]; inbox: InboxDoc[] }> {
  const ids = await deps.db.runTransaction(async (tx) => mailOwner(tx, deps, owner, AT, 'account.test', MAIL));
  const docs = await Promise.all(ids.map(async (id) => (await deps.db.collection('mail').doc(id).get()).data() as MailDoc));
  const inbox = (await deps.db.collection('inbox').where('uid', '==', owner.uid).get()).docs.map((d) => d.data() as InboxDoc);
  return { ids, docs, inbox };
}

describe('mailOwner', () => {
  it('when the owner has a verified sign-in address, then one message to it goes in the outbox, related to the account, and the inbox entry names it', async () => {
    const uid = uniqueUid('owner-verified');
    const { ids, docs, inbox } = await mailTo({ uid, email: 'owner@example.test', emailVerified: true });
    expect(ids).toHaveLength(1);
    expect(docs[0]).toMatchObject({ kind: 'account.test', to: ['owner@example.test'], related: `accounts/${uid}`, status: 'pending', ...MAIL });
    expect(inbox).toEqual([expect.objectContaining({ uid, kind: 'account.test', title: MAIL.subject, body: MAIL.text, readAt: null, mailId: ids[0] })]);
  });

  it('when the owner confirmed a contact address, then the mail goes there, not to the sign-in address', async () => {
    const uid = uniqueUid('owner-contact');
    const { docs } = await mailTo({ uid, email: 'signin@example.test', emailVerified: true, contactEmail: 'contact@example.test' });
    expect(docs.map((d) => d.to)).toEqual([['contact@example.test']]);
  });

  it.each([
    ['no address', { email: null, emailVerified: false }],
    ['only an unverified sign-in address', { email: 'unverified@example.test', emailVerified: false }],
    ['an empty address', { email: '', emailVerified: true }],
    ['a second header smuggled in', { email: 'owner@example.test\r\nBcc: eve@example.test', emailVerified: true }],
    ['a display name', { email: 'Owner <owner@example.test>', emailVerified: true }],
    ['two addresses', { email: 'owner@example.test,eve@example.test', emailVerified: true }],
  ])('when the owner has %s, then nothing goes in the outbox but the notice is in the inbox', async (_case, address) => {
    const uid = uniqueUid('owner-unmailable');
    const { ids, inbox } = await mailTo({ uid, ...address });
    expect(ids).toEqual([]);
    expect((await deps.db.collection('mail').where('related', '==', `accounts/${uid}`).get()).size).toBe(0);
    expect(inbox).toEqual([expect.objectContaining({ uid, kind: 'account.test', title: MAIL.subject, body: MAIL.text, mailId: null })]);
  });
});
