import type { BreachDoc } from '../../src/accounts/model';
import { BREACH_DEADLINES, breachDeadlineRef } from '../../src/breaches/deadlines';
import { addDays, formatTaipeiDate, startOfTaipeiDay, taipeiDate } from '../../src/shared/taipei';
import { useLocalFunctions } from '../support/local';
import { activityOf, actionsOf, callError, customer, db, mailFor, outboxKinds, useAdmin } from '../termination/helpers';

const local = useLocalFunctions();
const admin = useAdmin(local);

type Recorded = { breachId: string; cureBy: string };
const record = (data: Record<string, unknown>) => admin.call<Recorded>('adminRecordBreach', { description: 'Listing counterfeit products <brand X>', ...data });
const resolve = (data: Record<string, unknown>) => admin.call<{ breachId: string; status: string }>('adminResolveBreach', { note: 'Listings removed', ...data });
const breachOf = async (uid: string, id: string) => (await db().collection('accounts').doc(uid).collection('breaches').doc(id).get()).data() as BreachDoc | undefined;
/** The trusted deadline processLifecycle escalates from, as `{uid, breachId, cureBy ISO}`. */
const deadlineOf = async (uid: string, id: string) => {
  const data = (await breachDeadlineRef(db(), uid, id).get()).data();
  return data && { ...data, cureBy: (data.cureBy as BreachDoc['cureBy']).toDate().toISOString() };
};
const deadlinesOf = async (uid: string) => (await db().collection(BREACH_DEADLINES).where('uid', '==', uid).get()).size;

/** The cureBy of a period of `days` starting today in Taipei (either side of a midnight passing mid-test). */
const cureBys = (days: number) => [new Date(Date.now() - 60_000), new Date()].map((at) => startOfTaipeiDay(addDays(taipeiDate(at), days + 1)).toISOString());

describe('adminRecordBreach', () => {
  it('when an admin records a breach with the default cure period, then it is stored open with cureBy at 00:00 Taipei after 30 days, logged, and the customer gets a Chinese notice', async () => {
    const { uid, email } = await customer(local.client);
    const { breachId, cureBy } = await record({ uid });
    expect(cureBys(30)).toContain(cureBy);
    expect(await breachOf(uid, breachId)).toEqual({
      description: 'Listing counterfeit products <brand X>',
      notifiedAt: expect.anything() as unknown,
      cureBy: expect.anything() as unknown,
      status: 'open',
      uid,
      resolvedAt: null,
      note: null,
    });
    expect((await breachOf(uid, breachId))?.cureBy.toDate().toISOString()).toBe(cureBy);
    expect(await deadlineOf(uid, breachId)).toEqual({ uid, breachId, cureBy });
    expect((await activityOf(uid)).filter((e) => e.action === 'breach.recorded')).toEqual([
      expect.objectContaining({ actor: { uid: admin.uid, role: 'admin' }, details: { breachId, description: 'Listing counterfeit products <brand X>', cureDays: 30, cureBy } }),
    ]);
    const lastDay = formatTaipeiDate(taipeiDate(new Date(Date.parse(cureBy) - 1)), 'zh-TW');
    const mail = await mailFor(uid, email, '違約通知');
    expect(mail.subject).toBe(`OrderPally 違約通知：請於 ${lastDay} 前補正`);
    expect(mail.text).toContain(`補正期限：${lastDay} 當日結束前（台北時間）`);
    expect(mail.text).toContain('因故立即終止您的帳號');
    expect(mail.html).toContain('&lt;brand X&gt;');
  });

  it('when an English account gets a 14-day cure period, then cureBy is 15 Taipei days ahead at 00:00 and the English notice names the last day', async () => {
    const { uid, email } = await customer(local.client, 'en');
    const { cureBy, breachId } = await record({ uid, cureDays: 14 });
    expect(cureBys(14)).toContain(cureBy);
    const mail = await mailFor(uid, email, 'Notice of breach');
    expect(mail.text).toContain(`Cure by: the end of ${formatTaipeiDate(taipeiDate(new Date(Date.parse(cureBy) - 1)), 'en')} (Taipei time)`);
    expect(mail.text).toContain(`Reference: ${breachId}`);
  });

  it.each([
    ['cureDays 0', { cureDays: 0 }, 'data.cureDays'],
    ['cureDays 366', { cureDays: 366 }, 'data.cureDays'],
    ['cureDays 1.5', { cureDays: 1.5 }, 'data.cureDays'],
    ['cureDays as a string', { cureDays: '30' }, 'data.cureDays'],
    ['an empty description', { description: '   ' }, 'data.description'],
    ['an unknown field', { status: 'cured' }, 'status'],
  ])('when the request has %s, then INVALID_ARGUMENT and no breach is stored', async (_case, data, path) => {
    const { uid } = await customer(local.client);
    const error = await callError(() => record({ uid, ...data }));
    expect(error.code).toBe('functions/invalid-argument');
    expect(error.message).toContain(path);
    expect((await db().collection('accounts').doc(uid).collection('breaches').get()).size).toBe(0);
    expect(await deadlinesOf(uid)).toBe(0);
    expect(await outboxKinds(uid)).toEqual([]);
  });

  it('when the account is terminated, then ALREADY_TERMINATED; when it does not exist, ACCOUNT_NOT_FOUND', async () => {
    const { uid } = await customer(local.client);
    await admin.call('adminTerminateAccount', { uid, kind: 'legal', reason: 'Regulator order', immediate: true });
    expect((await callError(() => record({ uid }))).details?.reason).toBe('ALREADY_TERMINATED');
    expect((await callError(() => record({ uid: 'missing-uid' }))).details?.reason).toBe('ACCOUNT_NOT_FOUND');
    expect((await db().collection('accounts').doc(uid).collection('breaches').get()).size).toBe(0);
    expect([await deadlinesOf(uid), await deadlinesOf('missing-uid')]).toEqual([0, 0]);
  });
});

describe('adminResolveBreach', () => {
  it('when an admin resolves an open breach, then it is cured with the time and note, logged, and the customer is told', async () => {
    const { uid, email } = await customer(local.client, 'en');
    const { breachId } = await record({ uid });
    await expect(resolve({ uid, breachId })).resolves.toEqual({ breachId, status: 'cured' });
    expect(await breachOf(uid, breachId)).toMatchObject({ status: 'cured', note: 'Listings removed', resolvedAt: expect.anything() as unknown });
    expect(await deadlineOf(uid, breachId)).toBeUndefined();
    expect((await activityOf(uid)).filter((e) => e.action === 'breach.resolved')).toEqual([
      expect.objectContaining({ actor: { uid: admin.uid, role: 'admin' }, details: { breachId, status: 'cured', note: 'Listings removed' } }),
    ]);
    const mail = await mailFor(uid, email, 'is resolved');
    expect(mail.text).toContain('No termination for cause will follow from it.');
    expect(mail.text).toContain('Listings removed');
  });

  it('when the breach is already cured or escalated, then FAILED_PRECONDITION BREACH_NOT_OPEN and no second mail', async () => {
    const { uid } = await customer(local.client);
    const cured = await record({ uid });
    await resolve({ uid, breachId: cured.breachId });
    expect((await callError(() => resolve({ uid, breachId: cured.breachId }))).details).toMatchObject({ reason: 'BREACH_NOT_OPEN', status: 'cured' });
    const escalated = await record({ uid });
    await db().collection('accounts').doc(uid).collection('breaches').doc(escalated.breachId).update({ status: 'escalated' });
    expect((await callError(() => resolve({ uid, breachId: escalated.breachId }))).details).toMatchObject({ reason: 'BREACH_NOT_OPEN', status: 'escalated' });
    expect(await outboxKinds(uid)).toEqual(['breach.notice', 'breach.notice', 'breach.resolved']);
  });

  it('when the breach or the account does not exist, then NOT_FOUND with BREACH_NOT_FOUND or ACCOUNT_NOT_FOUND', async () => {
    const { uid } = await customer(local.client);
    const missing = await callError(() => resolve({ uid, breachId: 'no-such-breach' }));
    expect(missing.code).toBe('functions/not-found');
    expect(missing.details).toEqual({ reason: 'BREACH_NOT_FOUND', uid, breachId: 'no-such-breach' });
    expect((await callError(() => resolve({ uid: 'missing-uid', breachId: 'x' }))).details?.reason).toBe('ACCOUNT_NOT_FOUND');
    expect(await actionsOf(uid)).toEqual([]);
  });

  it.each([['../x'], ['__id__'], [''], [42]])('when the breachId is %p, then INVALID_ARGUMENT', async (breachId) => {
    const { uid } = await customer(local.client);
    expect((await callError(() => resolve({ uid, breachId }))).code).toBe('functions/invalid-argument');
  });
});
