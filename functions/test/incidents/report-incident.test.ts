import { createServer } from 'node:net';
import { loadConfig } from '../../src/config';
import { createDeps, getDeps } from '../../src/deps';
import { INCIDENT_RATE_LIMITS, reportIncident } from '../../src/incidents/report-incident';
import { reportIncidentInput } from '../../src/incidents/schema';
import { ipBucketKey } from '../../src/shared/rate-limit';
import { taipeiYear } from '../../src/shared/taipei';
import { uniqueEmail } from '../support/client';
import { replyToOf, sentTo, type CapturedMail } from '../support/maildev';
import { activityActions } from '../support/users';
import { anonymousReport, bucketHits, call, incidentsFrom, outboxReplyTo, outboxTo, uniqueIp, verifiedUser, waitForOutboxMail } from './helpers';
import { useLocalFunctions } from '../support/local';

const local = useLocalFunctions();

const SUPPORT = 'orderpally.service@17.live';
const db = () => getDeps().db;
const referenceShape = new RegExp(`^INC-${taipeiYear(new Date())}-\\d{6}$`);
const aboutRef = (reference: string) => (m: CapturedMail) => m.subject.includes(reference);
const report = (data: unknown, options: { ip?: string; token?: string } = {}) => call(local.server.baseUrl, 'reportIncident', data, options);

async function reported(data: Record<string, unknown>, options: { ip?: string; token?: string } = {}): Promise<string> {
  const answer = await report(data, options);
  expect(answer.json).toEqual({ result: { reference: expect.stringMatching(referenceShape) as unknown, status: 'received' } });
  return (answer.json?.result as { reference: string }).reference;
}

/** A local TCP port that nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The support copy and the acknowledgement of `reference`, once both reached MailDev. */
async function mailsOf(reference: string, contact: string): Promise<{ support: CapturedMail; ack: CapturedMail }> {
  const mails = await waitForOutboxMail(aboutRef(reference), [`incidents/${reference}`], { count: 2 });
  const support = mails.find((m) => sentTo(m, SUPPORT));
  const ack = mails.find((m) => sentTo(m, contact));
  if (!support || !ack) throw new Error(`missing mail for ${reference}: ${mails.map((m) => m.subject).join(' | ')}`);
  return { support, ack };
}

describe('reportIncident, anonymous', () => {
  it('when an anonymous reporter sends a report, then it is stored, support gets it in Chinese with Reply-To the reporter, and the reporter a Chinese acknowledgement', async () => {
    const contact = uniqueEmail('anon');
    const reference = await reported(anonymousReport(contact, { contactName: '王小明', occurredAt: '2026-01-02T03:04:05+08:00' }));

    const stored = (await db().collection('incidents').doc(reference).get()).data();
    expect(stored).toMatchObject({
      reference,
      category: 'account-compromise',
      status: 'received',
      reporter: { uid: null, email: contact, name: '王小明', locale: 'zh-TW', account: null },
    });
    const history = await db().collection('incidents').doc(reference).collection('history').get();
    expect(history.docs.map((d) => d.get('status') as string)).toEqual(['received']);

    const { support, ack } = await mailsOf(reference, contact);
    expect(support.subject).toBe(`[${reference}] 資安事件通報（帳號遭盜用）：Someone signed in to my store from another country`);
    await expect(replyToOf(support)).resolves.toEqual([contact]);
    expect(support.text).toContain(`參考編號：${reference}`);
    expect(support.text).toContain('類別：帳號遭盜用（account-compromise）');
    expect(support.text).toContain('I received a sign-in notice at 03:12 that I did not make.\nThe orders page shows orders I did not place.');
    expect(support.text).toContain(`聯絡信箱：${contact}`);
    expect(support.text).toContain('聯絡人姓名：王小明');
    expect(support.text).toContain('通報人身分：未登入（匿名通報）');
    expect(support.text).toContain('事件發生時間：2026年1月2日 03:04:05（台北時間 UTC+8）');
    expect(support.text).not.toContain('UID');
    expect(support.html).toContain('<html lang="zh-Hant-TW">');

    expect(ack.subject).toBe(`[${reference}] 我們已收到您的資安事件通報`);
    expect(ack.text).toContain(`參考編號：${reference}`);
    expect(ack.text).toContain('24 小時內');
    await expect(replyToOf(ack)).resolves.toEqual([]);
    // The acknowledgement repeats none of the reporter's free text.
    for (const mine of ['Someone signed in', 'sign-in notice', '王小明']) {
      expect(ack.text).not.toContain(mine);
      expect(ack.html).not.toContain(mine);
    }
  });

  it('when an anonymous reporter asks for English, then the acknowledgement is in English and support still gets Chinese', async () => {
    const contact = uniqueEmail('anon-en');
    const reference = await reported(anonymousReport(contact, { locale: 'en', category: 'vulnerability' }));
    const { support, ack } = await mailsOf(reference, contact);
    expect(ack.subject).toBe(`[${reference}] We have received your security incident report`);
    expect(ack.text).toContain(`Reference: ${reference}`);
    expect(ack.text).toContain('Category: Vulnerability');
    expect(ack.text).toContain('within 24 hours');
    expect(ack.text).toMatch(/Received: \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d:\d\d \(Taipei time, UTC\+8\)/);
    expect(ack.html).toContain('<html lang="en">');
    expect(support.subject).toContain('資安事件通報（安全漏洞）');
    expect(support.text).toContain('回覆語言：en');
  });

  it('when the Firebase SDK calls without signing in, then httpsCallable gets the reference', async () => {
    await local.client.signOut();
    const result = await local.client.call<{ reference: string; status: string }>('reportIncident', anonymousReport());
    expect(result).toEqual({ reference: expect.stringMatching(referenceShape) as unknown, status: 'received' });
  });

  it('when an anonymous report has no contactEmail, then INVALID_ARGUMENT CONTACT_EMAIL_REQUIRED and nothing is stored', async () => {
    const ip = uniqueIp();
    const answer = await report({ ...anonymousReport(), contactEmail: undefined }, { ip });
    expect(answer.status).toBe(400);
    expect(answer.json?.error).toMatchObject({ status: 'INVALID_ARGUMENT', details: { reason: 'CONTACT_EMAIL_REQUIRED' } });
    expect(answer.json?.error?.message).toMatch(/data\.contactEmail/);
    await expect(bucketHits(INCIDENT_RATE_LIMITS.ip, ipBucketKey(ip))).resolves.toBe(0);
  });
});

describe('reportIncident, signed in', () => {
  it('when a signed-in user reports, then support sees uid, account status and sign-in provider, the ack follows the account locale, and the activity log records it', async () => {
    const { uid, email, token } = await verifiedUser(local.client);
    await local.client.call('getAccount');
    await db().collection('accounts').doc(uid).update({ locale: 'en' });
    const reference = await reported(anonymousReport(undefined, { category: 'data-exposure', locale: 'zh-TW', contactEmail: undefined }), { token });

    const stored = (await db().collection('incidents').doc(reference).get()).data();
    expect(stored?.reporter).toEqual({
      uid,
      email,
      name: null,
      locale: 'en',
      account: { email, emailVerified: true, status: 'active', signInProvider: 'password' },
    });
    const { support, ack } = await mailsOf(reference, email);
    expect(support.text).toContain(`UID：${uid}`);
    expect(support.text).toContain('帳號狀態：active');
    expect(support.text).toContain('登入方式：password');
    expect(support.text).toContain('通報人身分：已登入的用戶');
    await expect(outboxReplyTo(`incidents/${reference}`, 'incident.support')).resolves.toBe(email);
    expect(ack.subject).toBe(`[${reference}] We have received your security incident report`);

    const entries = await db().collection('accounts').doc(uid).collection('activity').where('action', '==', 'incident.reported').get();
    expect(entries.docs.map((d) => d.data())).toEqual([
      expect.objectContaining({ actor: { uid, role: 'customer' }, details: { reference, category: 'data-exposure' } }),
    ]);
  });

  it('when a signed-in user gives a contact address, then the mail goes there', async () => {
    const { token } = await verifiedUser(local.client);
    const contact = uniqueEmail('other-inbox');
    const reference = await reported(anonymousReport(contact), { token });
    await mailsOf(reference, contact);
    await expect(outboxReplyTo(`incidents/${reference}`, 'incident.support')).resolves.toBe(contact);
  });

  it('when an email user has not verified their address (perhaps locked out of it), then they may still report', async () => {
    const { uid } = await local.client.signUp();
    const result = await local.client.call<{ reference: string }>('reportIncident', { ...anonymousReport(), contactEmail: undefined });
    expect(result.reference).toMatch(referenceShape);
    const stored = (await db().collection('incidents').doc(result.reference).get()).data();
    expect(stored?.reporter).toMatchObject({ uid, account: { emailVerified: false } });
    await expect(activityActions(uid)).resolves.toContain('incident.reported');
  });
});

describe('reportIncident validation', () => {
  const long = (n: number, unit = 'x') => unit.repeat(n);
  it.each([
    ['an unknown category', { category: 'phishing' }, 'data.category'],
    ['no category', { category: undefined }, 'data.category'],
    ['an empty summary', { summary: '   ' }, 'data.summary'],
    ['a 201-character summary', { summary: long(201) }, 'data.summary'],
    ['a summary with CR/LF', { summary: 'hello\r\nBcc: victim@example.test' }, 'data.summary'],
    ['a summary with a bidi override', { summary: 'invoice\u202Eexe.pdf' }, 'data.summary'],
    ['an empty description', { description: '' }, 'data.description'],
    ['a 20,001-character description', { description: long(20_001) }, 'data.description'],
    ['20,001 emoji', { description: long(20_001, '😀') }, 'data.description'],
    ['a NUL in the description', { description: 'a\u0000b' }, 'data.description'],
    ['a lone surrogate', { description: 'broken \ud800 text' }, 'data.description'],
    ['a contact address with a header after CR/LF', { contactEmail: 'a@example.test\r\nBcc: victim@example.test' }, 'data.contactEmail'],
    ['two contact addresses', { contactEmail: 'a@example.test, b@example.test' }, 'data.contactEmail'],
    ['a contact address with a display name', { contactEmail: 'Eve <eve@example.test>' }, 'data.contactEmail'],
    ['not an address', { contactEmail: 'nobody' }, 'data.contactEmail'],
    ['a contact name with CR/LF', { contactName: 'Eve\r\nBcc: victim@example.test' }, 'data.contactName'],
    ['a contact name with a tab', { contactName: 'Eve\tX' }, 'data.contactName'],
    ['a 101-character contact name', { contactName: long(101) }, 'data.contactName'],
    ['an occurredAt that is not a date-time', { occurredAt: 'yesterday' }, 'data.occurredAt'],
    ['an occurredAt before 2000', { occurredAt: '1999-12-31T23:59:59Z' }, 'data.occurredAt'],
    ['an occurredAt in year 0', { occurredAt: '0000-01-01T00:00:00Z' }, 'data.occurredAt'],
    ['an occurredAt in the future', { occurredAt: new Date(Date.now() + 3_600_000).toISOString() }, 'data.occurredAt'],
    ['an unknown locale', { locale: 'fr' }, 'data.locale'],
    ['an unknown field', { priority: 'urgent' }, 'priority'],
  ])('when the report has %s, then INVALID_ARGUMENT naming the field, and nothing is stored, mailed or counted', async (_case, overrides, path) => {
    const contact = uniqueEmail('invalid');
    const answer = await report({ ...anonymousReport(contact), ...overrides });
    expect(answer.status).toBe(400);
    expect(answer.json?.error?.status).toBe('INVALID_ARGUMENT');
    expect(answer.json?.error?.message).toContain(path);
    await expect(incidentsFrom(contact)).resolves.toEqual([]);
    await expect(outboxTo(contact)).resolves.toEqual([]);
    await expect(bucketHits(INCIDENT_RATE_LIMITS.contact, contact.toLowerCase())).resolves.toBe(0);
  });

  it('when the description is exactly 20,000 emoji (40,000 UTF-16 units, 80 kB), then it is accepted: lengths count characters, not units', async () => {
    const contact = uniqueEmail('emoji');
    const description = '😀'.repeat(20_000);
    const reference = await reported(
      anonymousReport(contact, { category: 'vulnerability', description, summary: '🚨'.repeat(200), contactName: '👤'.repeat(100) }),
    );
    const stored = (await db().collection('incidents').doc(reference).get()).data();
    expect(stored?.description).toBe(description);
    const { support } = await mailsOf(reference, contact);
    expect(support.text).toContain(description);
    expect(support.text).toContain('🚨'.repeat(200));
    // The subject is cut to fit, between two emoji.
    expect(support.subject).toMatch(/^\[INC-\d{4}-\d{6}\] 資安事件通報（安全漏洞）：(🚨)+…$/u);
  });

  it('when the description is 20 kB of emoji, then it is accepted and reaches support whole', async () => {
    const contact = uniqueEmail('emoji-20kb');
    const description = '🔥'.repeat(5_000);
    expect(Buffer.byteLength(description, 'utf8')).toBe(20_000);
    const reference = await reported(anonymousReport(contact, { description }));
    const { support } = await mailsOf(reference, contact);
    expect(support.text).toContain(description);
  });
});

describe('hostile input in a report', () => {
  it('when summary, description and name carry HTML, then every mail shows it escaped, and nothing is injected into the headers', async () => {
    const contact = uniqueEmail('hostile');
    const script = '<script>alert("x")</script>';
    const reference = await reported(
      anonymousReport(contact, {
        summary: `${script} <img src=x onerror=alert(1)>`,
        description: `${script}\n<a href="javascript:alert(1)">click</a> & "quotes" 'single'\nBcc: victim@example.test`,
        contactName: `<b>Eve</b> "the" ${script}`,
      }),
    );
    const { support, ack } = await mailsOf(reference, contact);
    for (const mail of [support, ack]) {
      expect(mail.html).not.toMatch(/<script|<img|<a |<b>/i);
      expect(mail.bcc ?? []).toEqual([]);
      expect(mail.cc ?? []).toEqual([]);
    }
    expect(support.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(support.html).toContain('&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt; &amp; &quot;quotes&quot; &#39;single&#39;');
    expect(support.html).toContain('&lt;b&gt;Eve&lt;/b&gt;');
    expect(support.text).toContain(script);
    expect(support.subject).toContain(`${script} <img src=x onerror=alert(1)>`);
    // Delivered to exactly the one intended address each (the SMTP envelope, not just the headers).
    expect(support.envelope.to.map((a) => a.address)).toEqual([SUPPORT]);
    expect(ack.envelope.to.map((a) => a.address)).toEqual([contact]);
    expect(JSON.stringify([support.to, ack.to])).not.toContain('victim@example.test');
  });

  it('when the description hides bidi overrides, then support sees them spelled out', async () => {
    const contact = uniqueEmail('bidi');
    const reference = await reported(anonymousReport(contact, { description: 'see file invoice\u202Efdp.exe' }));
    const { support } = await mailsOf(reference, contact);
    expect(support.text).toContain('invoice⟨U+202E⟩fdp.exe');
    expect(support.html).toContain('invoice⟨U+202E⟩fdp.exe');
  });
});

describe('when mail cannot be sent', () => {
  it('when SMTP is down, then the report is still stored and answered, and its two mails wait in the outbox for a retry', async () => {
    const port = await closedPort();
    const deps = createDeps(loadConfig({ ...process.env, SMTP_URL: `smtp://127.0.0.1:${port}` }), { db: getDeps().db, auth: getDeps().auth });
    const contact = uniqueEmail('smtp-down');
    try {
      const result = await reportIncident(deps, reportIncidentInput.parse(anonymousReport(contact)), { caller: null, ip: uniqueIp() });
      expect(result).toEqual({ reference: expect.stringMatching(referenceShape) as unknown, status: 'received' });
      await expect(incidentsFrom(contact)).resolves.toHaveLength(1);
      const outbox = await db().collection('mail').where('related', '==', `incidents/${result.reference}`).get();
      expect(outbox.docs.map((d) => d.get('kind') as string).sort()).toEqual(['incident.ack', 'incident.support']);
      for (const doc of outbox.docs) {
        expect(doc.data()).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.any(String) as unknown });
      }
    } finally {
      deps.mailer.close();
    }
  });
});

describe('references under concurrency', () => {
  it('when 50 reports arrive at once from different addresses and IPs, then 50 distinct references and 50 support mails', async () => {
    const contacts = Array.from({ length: 50 }, (_, i) => uniqueEmail(`burst${i}`));
    const answers = await Promise.all(contacts.map((c) => report(anonymousReport(c, { summary: `burst ${c}` }))));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const references = answers.map((a) => (a.json?.result as { reference: string }).reference);
    expect(new Set(references).size).toBe(50);
    for (const r of references) expect(r).toMatch(referenceShape);
    const sorted = [...references].sort();
    const numbers = sorted.map((r) => Number(r.slice(-6)));
    // Each is its own number; none is reused by a retried transaction.
    expect(new Set(numbers).size).toBe(50);

    const wanted = new Set(references);
    const support = await waitForOutboxMail(
      (m) => sentTo(m, SUPPORT) && [...wanted].some((r) => m.subject.startsWith(`[${r}]`)),
      references.map((r) => `incidents/${r}`),
      { count: 50, timeoutMs: 15_000 },
    );
    expect(new Set(support.map((m) => m.subject.slice(1, 16))).size).toBe(50);
  }, 60_000);
});
