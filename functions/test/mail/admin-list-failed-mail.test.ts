import { Timestamp } from 'firebase-admin/firestore';
import { getDeps } from '../../src/deps';
import type { FailedMailView } from '../../src/mail/admin-list-failed-mail';
import { newInboxDoc } from '../../src/mail/inbox';
import { mailExpiresAt, type MailDoc } from '../../src/mail/model';
import { newMailDoc } from '../../src/mail/outbox';
import { deliverSoon } from '../../src/mail/deliver-soon';
import { callAs, customer, resultOf, staff } from '../billing/helpers';
import { useLocalFunctions } from '../support/local';
import { enqueue, scriptedSmtp, testDeps } from './helpers';

/**
 * `adminListFailedMail`: outbox messages that gave up, newest failure first. The failures here are
 * dated in 2090, after any other test's, so they open the list of the shared database in a known order.
 */
const local = useLocalFunctions();
const base = () => local.server.baseUrl;
const db = () => getDeps().db;
type Page = { messages: FailedMailView[]; nextPageToken: string | null };

const FAILED_AT = ['2090-01-03T00:00:00.000Z', '2090-01-02T00:00:00.000Z', '2090-01-01T00:00:00.000Z'];
let ids: string[];
let owner: string;
let support: string;

/** Writes a message as the outbox leaves it after its last failed attempt at `failedAt`. */
async function seedFailed(failedAt: string, mail: { kind?: string; to: string; related: string; lastError: string | null }): Promise<string> {
  const ref = db().collection('mail').doc();
  const at = new Date(failedAt);
  const doc: MailDoc = {
    ...newMailDoc(ref.id, at, { kind: 'records.fulfilled', subject: 'Your records', text: 't', html: 'h', ...mail }),
    status: 'failed', attempts: 5, lastError: mail.lastError, expiresAt: mailExpiresAt(getDeps().config, 'failed', at),
  };
  await ref.set(doc);
  return ref.id;
}

beforeAll(async () => {
  const seller = await customer(base(), 'failed-mail');
  owner = seller.uid;
  ids = [
    // A notice to an owner whose `related` is the request, not the account: the inbox entry names the owner.
    await seedFailed(FAILED_AT[0] ?? '', { to: 'owner@example.test', related: 'recordRequests/REC-2090-000001',
      lastError: 'EAUTH 535 (AUTH PLAIN): Invalid login for smtp://mailer:s3cret-pass@smtp.example.test:587' }),
    await seedFailed(FAILED_AT[1] ?? '', { kind: 'termination.notice', to: 'owner@example.test', related: `accounts/${owner}`, lastError: 'EENVELOPE 550 (RCPT TO): mailbox unavailable' }),
    await seedFailed(FAILED_AT[2] ?? '', { kind: 'incident.support', to: 'support@example.test', related: 'incidents/INC-2090-000001', lastError: null }),
  ];
  await db().collection('inbox').doc().set(newInboxDoc({ uid: owner, kind: 'records.fulfilled', title: 'Your records', body: 't', mailId: ids[0] ?? null }, new Date()));
  support = (await staff('support')).token;
});

const list = (data: unknown, token = support) => resultOf<Page>(base(), 'adminListFailedMail', token, data);

describe('adminListFailedMail', () => {
  it('when staff open the list, then the newest failure comes first, with its address, owner, attempts and a scrubbed error', async () => {
    const first = await list({ pageSize: 2 });
    expect(first.messages).toEqual([
      { id: ids[0], kind: 'records.fulfilled', subject: 'Your records', to: ['owner@example.test'], uid: owner, related: 'recordRequests/REC-2090-000001',
        attempts: 5, lastError: 'EAUTH 535 (AUTH PLAIN): Invalid login for [redacted]', failedAt: FAILED_AT[0] },
      { id: ids[1], kind: 'termination.notice', subject: 'Your records', to: ['owner@example.test'], uid: owner, related: `accounts/${owner}`,
        attempts: 5, lastError: 'EENVELOPE 550 (RCPT TO): mailbox unavailable', failedAt: FAILED_AT[1] },
    ]);
    expect(JSON.stringify(first)).not.toMatch(/s3cret-pass|mailer:/);
    const second = await list({ pageSize: 1, pageToken: first.nextPageToken });
    expect(second.messages).toEqual([
      { id: ids[2], kind: 'incident.support', subject: 'Your records', to: ['support@example.test'], uid: null, related: 'incidents/INC-2090-000001',
        attempts: 5, lastError: null, failedAt: FAILED_AT[2] },
    ]);
  });

  it('when a message was sent, then it is not listed, however late it expires', async () => {
    const ref = db().collection('mail').doc();
    const sentAt = Timestamp.fromDate(new Date('2090-02-01T00:00:00Z'));
    await ref.set({ ...newMailDoc(ref.id, sentAt.toDate(), { kind: 'x', to: 'a@example.test', subject: 's', text: 't', html: 'h' }),
      status: 'sent', attempts: 1, sentAt, expiresAt: Timestamp.fromDate(new Date('2099-01-01T00:00:00Z')) });
    const page = await list({ pageSize: 100 });
    expect(page.messages.map((m) => m.id)).not.toContain(ref.id);
    expect(page.messages.slice(0, 3).map((m) => m.id)).toEqual(ids);
  });

  it('when the input or page token is bad, then INVALID_ARGUMENT or BAD_PAGE_TOKEN', async () => {
    for (const [data, reason] of [
      [{ pageToken: 'not-a-token' }, 'BAD_PAGE_TOKEN'],
      [{ pageToken: Buffer.from('[1,2,"../x"]').toString('base64url') }, 'BAD_PAGE_TOKEN'],
      [{ pageSize: 0 }, 'INVALID_ARGUMENT'],
      [{ pageSize: 101 }, 'INVALID_ARGUMENT'],
      [{ status: 'failed' }, 'INVALID_ARGUMENT'],
    ] as const) {
      const answer = await callAs(base(), 'adminListFailedMail', support, data);
      expect({ data, status: answer.status, reason: answer.json?.error?.details?.reason }).toEqual({ data, status: 400, reason });
    }
  });

  it('when a customer or nobody asks, then PERMISSION_DENIED or UNAUTHENTICATED; an admin with no arguments gets the newest first', async () => {
    const seller = await customer(base(), 'failed-mail-refused');
    const refused = await callAs(base(), 'adminListFailedMail', seller.token, null);
    expect({ status: refused.status, reason: refused.json?.error?.details?.reason }).toEqual({ status: 403, reason: 'ROLE_REQUIRED' });
    expect(refused.text).not.toContain('owner@example.test');
    expect((await callAs(base(), 'adminListFailedMail', null, null)).status).toBe(401);
    expect((await list(null, (await staff('admin')).token)).messages[0]?.id).toBe(ids[0]);
  });

  // Last: its failure (2091) then heads the list.
  it('when a real delivery is refused for good, then it heads the list with the time it failed and the server\'s answer', async () => {
    // Only the customer's mailbox is gone: the ops alert about it goes through (and is not a failure of its own).
    const smtp = await scriptedSmtp({ rcptReply: (a) => (a.startsWith('gone@') ? '550 5.1.1 <gone@example.test> No such user' : '250 2.1.5 Ok') });
    const failedAt = new Date('2091-06-01T08:00:00.000Z');
    const { deps } = testDeps(failedAt, smtp.url);
    try {
      const [id] = await enqueue(deps, [{ kind: 'incident.ack', to: 'gone@example.test', related: 'incidents/INC-2091-000001' }]);
      await deliverSoon(deps, [id ?? '']);
      expect((await list({ pageSize: 1 })).messages).toEqual([{
        id, kind: 'incident.ack', subject: 'test 0', to: ['gone@example.test'], uid: null, related: 'incidents/INC-2091-000001',
        attempts: 1, lastError: expect.stringMatching(/550 .*No such user/) as unknown, failedAt: failedAt.toISOString(),
      }]);
    } finally {
      await smtp.close();
      deps.mailer.close();
    }
  });
});
