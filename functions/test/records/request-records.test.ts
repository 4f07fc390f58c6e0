import { getDeps } from '../../src/deps';
import { RECORDS_RATE_LIMIT } from '../../src/records/request-records';
import { taipeiDate, taipeiYear } from '../../src/shared/taipei';
import { rawCall } from '../support/client';
import { sentTo, type CapturedMail } from '../support/maildev';
import { callError, outboxReplyTo, recentHits, seedBucket, verifiedUser, waitForOutboxMail } from '../incidents/helpers';
import { useLocalFunctions } from '../support/local';

const local = useLocalFunctions();

const SUPPORT = 'orderpally.service@17.live';
const db = () => getDeps().db;
const referenceShape = new RegExp(`^REC-${taipeiYear(new Date())}-\\d{6}$`);
const request = (data: unknown) => local.client.call<{ reference: string }>('requestRecords', data);

async function requestsOf(uid: string): Promise<Array<Record<string, unknown>>> {
  const snap = await db().collection('recordRequests').where('uid', '==', uid).get();
  return snap.docs.map((d) => d.data());
}

async function mailsOf(reference: string, customer: string): Promise<{ support: CapturedMail; ack: CapturedMail }> {
  const mails = await waitForOutboxMail((m) => m.subject.startsWith(`[${reference}]`), [`recordRequests/${reference}`], { count: 2 });
  const support = mails.find((m) => sentTo(m, SUPPORT));
  const ack = mails.find((m) => sentTo(m, customer));
  if (!support || !ack) throw new Error(`missing mail for ${reference}`);
  return { support, ack };
}

describe('requestRecords', () => {
  it('when a verified customer asks for security records, then the request is stored, support is mailed with Reply-To the customer, the customer gets a Chinese acknowledgement, and the activity log records it', async () => {
    const { uid, email } = await verifiedUser(local.client, 'records');
    const { reference } = await request({ scope: 'security', from: '2026-01-01', to: '2026-01-31', note: '請提供一月的登入記錄 <all devices>' });
    expect(reference).toMatch(referenceShape);

    expect(await requestsOf(uid)).toEqual([
      expect.objectContaining({ reference, uid, email, locale: 'zh-TW', scope: 'security', from: '2026-01-01', to: '2026-01-31', note: '請提供一月的登入記錄 <all devices>', status: 'received' }),
    ]);
    const { support, ack } = await mailsOf(reference, email);
    expect(support.subject).toBe(`[${reference}] 記錄調閱申請：安全相關記錄`);
    await expect(outboxReplyTo(`recordRequests/${reference}`, 'records.support')).resolves.toBe(email);
    expect(support.text).toContain(`UID：${uid}`);
    expect(support.text).toContain('範圍：安全相關記錄（security）');
    expect(support.text).toContain('起始日期：2026年1月1日');
    expect(support.text).toContain('結束日期：2026年1月31日');
    expect(support.text).toContain('帳號狀態：active');
    expect(support.html).toContain('請提供一月的登入記錄 &lt;all devices&gt;');
    expect(ack.subject).toBe(`[${reference}] 我們已收到您的記錄調閱申請`);
    expect(ack.text).toContain(`參考編號：${reference}`);
    expect(ack.text).toContain('期間：2026年1月1日 至 2026年1月31日（台北時間）');

    const entries = await db().collection('accounts').doc(uid).collection('activity').where('action', '==', 'records.requested').get();
    expect(entries.docs.map((d) => d.data())).toEqual([
      expect.objectContaining({ actor: { uid, role: 'customer' }, details: { reference, scope: 'security', from: '2026-01-01', to: '2026-01-31' } }),
    ]);
  });

  it('when the account is in English and no dates are given, then the acknowledgement is in English and the period open-ended', async () => {
    const { uid, email } = await verifiedUser(local.client, 'records-en');
    await local.client.call('getAccount');
    await db().collection('accounts').doc(uid).update({ locale: 'en' });
    const { reference } = await request({ scope: 'all' });
    const { support, ack } = await mailsOf(reference, email);
    expect(ack.subject).toBe(`[${reference}] We have received your records request`);
    expect(ack.text).toContain('Records: All records');
    expect(ack.text).toContain('Period: the beginning to today (Taipei time)');
    expect(support.text).toContain('起始日期：不限');
    expect(support.text).toContain('回覆語言：en');
  });

  it('when from equals to (today, in Taipei), then it is accepted: the range is inclusive', async () => {
    await verifiedUser(local.client, 'records-today');
    const today = taipeiDate(new Date());
    await expect(request({ scope: 'activity', from: today, to: today })).resolves.toMatchObject({ reference: expect.stringMatching(referenceShape) as unknown });
  });

  it.each([
    ['an unknown scope', { scope: 'billing' }, 'data.scope'],
    ['no scope', { scope: undefined }, 'data.scope'],
    ['from after to', { from: '2026-02-01', to: '2026-01-31' }, 'data.to'],
    ['an impossible date', { from: '2026-02-30' }, 'data.from'],
    ['a date-time instead of a date', { to: '2026-01-31T00:00:00Z' }, 'data.to'],
    ['a date after today', { to: '2999-01-01' }, 'data.to'],
    ['a 2,001-character note', { note: 'x'.repeat(2001) }, 'data.note'],
    ['a NUL in the note', { note: 'a\u0000b' }, 'data.note'],
    ['an unknown field', { uid: 'someone-else' }, 'uid'],
  ])('when the request has %s, then INVALID_ARGUMENT naming the field and nothing is stored', async (_case, overrides, path) => {
    const { uid } = await verifiedUser(local.client, 'records-invalid');
    const error = await callError(() => request({ scope: 'activity', ...overrides }));
    expect(error.code).toBe('functions/invalid-argument');
    expect(error.message).toContain(path);
    await expect(requestsOf(uid)).resolves.toEqual([]);
  });

  it('when the email address is not verified, then FAILED_PRECONDITION EMAIL_NOT_VERIFIED', async () => {
    const { uid } = await local.client.signUp();
    const error = await callError(() => request({ scope: 'all' }));
    expect(error.details?.reason).toBe('EMAIL_NOT_VERIFIED');
    await expect(requestsOf(uid)).resolves.toEqual([]);
  });

  it('when nobody is signed in, then UNAUTHENTICATED', async () => {
    await local.client.signOut();
    const answer = await rawCall(`${local.server.baseUrl}/requestRecords`, { body: JSON.stringify({ data: { scope: 'all' } }) });
    expect(answer.status).toBe(401);
  });

  it('when the account is suspended, then PERMISSION_DENIED ACCOUNT_SUSPENDED', async () => {
    const { uid } = await verifiedUser(local.client, 'records-suspended');
    await local.client.call('getAccount');
    await db().collection('accounts').doc(uid).update({ status: 'suspended' });
    const error = await callError(() => request({ scope: 'all' }));
    expect(error.details?.reason).toBe('ACCOUNT_SUSPENDED');
    await expect(requestsOf(uid)).resolves.toEqual([]);
  });

  it('when the account is terminating, then records can still be requested', async () => {
    const { uid } = await verifiedUser(local.client, 'records-terminating');
    await local.client.call('getAccount');
    await db().collection('accounts').doc(uid).update({ status: 'terminating' });
    await expect(request({ scope: 'all' })).resolves.toMatchObject({ reference: expect.stringMatching(referenceShape) as unknown });
  });

  it('when an account has made 10 requests this hour, then the 11th is RESOURCE_EXHAUSTED with retryAfterSeconds', async () => {
    const { uid } = await verifiedUser(local.client, 'records-limit');
    await seedBucket(RECORDS_RATE_LIMIT, uid, recentHits(10));
    const error = await callError(() => request({ scope: 'all' }));
    expect(error.code).toBe('functions/resource-exhausted');
    expect(error.details).toMatchObject({ reason: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) as unknown });
    await expect(requestsOf(uid)).resolves.toEqual([]);
  });
});
