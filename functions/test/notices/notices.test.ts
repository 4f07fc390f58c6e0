import { loadConfig } from '../../src/config';
import { createDeps, getDeps } from '../../src/deps';
import { deliverMail } from '../../src/mail/deliver-mail';
import { announceServiceChange } from '../../src/notices/announce';
import { advanceFanout, fanoutId, noticeMailId, sendServiceNotices } from '../../src/notices/fanout';
import { forgetServiceNotices } from '../../src/notices/list';
import { fixedClock } from '../../src/shared/clock';
import { Timestamp } from 'firebase-admin/firestore';
import { announceInput } from '../../src/notices/schema';
import { addDays, oneMonthNoticeDate, taipeiDate } from '../../src/shared/taipei';
import { callError, rawCall } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { allMail } from '../support/maildev';
import { staffUser, verifiedUser } from '../incidents/helpers';
import type { Caller } from '../../src/shared/caller';
import { AppError } from '../../src/shared/errors';
import { statusOf } from '../../src/http/status';

const local = useLocalFunctions();
const db = () => getDeps().db;
const admin: Caller = { uid: 'staff-admin-1', email: 'admin@orderpally.test', emailVerified: true, signInProvider: 'password', role: 'admin', via: 'idToken' };

let seq = 0;
const tag = (name: string) => `${name} ${process.pid}-${Date.now()}-${++seq}`;
const notice = (overrides: Record<string, unknown> = {}) => ({ title: tag('Checkout page redesign'), body: 'The checkout page changes.\nNothing to do on your side.', kind: 'change', ...overrides });

/** An account document as provisioning writes it, for fan-out tests that need many. */
function accountDoc(uid: string, email: string, locale: 'zh-TW' | 'en', status = 'active') {
  const now = Timestamp.now();
  return {
    uid, email, displayName: null, providers: ['password'], emailVerified: true, locale, status, createdAt: now, updatedAt: now,
    contract: { startsAt: now, endsAt: null }, termination: null, suspension: null, billing: { amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: null },
  };
}

async function seedAccounts(prefix: string, n: number, locale: (i: number) => 'zh-TW' | 'en' = () => 'zh-TW', status: (i: number) => string = () => 'active') {
  const writer = db().bulkWriter();
  const uids = Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);
  uids.forEach((uid, i) => void writer.set(db().collection('accounts').doc(uid), accountDoc(uid, `${uid}@example.test`, locale(i), status(i))));
  await writer.close();
  return uids;
}

async function noticeMail(noticeId: string, round = 'announcement') {
  const snap = await db().collection('mail').where('related', '==', `serviceNotices/${noticeId}`).where('kind', '==', `serviceNotice.${round}`).get();
  return snap.docs.map((d) => ({ id: d.id, to: (d.get('to') as string[])[0] ?? '', subject: d.get('subject') as string }));
}

async function drainOutbox() {
  for (let i = 0; i < 50; i += 1) {
    const summary = await deliverMail(getDeps());
    if (summary.remaining === 0) return;
  }
  throw new Error('the outbox did not drain');
}

describe('one calendar month of notice, in Asia/Taipei (clause 2.1)', () => {
  const at = (iso: string) => createDeps(loadConfig(), { clock: fixedClock(new Date(iso)) });
  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => (e instanceof AppError ? { status: statusOf(e), earliest: e.details.earliest } : e));

  it.each([
    ['31 Jan 10:00 Taipei', '2026-01-31T02:00:00Z', '2026-02-28', '2026-02-27'],
    ['31 Jan of a leap year', '2028-01-31T02:00:00Z', '2028-02-29', '2028-02-28'],
    ['29 Feb of a leap year', '2028-02-29T04:00:00Z', '2028-03-29', '2028-03-28'],
    ['23:30 Taipei on 15 Mar (15:30 UTC)', '2026-03-15T15:30:00Z', '2026-04-15', '2026-04-14'],
    ['00:30 Taipei on 16 Mar (16:30 UTC on the 15th)', '2026-03-15T16:30:00Z', '2026-04-16', '2026-04-15'],
  ])('when announced at %s, then %s is the earliest date and %s is refused with it in details', async (_name, now, earliest, tooSoon) => {
    const deps = at(now);
    await expect(refusal(announceServiceChange(deps, admin, announceInput.parse(notice({ effectiveAt: tooSoon }))))).resolves.toEqual({ status: 'INVALID_ARGUMENT', earliest });
    const ok = await announceServiceChange(deps, admin, announceInput.parse(notice({ kind: 'sla', effectiveAt: earliest })));
    const stored = (await db().collection('serviceNotices').doc(ok.noticeId).get()).data();
    expect(stored).toMatchObject({ kind: 'sla', exemption: null, status: 'announced' });
    expect(taipeiDate((stored?.effectiveAt as Timestamp | undefined ?? Timestamp.fromMillis(0)).toDate())).toBe(earliest);
  });
});

describe('adminAnnounceServiceChange through HTTP', () => {
  it('when an admin announces a change a month ahead, then every account that is not terminated gets it in its language, the notice is listed publicly and audited, and a retry with the same key sends nothing again', async () => {
    const prefix = `fan-${process.pid}-${Date.now()}`;
    const uids = await seedAccounts(prefix, 6, (i) => (i % 2 === 0 ? 'en' : 'zh-TW'), (i) => (i === 5 ? 'terminated' : i === 4 ? 'suspended' : 'active'));
    const admin = await staffUser(local.client, 'admin');
    const effectiveAt = addDays(taipeiDate(new Date()), 40);
    const input = notice({ kind: 'discontinuation', effectiveAt, idempotencyKey: `key-${prefix}` });
    const first = await local.client.call<{ noticeId: string; recipients: number }>('adminAnnounceServiceChange', input);
    expect(first.recipients).toBeGreaterThanOrEqual(5);

    const queued = (await noticeMail(first.noticeId)).filter((m) => m.to.startsWith(prefix));
    expect(queued.map((m) => m.to).sort()).toEqual(uids.slice(0, 5).map((u) => `${u}@example.test`));
    expect(queued.find((m) => m.to.startsWith(uids[0] as string))?.subject).toBe(`Service notice: ${input.title}`);
    expect(queued.find((m) => m.to.startsWith(uids[1] as string))?.subject).toBe(`服務通知：${input.title}`);
    const entry = async (uid: string) => (await db().collection('inbox').doc(noticeMailId(first.noticeId, 'announcement', uid)).get()).data();
    expect(await entry(uids[0] as string)).toMatchObject({ uid: uids[0], kind: 'serviceNotice.announcement', title: `Service notice: ${input.title}`, readAt: null });
    expect(await entry(uids[5] as string)).toBeUndefined();

    const again = await local.client.call<{ noticeId: string; recipients: number }>('adminAnnounceServiceChange', input);
    expect(again).toEqual(first);
    expect((await noticeMail(first.noticeId)).filter((m) => m.to.startsWith(prefix))).toHaveLength(5);

    await drainOutbox();
    const inbox = (await allMail()).filter((m) => m.subject.includes(input.title) && m.to.some((t) => t.address.startsWith(prefix)));
    expect(inbox).toHaveLength(5);
    const english = inbox.find((m) => m.to[0]?.address.startsWith(uids[0] as string));
    expect(english?.text).toContain('discontinuation');
    expect(english?.text).toContain('Nothing to do on your side.');

    const listed = await rawCall(`${local.server.baseUrl}/listServiceNotices`, { body: JSON.stringify({ data: null }) });
    expect(listed.status).toBe(200);
    const notices = (listed.json?.result as { notices: Array<Record<string, unknown>> }).notices;
    expect(notices.find((n) => n.noticeId === first.noticeId)).toMatchObject({ title: input.title, kind: 'discontinuation', status: 'announced', exemption: null });

    const audit = await db().collection('auditLog').where('details.noticeId', '==', first.noticeId).get();
    expect(audit.docs.map((d) => d.get('action') as string)).toEqual(['serviceNotice.announced']);
    expect(audit.docs[0]?.get('actor')).toEqual({ uid: admin.uid, role: 'admin' });
    expect(audit.docs[0]?.get('details')).toMatchObject({ kind: 'discontinuation', exemption: null, noticeDays: 40 });
  });

  it('when a named exemption with a justification is given, then a sooner date is accepted and both are published; unknown exemptions, or none, are refused with the earliest date', async () => {
    await staffUser(local.client, 'admin');
    const soon = addDays(taipeiDate(new Date()), 2);
    const ok = await local.client.call<{ noticeId: string }>('adminAnnounceServiceChange', notice({ effectiveAt: soon, exemption: 'security-or-ip', justification: 'A vulnerability in the old checkout must be closed.' }));
    const stored = (await db().collection('serviceNotices').doc(ok.noticeId).get()).data();
    expect(stored).toMatchObject({ exemption: 'security-or-ip', justification: 'A vulnerability in the old checkout must be closed.' });

    const unknown = await callError(() => local.client.call('adminAnnounceServiceChange', notice({ effectiveAt: soon, exemption: 'convenience', justification: 'x' })));
    expect(unknown.code).toBe('functions/invalid-argument');
    expect(unknown.message).toMatch(/data\.exemption/);
    const none = await callError(() => local.client.call('adminAnnounceServiceChange', notice({ effectiveAt: soon })));
    expect(none.code).toBe('functions/invalid-argument');
    expect(none.details?.earliest).toBe(oneMonthNoticeDate(new Date()));
    const unjustified = await callError(() => local.client.call('adminAnnounceServiceChange', notice({ effectiveAt: soon, exemption: 'legal' })));
    expect(unjustified.message).toMatch(/data\.justification/);
  });

  it('when a customer or support calls it, then it is refused and nothing is written', async () => {
    const title = tag('not allowed');
    await verifiedUser(local.client, 'notice-customer');
    const customer = await callError(() => local.client.call('adminAnnounceServiceChange', notice({ title, effectiveAt: addDays(taipeiDate(new Date()), 40) })));
    expect(customer.code).toBe('functions/permission-denied');
    await staffUser(local.client, 'support');
    const support = await callError(() => local.client.call('adminAnnounceServiceChange', notice({ title, effectiveAt: addDays(taipeiDate(new Date()), 40) })));
    expect(support.code).toBe('functions/permission-denied');
    expect((await db().collection('serviceNotices').where('title', '==', title).get()).size).toBe(0);
  });

  it('when a notice is withdrawn, then it stays listed as withdrawn and a follow-up reaches the accounts; withdrawing twice is refused', async () => {
    const prefix = `wd-${process.pid}-${Date.now()}`;
    await seedAccounts(prefix, 2, () => 'en');
    await staffUser(local.client, 'admin');
    const { noticeId } = await local.client.call<{ noticeId: string }>('adminAnnounceServiceChange', notice({ effectiveAt: addDays(taipeiDate(new Date()), 45) }));
    await local.client.call('adminWithdrawServiceNotice', { noticeId, reason: 'Postponed to next year' });
    expect((await noticeMail(noticeId, 'withdrawal')).filter((m) => m.to.startsWith(prefix)).map((m) => m.subject)).toEqual([expect.stringMatching(/^Withdrawn: /), expect.stringMatching(/^Withdrawn: /)]);
    const listed = await local.client.call<{ notices: Array<Record<string, unknown>> }>('listServiceNotices');
    expect(listed.notices.find((n) => n.noticeId === noticeId)).toMatchObject({ status: 'withdrawn', withdrawalReason: 'Postponed to next year' });
    const twice = await callError(() => local.client.call('adminWithdrawServiceNotice', { noticeId, reason: 'again' }));
    expect(twice.code).toBe('functions/failed-precondition');
    await drainOutbox();
  });

  it('lists upcoming and recent notices newest first, not those effective more than 90 days ago, with no sign-in', async () => {
    const old = await db().collection('serviceNotices').add({ title: tag('old'), body: 'b', kind: 'change', effectiveAt: Timestamp.fromMillis(Date.now() - 91 * 86_400_000), announcedAt: Timestamp.fromMillis(Date.now() - 130 * 86_400_000), noticeDays: 39, exemption: null, justification: null, status: 'announced', withdrawnAt: null, withdrawalReason: null });
    const recent = await db().collection('serviceNotices').add({ title: tag('recent'), body: 'b', kind: 'sla', effectiveAt: Timestamp.fromMillis(Date.now() - 89 * 86_400_000), announcedAt: Timestamp.fromMillis(Date.now() - 120 * 86_400_000), noticeDays: 31, exemption: null, justification: null, status: 'announced', withdrawnAt: null, withdrawalReason: null });
    // Written straight into Firestore (dates no announcement could have), so this instance's
    // cached list does not know them: drop it, as its 60-second window would.
    forgetServiceNotices(getDeps());
    const response = await rawCall(`${local.server.baseUrl}/listServiceNotices`, { body: JSON.stringify({ data: {} }) });
    const ids = (response.json?.result as { notices: Array<{ noticeId: string; announcedAt: string }> }).notices;
    expect(ids.map((n) => n.noticeId)).toContain(recent.id);
    expect(ids.map((n) => n.noticeId)).not.toContain(old.id);
    expect(ids.map((n) => n.announcedAt)).toEqual([...ids.map((n) => n.announcedAt)].sort().reverse());
  });
});

describe('fan-out to thousands of accounts', () => {
  it('when 2,500 accounts get a notice in pages, with a crash after writing part of a page and before saving its cursor, then the next step resumes, nothing is queued twice, terminated accounts are skipped, and a real SMTP server receives each message once', async () => {
    const prefix = `big-${process.pid}-${Date.now()}`;
    const uids = await seedAccounts(prefix, 2_500, (i) => (i % 3 === 0 ? 'en' : 'zh-TW'), (i) => (i % 50 === 0 ? 'terminated' : 'active'));
    const live = uids.filter((_, i) => i % 50 !== 0);
    const deps = getDeps();
    const input = announceInput.parse(notice({ kind: 'sla', effectiveAt: addDays(taipeiDate(new Date()), 35) }));
    const title = input.title as string;
    // Steps of one 300-account page: the announcing call runs one, this test another, then
    // "crashes": a worker that wrote the first 100 messages of the next page and died before
    // saving the cursor (its lease then runs out).
    const small = { pageSize: 300, maxMs: 0 };
    const { noticeId } = await announceServiceChange(deps, admin, input, small);
    const id = fanoutId(noticeId, 'announcement');
    await advanceFanout(deps, id, small);
    const fanout = (await db().collection('noticeFanouts').doc(id).get()).data() as { cursor: string; state: string };
    expect(fanout.state).toBe('running');
    const next = await db().collection('accounts').orderBy('__name__').startAfter(fanout.cursor).limit(100).get();
    const writer = db().bulkWriter();
    for (const [i, snap] of next.docs.filter((d) => d.get('status') !== 'terminated').entries()) {
      const mailId = noticeMailId(noticeId, 'announcement', snap.id);
      // The crashed worker got as far as the inbox entries of the first half.
      if (i < 50) void writer.create(db().collection('inbox').doc(mailId), { uid: snap.id, kind: 'serviceNotice.announcement', title: 't', body: 't', createdAt: Timestamp.now(), readAt: null, mailId });
      void writer.create(db().collection('mail').doc(mailId), { kind: 'serviceNotice.announcement', to: [snap.get('email') as string], replyTo: null, subject: `Service notice: ${title}`, text: 't', html: '<p>t</p>', messageId: `<${mailId}@mail.orderpally>`, status: 'pending', attempts: 0, createdAt: Timestamp.now(), nextAttemptAt: Timestamp.now(), leaseUntil: null, sentAt: null, lastError: null, smtp: null, related: `serviceNotices/${noticeId}` });
    }
    await writer.close();
    await db().collection('noticeFanouts').doc(id).update({ leaseUntil: Timestamp.fromMillis(Date.now() - 1_000) });

    // The scheduled sweep finishes it.
    for (let i = 0; i < 20; i += 1) {
      const { fanouts } = await sendServiceNotices(deps, { pageSize: 300 });
      if (!fanouts.some((f) => f.fanoutId === id && f.state === 'running')) break;
    }
    const done = (await db().collection('noticeFanouts').doc(id).get()).data();
    expect(done).toMatchObject({ state: 'done' });

    const queued = (await noticeMail(noticeId)).filter((m) => m.to.startsWith(prefix));
    expect(queued).toHaveLength(live.length);
    expect(new Set(queued.map((m) => m.to)).size).toBe(live.length);
    // Every live account has its one inbox entry (ids are derived: a second would be the same document); terminated ones none.
    const entries = await db().getAll(...uids.map((uid) => db().collection('inbox').doc(noticeMailId(noticeId, 'announcement', uid))));
    expect(entries.filter((e) => e.exists).map((e) => e.get('uid') as string)).toEqual(live);
    expect(done).toMatchObject({ queued: expect.any(Number) as unknown, posted: expect.any(Number) as unknown });

    await drainOutbox();
    const arrived = (await allMail()).filter((m) => m.subject.includes(title) && m.to.some((t) => t.address.startsWith(prefix)));
    expect(arrived).toHaveLength(live.length);
    expect(new Set(arrived.map((m) => m.to[0]?.address)).size).toBe(live.length);
  }, 180_000);
});

it('rejects an unsafe idempotency key or a bad kind without writing', async () => {
  await staffUser(local.client, 'admin');
  const title = tag('bad');
  for (const bad of [{ idempotencyKey: 'short' }, { kind: 'price' }, { effectiveAt: 'tomorrow' }, { title: '' }, { body: 'x'.repeat(20_001) }]) {
    const error = await callError(() => local.client.call('adminAnnounceServiceChange', notice({ title, effectiveAt: addDays(taipeiDate(new Date()), 40), ...bad })));
    expect(error.code).toBe('functions/invalid-argument');
  }
  expect((await db().collection('serviceNotices').where('title', '==', title).get()).size).toBe(0);
});
