import { Timestamp } from 'firebase-admin/firestore';
import { loadConfig } from '../../src/config';
import { createDeps, getDeps, type Deps } from '../../src/deps';
import { deliverSoon } from '../../src/mail/deliver-soon';
import { FAILED_ALERT_KIND } from '../../src/mail/failed-alert';
import { LEASE_MS, MAX_ATTEMPTS, backoffMs } from '../../src/mail/policy';
import { SentRecorder } from '../../src/mail/sent-recorder';
import { claimGroup, claimRead } from '../../src/mail/claim';
import { deliverMail } from '../../src/mail/deliver-mail';
import type { MailDoc } from '../../src/mail/model';
import { fixedClock } from '../../src/shared/clock';
import { startFunctionsServer } from '../support/server';
import {
  deleteFromInbox,
  deleteOldMail,
  enqueue,
  freePort,
  inbox,
  mailDoc,
  memoryLogger,
  messageIdOf,
  ownMaildev,
  scriptedSmtp,
  tag,
  testDeps,
  waitForInbox,
  type InboxMail,
} from './helpers';

// Every test here runs its clock in a year of its own from 1981 on (one year a test, so before
// 2010), so its sweeps never see another test file's mail (created at the real time) and its
// messages are deleted after each test.
const ERA_END = new Date('2010-01-01T00:00:00Z');
let year = 1980;
const nextStart = () => new Date(`${++year}-03-01T09:00:00.000Z`);

const opened: Deps[] = [];
const subjects: string[] = [];
function track<T extends { deps: Deps }>(made: T): T {
  opened.push(made.deps);
  return made;
}
const ours = (m: InboxMail) => subjects.some((s) => m.subject.includes(s));

afterAll(() => getDeps().mailer.close());

afterEach(async () => {
  const deps = opened[0];
  if (deps) await deleteOldMail(deps, ERA_END);
  opened.splice(0).forEach((d) => d.mailer.close());
  await deleteFromInbox(ours);
});

const closedSmtpUrl = async () => `smtp://127.0.0.1:${await freePort()}`;

describe('deliverSoon: the first attempt, right after the commit', () => {
  it('when a message is enqueued in a transaction and delivered at once, then MailDev has it with our Message-ID and subject, and the SMTP answer is recorded', async () => {
    const { deps, clock } = track(testDeps(nextStart()));
    const subject = tag('welcome');
    subjects.push(subject);
    const [id] = await enqueue(deps, [{ subject, to: ['alice@example.test', 'bob@example.test'], replyTo: 'support@example.test' }]);
    const before = await mailDoc(deps, id as string);
    expect(before.status).toBe('pending');

    const summary = await deliverSoon(deps, [id as string]);

    expect(summary).toEqual({ claimed: 1, sent: 1, retried: 0, failed: 0 });
    const [arrived] = await waitForInbox((m) => m.subject === subject);
    expect(arrived).toBeDefined();
    expect(messageIdOf(arrived as InboxMail)).toBe(before.messageId);
    expect((arrived as InboxMail).to.map((t) => t.address).sort()).toEqual(['alice@example.test', 'bob@example.test']);
    const after = await mailDoc(deps, id as string);
    expect(after).toMatchObject({ status: 'sent', attempts: 1, leaseUntil: null, lastError: null, messageId: before.messageId });
    expect(after.sentAt?.toDate()).toEqual(clock.now());
    expect(after.smtp).toEqual({
      accepted: ['alice@example.test', 'bob@example.test'],
      rejected: [],
      response: expect.stringMatching(/^250 /) as string,
      messageId: before.messageId,
    });
  });

  it('when SMTP is down, then the message stays pending with attempts 1 and nextAttemptAt one minute later, and lastError holds no SMTP URL', async () => {
    const url = await closedSmtpUrl();
    const { deps, clock } = track(testDeps(nextStart(), url));
    const [id] = await enqueue(deps, [{ subject: tag('down') }]);

    const summary = await deliverSoon(deps, [id as string]);

    expect(summary).toEqual({ claimed: 1, sent: 0, retried: 1, failed: 0 });
    const doc = await mailDoc(deps, id as string);
    expect(doc).toMatchObject({ status: 'pending', attempts: 1, leaseUntil: null, sentAt: null, smtp: null });
    expect(doc.nextAttemptAt.toMillis()).toBe(clock.now().getTime() + 60_000);
    expect(doc.lastError).toMatch(/ECONNREFUSED|ESOCKET/);
    expect(doc.lastError).not.toContain(url);
  });

  it('when the server stalls, then deliverSoon returns within its bound and the attempt counts as failed', async () => {
    const stalled = await scriptedSmtp({ silent: true });
    try {
      const { deps, clock } = track(testDeps(nextStart(), stalled.url));
      const [id] = await enqueue(deps, [{ subject: tag('stalled') }]);
      const started = Date.now();
      const summary = await deliverSoon(deps, [id as string], { timeoutMs: 1_500 });
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(summary).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
      const doc = await mailDoc(deps, id as string);
      expect(doc).toMatchObject({ status: 'pending', attempts: 1 });
      expect(doc.nextAttemptAt.toMillis()).toBe(clock.now().getTime() + 60_000);
      expect(doc.lastError).toMatch(/EABORT|abort/i);
    } finally {
      await stalled.close();
    }
  });

  it('when many messages are handed over at once, then they are claimed a group at a time and each is sent and recorded once; one another sender holds is left to it', async () => {
    const { deps, clock } = track(testDeps(nextStart()));
    const subject = tag('many');
    subjects.push(subject);
    const ids = await enqueue(deps, Array.from({ length: 40 }, (_, i) => ({ subject: `${subject} ${i}` })));
    // Another sender claimed one of them a moment ago: its lease is live.
    const held = ids[17] as string;
    await deps.db.collection('mail').doc(held).update({ status: 'sending', attempts: 1, leaseUntil: Timestamp.fromMillis(clock.now().getTime() + LEASE_MS) });

    await expect(deliverSoon(deps, ids)).resolves.toEqual({ claimed: 39, sent: 39, retried: 0, failed: 0 });

    const docs = await Promise.all(ids.map((id) => mailDoc(deps, id)));
    expect(docs.filter((d) => d.status === 'sent' && d.attempts === 1)).toHaveLength(39);
    expect(await mailDoc(deps, held)).toMatchObject({ status: 'sending', attempts: 1 });
    const arrived = await waitForInbox((m) => m.subject.startsWith(`${subject} `), 39);
    expect(new Set(arrived.map((m) => m.subject)).size).toBe(39);
    expect(arrived.map((m) => m.subject)).not.toContain(`${subject} 17`);
  });

  it('when ids do not exist or were already sent, then nothing is sent twice and nothing throws', async () => {
    const { deps } = track(testDeps(nextStart()));
    const subject = tag('once');
    subjects.push(subject);
    const [id] = await enqueue(deps, [{ subject }]);
    await expect(deliverSoon(deps, [id as string, id as string, 'no-such-message'])).resolves.toEqual({ claimed: 1, sent: 1, retried: 0, failed: 0 });
    await expect(deliverSoon(deps, [id as string])).resolves.toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });
    await expect(deliverSoon(deps, [])).resolves.toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });
    expect(await waitForInbox((m) => m.subject === subject, 2, { timeoutMs: 500 })).toHaveLength(1);
  });

  it('when an attempt ends, then one log event names id, kind, attempt and status, never addresses or body', async () => {
    const log = memoryLogger();
    const { deps } = track(testDeps(nextStart(), undefined, log));
    const subject = tag('logged');
    subjects.push(subject);
    const [id] = await enqueue(deps, [{ subject, to: 'private-person@example.test', text: 'secret body', html: '<p>secret body</p>' }]);
    await deliverSoon(deps, [id as string]);
    const sent = log.events.filter((e) => e.event === 'mail.sent');
    expect(sent).toEqual([{ severity: 'INFO', event: 'mail.sent', fields: { mailId: id, kind: 'test.mail', attempt: 1, status: 'sent' } }]);
    expect(JSON.stringify(log.events)).not.toMatch(/private-person|secret body/);
  });
});

describe('permanent and temporary refusals', () => {
  it('when the server refuses every recipient with 5xx, then the message fails at once and ops get one alert (delivered too)', async () => {
    const smtp = await scriptedSmtp({ rcptReply: (a) => (a.startsWith('bounce') ? '550 5.1.1 <bounce> No such user' : '250 2.1.5 Ok') });
    try {
      const { deps } = track(testDeps(nextStart(), smtp.url));
      const [id] = await enqueue(deps, [{ subject: tag('bounce'), to: ['bounce@example.test', 'bounce2@example.test'], kind: 'incident.ack' }]);
      const summary = await deliverSoon(deps, [id as string]);
      const doc = await mailDoc(deps, id as string);
      expect(doc).toMatchObject({ status: 'failed', attempts: 1, leaseUntil: null });
      expect(doc.lastError).toMatch(/550/);
      const alerts = await deps.db.collection('mail').where('related', '==', `mail/${id}`).get();
      expect(alerts.docs.map((d) => d.data() as MailDoc)).toEqual([
        expect.objectContaining({ kind: FAILED_ALERT_KIND, to: [deps.config.OPS_EMAIL], status: 'sent' }),
      ]);
      const alert = alerts.docs[0]?.data() as MailDoc;
      expect(alert.subject).toContain('incident.ack');
      expect(alert.text).toContain(`mail/${id}`);
      expect(alert.text).toMatch(/Attempts: +1/);
      expect(smtp.received).toEqual([alert.messageId]);
      expect(summary).toEqual({ claimed: 2, sent: 1, retried: 0, failed: 1 });
    } finally {
      await smtp.close();
    }
  });

  it('when the server defers with 4xx, or refuses only some recipients, then it retries, or sends and records the refused ones', async () => {
    const smtp = await scriptedSmtp({
      rcptReply: (a) => (a.startsWith('busy') ? '451 4.3.0 Try again later' : a.startsWith('bounce') ? '550 5.1.1 No such user' : '250 2.1.5 Ok'),
    });
    try {
      const { deps } = track(testDeps(nextStart(), smtp.url));
      const [busy, partial] = await enqueue(deps, [
        { subject: tag('busy'), to: 'busy@example.test' },
        { subject: tag('partial'), to: ['ok@example.test', 'bounce@example.test'] },
      ]);
      await deliverSoon(deps, [busy as string, partial as string]);
      expect(await mailDoc(deps, busy as string)).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/451/) as string });
      const sent = await mailDoc(deps, partial as string);
      expect(sent).toMatchObject({ status: 'sent', smtp: { accepted: ['ok@example.test'], rejected: ['bounce@example.test'] } });
    } finally {
      await smtp.close();
    }
  });
});

describe('deliverMail: the sweep', () => {
  it('backs off 1 min, 5 min, 30 min, 2 h, 6 h, then daily, and after 10 failures the message fails with one ops alert; a failed alert raises none', async () => {
    const { deps, clock } = track(testDeps(nextStart(), await closedSmtpUrl()));
    const [id] = await enqueue(deps, [{ subject: tag('backoff') }]);
    const expected = [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 86_400_000, 86_400_000, 86_400_000, 86_400_000, null];
    const seen: Array<number | null> = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const summary = await deliverMail(deps);
      expect(summary).toMatchObject({ claimed: attempt === MAX_ATTEMPTS ? 2 : 1, sent: 0 });
      const doc = await mailDoc(deps, id as string);
      expect(doc.attempts).toBe(attempt);
      if (doc.status === 'failed') {
        seen.push(null);
        break;
      }
      expect(doc.status).toBe('pending');
      seen.push(doc.nextAttemptAt.toMillis() - clock.now().getTime());
      // Not yet due a moment before: the sweep leaves it alone.
      clock.set(new Date(doc.nextAttemptAt.toMillis() - 1));
      await expect(deliverMail(deps)).resolves.toMatchObject({ claimed: 0, remaining: 0 });
      clock.set(doc.nextAttemptAt.toDate());
    }
    expect(seen).toEqual(expected);
    expect(seen.map((_, i) => backoffMs(i + 1))).toEqual(expected);

    const failed = await mailDoc(deps, id as string);
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, leaseUntil: null });
    expect(failed.lastError).toMatch(/ECONNREFUSED|ESOCKET/);
    const alerts = await deps.db.collection('mail').where('kind', '==', FAILED_ALERT_KIND).where('related', '==', `mail/${id}`).get();
    expect(alerts.size).toBe(1);
    const alertId = alerts.docs[0]?.id as string;
    // The alert is tried in the same sweep (SMTP is still down) and then follows the same schedule.
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      const alert = await mailDoc(deps, alertId);
      expect(alert).toMatchObject({ status: 'pending', attempts: attempt });
      clock.set(alert.nextAttemptAt.toDate());
      await deliverMail(deps);
    }
    expect(await mailDoc(deps, alertId)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    const alertsOfAlert = await deps.db.collection('mail').where('related', '==', `mail/${alertId}`).get();
    expect(alertsOfAlert.size).toBe(0);
    await expect(deliverMail(deps)).resolves.toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0, remaining: 0 });
  });

  it('when a sender crashed (lease run out), then the next sweep delivers the message; a live lease is not touched', async () => {
    const { deps, clock } = track(testDeps(nextStart()));
    const crashed = tag('crashed');
    const busy = tag('leased');
    subjects.push(crashed, busy);
    const [crashedId, busyId] = await enqueue(deps, [{ subject: crashed }, { subject: busy }]);
    const now = clock.now().getTime();
    const lease = (until: number) => ({ status: 'sending', attempts: 1, leaseUntil: Timestamp.fromMillis(until), nextAttemptAt: Timestamp.fromMillis(until) });
    await deps.db.collection('mail').doc(crashedId as string).update(lease(now - 1));
    await deps.db.collection('mail').doc(busyId as string).update(lease(now + LEASE_MS - 1_000));

    await expect(deliverMail(deps)).resolves.toEqual({ claimed: 1, sent: 1, retried: 0, failed: 0, remaining: 0 });

    expect(await mailDoc(deps, crashedId as string)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await mailDoc(deps, busyId as string)).toMatchObject({ status: 'sending', attempts: 1 });
    const arrived = await waitForInbox(ours, 1);
    expect(arrived.map((m) => m.subject)).toEqual([crashed]);
    // Once that lease runs out too, it is taken over.
    clock.set(new Date(now + LEASE_MS));
    await expect(deliverMail(deps)).resolves.toMatchObject({ claimed: 1, sent: 1 });
    expect(await mailDoc(deps, busyId as string)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('when the lease ran out on the last attempt, then the message fails (outcome unknown) with an alert, without an 11th send', async () => {
    const { deps, clock } = track(testDeps(nextStart()));
    const subject = tag('last-lease');
    subjects.push(subject);
    const [id] = await enqueue(deps, [{ subject }]);
    const past = Timestamp.fromMillis(clock.now().getTime() - 1);
    await deps.db.collection('mail').doc(id as string).update({ status: 'sending', attempts: MAX_ATTEMPTS, leaseUntil: past, nextAttemptAt: past });
    const summary = await deliverMail(deps);
    expect(summary).toMatchObject({ claimed: 2, sent: 1, failed: 1 }); // the alert went out
    expect(await mailDoc(deps, id as string)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastError: expect.stringMatching(/outcome unknown/) as string });
    expect((await inbox()).filter((m) => m.subject === subject)).toHaveLength(0);
  });

  it('when SMTP comes back, then the next sweep delivers what failed while it was down', async () => {
    const maildev = await ownMaildev();
    try {
      const { deps, clock } = track(testDeps(nextStart(), maildev.smtpUrl));
      const subject = tag('comes-back');
      const [id] = await enqueue(deps, [{ subject }]);
      await expect(deliverSoon(deps, [id as string])).resolves.toMatchObject({ retried: 1 });
      const pending = await mailDoc(deps, id as string);
      expect(pending).toMatchObject({ status: 'pending', attempts: 1 });

      await maildev.start();
      await expect(deliverMail(deps)).resolves.toMatchObject({ claimed: 0 }); // not due for another minute
      clock.set(pending.nextAttemptAt.toDate());
      await expect(deliverMail(deps)).resolves.toEqual({ claimed: 1, sent: 1, retried: 0, failed: 0, remaining: 0 });

      const arrived = await waitForInbox((m) => m.subject === subject, 1, { webUrl: maildev.webUrl });
      expect(arrived.map(messageIdOf)).toEqual([pending.messageId]);
      expect(await mailDoc(deps, id as string)).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      await maildev.stop();
    }
  });

  it('when two sweeps run at once over 30 due messages, then each message is delivered exactly once and all are sent', async () => {
    const start = nextStart();
    const a = track(testDeps(start));
    const b = track(testDeps(start));
    const base = tag('concurrent');
    subjects.push(base);
    const ids = await enqueue(a.deps, Array.from({ length: 30 }, (_, i) => ({ subject: `${base} #${i}` })));

    const [sa, sb] = await Promise.all([deliverMail(a.deps), deliverMail(b.deps)]);

    expect(sa.claimed + sb.claimed).toBe(30);
    expect(sa.sent + sb.sent).toBe(30);
    const docs = await Promise.all(ids.map((id) => mailDoc(a.deps, id)));
    expect(docs.every((d) => d.status === 'sent' && d.attempts === 1)).toBe(true);
    const arrived = await waitForInbox((m) => m.subject.startsWith(base), 30);
    await new Promise((r) => setTimeout(r, 300)); // a duplicate would be in by now
    const byId = new Map<string, number>();
    for (const m of await inbox()) {
      if (!m.subject.startsWith(base)) continue;
      const key = messageIdOf(m) ?? '';
      byId.set(key, (byId.get(key) ?? 0) + 1);
    }
    expect(arrived).toHaveLength(30);
    expect([...byId.keys()].sort()).toEqual(docs.map((d) => d.messageId).sort());
    expect([...byId.values()].every((n) => n === 1)).toBe(true);
  });

  it('when a message changes after a sweep read it (another sender claimed it first), then the sweep does not claim it again and still claims the rest of its group', async () => {
    const { deps } = track(testDeps(nextStart()));
    const ids = await enqueue(deps, [{ subject: tag('stale-a') }, { subject: tag('stale-b') }, { subject: tag('stale-c') }]);
    const read = await Promise.all(ids.map((id) => deps.db.collection('mail').doc(id).get()));
    // deliverSoon's first attempt takes the first message between the sweep's read and its claim.
    await expect(claimGroup(deps, [ids[0] as string], true)).resolves.toMatchObject([{ kind: 'claimed' }]);

    const claims = await claimRead(deps, read);

    expect(claims.map((c) => c.kind)).toEqual(['skipped', 'claimed', 'claimed']);
    const docs = await Promise.all(ids.map((id) => mailDoc(deps, id)));
    expect(docs.map((d) => [d.status, d.attempts])).toEqual([['sending', 1], ['sending', 1], ['sending', 1]]);
  });

  it('when more is due than one run may take, then the run stops at its bound and reports the rest as remaining', async () => {
    const { deps } = track(testDeps(nextStart(), await closedSmtpUrl()));
    await enqueue(deps, Array.from({ length: 7 }, () => ({ subject: tag('bounded') })));
    await expect(deliverMail(deps, { maxMessages: 5, concurrency: 2, batchSize: 3 })).resolves.toEqual({ claimed: 5, sent: 0, retried: 5, failed: 0, remaining: 2 });
  });
});

describe('recording sent messages in batches', () => {
  it('when one document of a batch is gone, then the others are still recorded and only that write fails', async () => {
    const { deps } = track(testDeps(nextStart()));
    const [kept, gone] = await enqueue(deps, [{ subject: tag('kept') }, { subject: tag('gone') }]);
    await deps.db.collection('mail').doc(gone as string).delete();
    const recorder = new SentRecorder(deps.db, 10, 5);
    const results = await Promise.allSettled([
      recorder.write(deps.db.collection('mail').doc(kept as string), { status: 'sent' }),
      recorder.write(deps.db.collection('mail').doc(gone as string), { status: 'sent' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(await mailDoc(deps, kept as string)).toMatchObject({ status: 'sent' });
  });
});

describe('retention: expiresAt for the TTL policy on mail.expiresAt', () => {
  const DAY = 86_400_000;
  const expiry = (doc: MailDoc) => doc.expiresAt?.toMillis() ?? null;

  it('when a message is sent, then it expires 30 days after; when it fails, 90 days after; until then it has no expiry', async () => {
    const smtp = await scriptedSmtp({ rcptReply: (a) => (a.startsWith('bounce') ? '550 5.1.1 No such user' : '250 2.1.5 Ok') });
    try {
      const start = nextStart();
      const { deps } = track(testDeps(start, smtp.url));
      const [sent, failed] = await enqueue(deps, [{ subject: tag('kept 30 days') }, { subject: tag('kept 90 days'), to: 'bounce@example.test' }]);
      expect(expiry(await mailDoc(deps, sent as string))).toBeNull();
      await deliverSoon(deps, [sent as string, failed as string]);
      expect(await mailDoc(deps, sent as string)).toMatchObject({ status: 'sent' });
      expect(expiry(await mailDoc(deps, sent as string))).toBe(start.getTime() + 30 * DAY);
      expect(await mailDoc(deps, failed as string)).toMatchObject({ status: 'failed' });
      expect(expiry(await mailDoc(deps, failed as string))).toBe(start.getTime() + 90 * DAY);
    } finally {
      await smtp.close();
    }
  });

  it('when a message that failed is set back to pending by ops, then its next attempt drops the expiry, so the TTL policy cannot delete it mid-delivery', async () => {
    const smtp = await scriptedSmtp({ rcptReply: () => '550 5.1.1 No such user' });
    try {
      const start = nextStart();
      const { deps } = track(testDeps(start, smtp.url));
      const [id] = await enqueue(deps, [{ subject: tag('retried by ops') }]);
      await deliverSoon(deps, [id as string]);
      expect(expiry(await mailDoc(deps, id as string))).toBe(start.getTime() + 90 * DAY);
      const later = new Date(start.getTime() + DAY);
      await deps.db.collection('mail').doc(id as string).update({ status: 'pending', attempts: 0, nextAttemptAt: Timestamp.fromDate(later) });
      const { deps: down } = track(testDeps(later, await closedSmtpUrl()));
      await deliverSoon(down, [id as string]);
      expect(await mailDoc(deps, id as string)).toMatchObject({ status: 'pending', attempts: 1, expiresAt: null });
    } finally {
      await smtp.close();
    }
  });

  it('when MAIL_SENT_RETENTION_DAYS is set, then a sent message expires that many days after', async () => {
    const start = nextStart();
    const deps = createDeps(loadConfig({ ...process.env, MAIL_SENT_RETENTION_DAYS: '7' }), { clock: fixedClock(start), log: memoryLogger() });
    track({ deps });
    const subject = tag('kept 7 days');
    subjects.push(subject);
    const [id] = await enqueue(deps, [{ subject }]);
    await deliverSoon(deps, [id as string]);
    expect(await mailDoc(deps, id as string)).toMatchObject({ status: 'sent' });
    expect(expiry(await mailDoc(deps, id as string))).toBe(start.getTime() + 7 * DAY);
  });
});

describe('the deliverMail function', () => {
  it('when the local cron POSTs {}, then it sweeps and answers the JSON summary; any other method gets 405', async () => {
    const server = await startFunctionsServer();
    const deps = getDeps();
    const subject = tag('http');
    subjects.push(subject);
    const [id] = await enqueue(deps, [{ subject }]);
    try {
      const sweep = async (): Promise<Record<string, number>> => {
        const response = await fetch(`${server.baseUrl}/deliverMail`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        expect(response.status).toBe(200);
        return (await response.json()) as Record<string, number>;
      };
      const summary = await sweep();
      expect(Object.keys(summary).sort()).toEqual(['claimed', 'failed', 'remaining', 'retried', 'sent']);
      expect(summary.sent).toBeGreaterThanOrEqual(1);
      // The outbox is shared with earlier test files: one sweep takes a bounded batch, so this
      // message may wait for the next sweeps, as it would for the next minutes' runs.
      for (let sweeps = 1; sweeps < 20 && (await mailDoc(deps, id as string))?.status === 'pending'; sweeps += 1) await sweep();
      expect(await mailDoc(deps, id as string)).toMatchObject({ status: 'sent', attempts: 1 });
      expect(await waitForInbox((m) => m.subject === subject)).toHaveLength(1);

      const get = await fetch(`${server.baseUrl}/deliverMail`);
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST');
      await expect(get.json()).resolves.toEqual({
        error: { status: 'INVALID_ARGUMENT', message: expect.any(String) as string, details: { reason: 'METHOD_NOT_ALLOWED' } },
      });
    } finally {
      await deps.db.collection('mail').doc(id as string).delete();
      await server.close();
    }
  });
});
