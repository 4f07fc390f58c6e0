import type { AccountView } from '../../src/accounts/view';
import { Timestamp } from '../../src/shared/firestore-values';
import { addDays, formatTaipei, startOfTaipeiDay, taipeiDate } from '../../src/shared/taipei';
import { rawCall } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { accountOf, activityOf, actionsOf, call, callError, customer, db, isoString, mailFor, outboxKinds, useAdmin } from './helpers';

const local = useLocalFunctions();
const admin = useAdmin(local);

const request = (data?: unknown) => local.client.call<AccountView>('requestTermination', data);
const cancel = () => local.client.call<AccountView>('cancelTermination');

/** 00:00 Taipei time `days` Taipei days from today (either side of a midnight passing mid-test). */
function daysAhead(days: number): string[] {
  return [startOfTaipeiDay(addDays(taipeiDate(new Date(Date.now() - 60_000)), days)), startOfTaipeiDay(addDays(taipeiDate(new Date()), days))].map((d) => d.toISOString());
}

describe('requestTermination', () => {
  it('when a customer asks with no data, then the account is terminating at 00:00 Taipei 30 days ahead, logged, and a Chinese notice with the date is mailed', async () => {
    const { uid, email } = await customer(local.client);
    const view = await local.client.call<AccountView>('requestTermination');

    expect(view).toMatchObject({ uid, status: 'terminating', retrieval: { allowed: true, reason: null } });
    expect(view.termination).toEqual({
      kind: 'convenience',
      initiatedBy: 'customer',
      reason: 'Requested by the customer',
      noticeAt: isoString,
      effectiveAt: expect.stringMatching(/T16:00:00\.000Z$/) as unknown,
      contentDestroyedAt: null,
    });
    expect(daysAhead(30)).toContain(view.termination?.effectiveAt);
    expect((await accountOf(uid)).status).toBe('terminating');
    const [entry] = (await activityOf(uid)).filter((e) => e.action === 'termination.scheduled');
    expect(entry).toMatchObject({ actor: { uid, role: 'customer' }, details: { kind: 'convenience', initiatedBy: 'customer', effectiveAt: view.termination?.effectiveAt } });

    const effective = formatTaipei(new Date(view.termination?.effectiveAt ?? ''), 'zh-TW');
    const mail = await mailFor(uid, email, '終止');
    expect(mail.subject).toBe(`您的 OrderPally 帳號將於 ${effective} 終止`);
    expect(mail.text).toContain('我們已收到您終止 OrderPally 帳號的申請。');
    expect(mail.text).toContain('00:00:00（台北時間 UTC+8）');
  });

  it('when an English customer picks a date and gives a reason, then it takes effect at 00:00 Taipei that day and the English notice says so', async () => {
    const { uid, email } = await customer(local.client, 'en');
    const date = addDays(taipeiDate(new Date()), 45);
    const view = await request({ effectiveAt: date, reason: 'Moving to another <platform>' });
    expect(view.termination).toMatchObject({ effectiveAt: startOfTaipeiDay(date).toISOString(), reason: 'Moving to another <platform>' });
    const mail = await mailFor(uid, email, 'will be terminated');
    expect(mail.subject).toBe(`Your OrderPally account will be terminated on ${formatTaipei(startOfTaipeiDay(date), 'en')}`);
    expect(mail.text).toContain('Reason: Moving to another <platform>');
    expect(mail.html).toContain('Moving to another &lt;platform&gt;');
    expect(mail.text).toContain('You can cancel the termination in the app');
  });

  it.each([
    ['6 days ahead', 6],
    ['91 days ahead', 91],
  ])('when the date is %s, then INVALID_ARGUMENT with the earliest and latest dates, and nothing is written', async (_case, days) => {
    const { uid } = await customer(local.client);
    const today = taipeiDate(new Date());
    const error = await callError(() => request({ effectiveAt: addDays(today, days) }));
    expect(error.code).toBe('functions/invalid-argument');
    expect(error.message).toContain('data.effectiveAt');
    expect(error.details).toMatchObject({ earliest: addDays(today, 7), latest: addDays(today, 90) });
    expect(await accountOf(uid)).toMatchObject({ status: 'active', termination: null });
    expect(await actionsOf(uid)).toEqual([]);
  });

  it.each([
    ['an unknown field', { uid: 'someone-else' }, 'uid'],
    ['a two-line reason', { reason: 'a\nb' }, 'data.reason'],
    ['a 501-character reason', { reason: 'x'.repeat(501) }, 'data.reason'],
    ['a date-time without offset', { effectiveAt: '2026-09-01T00:00:00' }, 'data.effectiveAt'],
    ['an impossible date', { effectiveAt: '2026-02-30' }, 'data.effectiveAt'],
    ['a number as the date', { effectiveAt: 1767225600000 }, 'data.effectiveAt'],
  ])('when the request has %s, then INVALID_ARGUMENT naming it and nothing is written', async (_case, data, path) => {
    const { uid } = await customer(local.client);
    const error = await callError(() => request(data));
    expect(error.code).toBe('functions/invalid-argument');
    expect(error.message).toContain(path);
    expect(await accountOf(uid)).toMatchObject({ status: 'active', termination: null });
    expect(await outboxKinds(uid)).toEqual([]);
  });

  it('when the account is already terminating, then FAILED_PRECONDITION NOT_ACTIVE and the first termination stands', async () => {
    const { uid } = await customer(local.client);
    const first = await request();
    const error = await callError(() => request({ effectiveAt: addDays(taipeiDate(new Date()), 10) }));
    expect(error.code).toBe('functions/failed-precondition');
    expect(error.details).toMatchObject({ reason: 'NOT_ACTIVE', status: 'terminating' });
    expect((await accountOf(uid)).termination?.effectiveAt.toDate().toISOString()).toBe(first.termination?.effectiveAt);
    expect(await actionsOf(uid)).toEqual(['termination.scheduled']);
  });

  it('when the email address is not verified, then EMAIL_NOT_VERIFIED and nothing is written', async () => {
    const { uid } = await local.client.signUp();
    await local.client.call('getAccount');
    const error = await callError(() => request());
    expect(error.details?.reason).toBe('EMAIL_NOT_VERIFIED');
    expect((await accountOf(uid)).status).toBe('active');
  });

  it('when nobody is signed in, then UNAUTHENTICATED', async () => {
    const answer = await rawCall(`${local.server.baseUrl}/requestTermination`, { body: JSON.stringify({ data: null }) });
    expect(answer.status).toBe(401);
    expect(answer.json?.error?.status).toBe('UNAUTHENTICATED');
  });
});

describe('cancelTermination', () => {
  it('when the customer cancels before the date, then the account is active again, logged, and a confirmation is mailed', async () => {
    const { uid, email } = await customer(local.client);
    const requested = await request();
    const view = await cancel();
    expect(view).toMatchObject({ uid, status: 'active', termination: null });
    expect(await accountOf(uid)).toMatchObject({ status: 'active', termination: null });
    const entries = await activityOf(uid);
    expect(entries.map((e) => e.action).filter((a) => a.startsWith('termination.'))).toEqual(['termination.scheduled', 'termination.cancelled']);
    expect(entries.at(-1)).toMatchObject({ actor: { uid, role: 'customer' }, details: { kind: 'convenience', effectiveAt: requested.termination?.effectiveAt } });
    const mail = await mailFor(uid, email, '取消');
    expect(mail.subject).toBe('您已取消 OrderPally 帳號的終止');
    expect(mail.text).toContain(`原定終止時間：${formatTaipei(new Date(requested.termination?.effectiveAt ?? ''), 'zh-TW')}`);
  });

  it('when there is no termination, then FAILED_PRECONDITION NO_TERMINATION', async () => {
    await customer(local.client);
    const error = await callError(() => cancel());
    expect(error.code).toBe('functions/failed-precondition');
    expect(error.details?.reason).toBe('NO_TERMINATION');
  });

  it('when OrderPally gave the termination, then NOT_CANCELLABLE and the termination stays', async () => {
    const { uid } = await customer(local.client);
    await admin.call('adminTerminateAccount', { uid, kind: 'partner', reason: 'Payment partner ends its contract', effectiveAt: addDays(taipeiDate(new Date()), 20) });
    const error = await callError(() => cancel());
    expect(error.details).toMatchObject({ reason: 'NOT_CANCELLABLE', kind: 'partner', initiatedBy: 'provider' });
    expect(await accountOf(uid)).toMatchObject({ status: 'terminating', termination: expect.objectContaining({ kind: 'partner' }) as unknown });
  });

  it('when OrderPally gave notice for convenience (the customer\'s own kind, but not their termination), then NOT_CANCELLABLE and nothing changes', async () => {
    const { uid } = await customer(local.client);
    await admin.call('adminTerminateAccount', { uid, kind: 'convenience', reason: 'OrderPally ends service to this region' });
    const before = await accountOf(uid);
    expect(before.termination).toMatchObject({ kind: 'convenience', initiatedBy: 'provider' });
    const error = await callError(() => cancel());
    expect(error.code).toBe('functions/failed-precondition');
    expect(error.details).toMatchObject({ reason: 'NOT_CANCELLABLE', kind: 'convenience', initiatedBy: 'provider' });
    expect(await accountOf(uid)).toEqual(before);
    expect(await actionsOf(uid)).not.toContain('termination.cancelled');
    expect(await outboxKinds(uid)).not.toContain('termination.cancelled');
  });

  it('when the effective date has passed, then TERMINATION_EFFECTIVE and nothing changes', async () => {
    const { uid } = await customer(local.client);
    await request();
    const past = Timestamp.fromMillis(Date.now() - 1000);
    await db().collection('accounts').doc(uid).update({ 'termination.effectiveAt': past });
    const error = await callError(() => cancel());
    expect(error.details?.reason).toBe('TERMINATION_EFFECTIVE');
    expect(await actionsOf(uid)).toEqual(['termination.scheduled']);
  });
});

describe('requestTermination and cancelTermination at the same time', () => {
  it.each([1, 2, 3])('when a request and a cancel race (run %i), then the end state and the log agree', async () => {
    const { uid, token } = await customer(local.client);
    const answers = await Promise.all([
      call(local.server.baseUrl, 'requestTermination', null, { token }),
      call(local.server.baseUrl, 'cancelTermination', null, { token }),
    ]);
    const account = await accountOf(uid);
    const observed = {
      request: answers[0]?.status,
      cancel: answers[1]?.status === 200 ? 'cancelled' : answers[1]?.json?.error?.details?.reason,
      status: account.status,
      termination: account.termination === null ? 'none' : account.termination.kind,
      actions: await actionsOf(uid),
      mail: await outboxKinds(uid),
    };
    // Either order is fine; anything in between (a log without the state, two notices) is not.
    expect([
      { request: 200, cancel: 'cancelled', status: 'active', termination: 'none', actions: ['termination.scheduled', 'termination.cancelled'], mail: ['termination.cancelled', 'termination.notice'] },
      { request: 200, cancel: 'NO_TERMINATION', status: 'terminating', termination: 'convenience', actions: ['termination.scheduled'], mail: ['termination.notice'] },
    ]).toContainEqual(observed);
  });

  it('when two requests race, then one termination is scheduled, the other is NOT_ACTIVE, and one notice is sent', async () => {
    const { uid, token } = await customer(local.client);
    const answers = await Promise.all([10, 20].map((days) => call(local.server.baseUrl, 'requestTermination', { effectiveAt: addDays(taipeiDate(new Date()), days) }, { token })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    const winner = answers.find((a) => a.status === 200)?.json?.result as AccountView;
    expect(answers.find((a) => a.status === 400)?.json?.error?.details?.reason).toBe('NOT_ACTIVE');
    expect((await accountOf(uid)).termination?.effectiveAt.toDate().toISOString()).toBe(winner.termination?.effectiveAt);
    expect(await actionsOf(uid)).toEqual(['termination.scheduled']);
    expect(await outboxKinds(uid)).toEqual(['termination.notice']);
  });
});
