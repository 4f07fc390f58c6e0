import type { StaffAccountView } from '../../src/accounts/admin-get-account';
import type { AccountView } from '../../src/accounts/view';
import { getDeps } from '../../src/deps';
import { addDays, formatTaipei, oneMonthNoticeDate, startOfTaipeiDay, taipeiDate } from '../../src/shared/taipei';
import { useLocalFunctions } from '../support/local';
import { accountOf, actionsOf, activityOf, callError, customer, mailFor, outboxKinds, useAdmin } from './helpers';

const local = useLocalFunctions();
const admin = useAdmin(local);

const terminate = (data: Record<string, unknown>) => admin.call<AccountView>('adminTerminateAccount', { reason: 'Repeated fraud reports from buyers', ...data });
const inDays = (days: number) => addDays(taipeiDate(new Date()), days);

describe('adminTerminateAccount', () => {
  it('when an admin terminates for convenience with no date, then it takes effect at 00:00 Taipei one calendar month ahead, logged with the admin as actor, and noticed', async () => {
    const { uid, email } = await customer(local.client);
    const expected = [new Date(Date.now() - 60_000), new Date()].map((at) => startOfTaipeiDay(oneMonthNoticeDate(at)).toISOString());
    const view = await terminate({ uid, kind: 'convenience' });
    expect(view).toMatchObject({ uid, status: 'terminating', termination: { kind: 'convenience', initiatedBy: 'provider', contentDestroyedAt: null } });
    expect(expected).toContain(view.termination?.effectiveAt);
    const [entry] = (await activityOf(uid)).filter((e) => e.action === 'termination.scheduled');
    expect(entry).toMatchObject({ actor: { uid: admin.uid, role: 'admin' }, details: { kind: 'convenience', initiatedBy: 'provider', reason: 'Repeated fraud reports from buyers' } });
    const mail = await mailFor(uid, email, '終止');
    expect(mail.text).toContain('特此通知：OrderPally 將終止您的帳號。');
    expect(mail.text).toContain(`生效時間：${formatTaipei(new Date(view.termination?.effectiveAt ?? ''), 'zh-TW')}`);
  });

  it('when the convenience notice is shorter than a calendar month, then INVALID_ARGUMENT with details.earliest and nothing is written', async () => {
    const { uid } = await customer(local.client);
    const error = await callError(() => terminate({ uid, kind: 'convenience', effectiveAt: inDays(20) }));
    expect(error.code).toBe('functions/invalid-argument');
    expect([oneMonthNoticeDate(new Date(Date.now() - 60_000)), oneMonthNoticeDate(new Date())]).toContain(error.details?.earliest);
    expect(await accountOf(uid)).toMatchObject({ status: 'active', termination: null });
    expect(await outboxKinds(uid)).toEqual([]);
  });

  it('when an admin terminates an English account for cause with immediate effect, then it is terminated now, its content is destroyed at once, and the English notice says so', async () => {
    const { uid, email } = await customer(local.client, 'en');
    await getDeps().db.collection('accounts').doc(uid).collection('stores').doc('s1').collection('orders').doc('o1').set({ total: 100 });
    const view = await terminate({ uid, kind: 'cause', immediate: true });
    expect(view).toMatchObject({ status: 'terminated', retrieval: { allowed: false, reason: 'TERMINATED' }, termination: { kind: 'cause', contentDestroyedAt: expect.any(String) as unknown } });
    expect((await getDeps().db.collection('accounts').doc(uid).collection('stores').doc('s1').collection('orders').get()).size).toBe(0);
    expect((await getDeps().auth.getUser(uid)).disabled).toBe(true);
    expect(view.termination?.effectiveAt).toBe(view.termination?.noticeAt);
    expect((await activityOf(uid)).filter((e) => e.action === 'termination.effective')).toEqual([
      expect.objectContaining({ actor: { uid: admin.uid, role: 'admin' }, details: expect.objectContaining({ kind: 'cause' }) as unknown }),
    ]);
    const mail = await mailFor(uid, email, 'has been terminated');
    expect(mail.subject).toBe('Your OrderPally account has been terminated');
    expect(mail.text).toContain('Type: termination for cause');
    expect(mail.text).toContain('Reason: Repeated fraud reports from buyers');
  });

  it.each([['legal'], ['partner'], ['cause']])('when an admin terminates for %s with a future date, then the account is terminating until that date', async (kind) => {
    const { uid } = await customer(local.client);
    const view = await terminate({ uid, kind, effectiveAt: `${inDays(5)}T12:00:00+08:00` });
    expect(view).toMatchObject({ status: 'terminating', termination: { kind, initiatedBy: 'provider', effectiveAt: new Date(`${inDays(5)}T12:00:00+08:00`).toISOString() } });
  });

  it.each([
    ['convenience with immediate', { kind: 'convenience', immediate: true }, 'data.immediate'],
    ['cause with neither a date nor immediate', { kind: 'cause' }, 'data.effectiveAt'],
    ['cause with immediate: false and no date', { kind: 'cause', immediate: false }, 'data.effectiveAt'],
    ['legal with both a date and immediate', { kind: 'legal', immediate: true, effectiveAt: '2099-01-01' }, 'data.effectiveAt'],
    ['partner dated in the past', { kind: 'partner', effectiveAt: '2020-01-01' }, 'data.effectiveAt'],
    ['the scheduler-only kind contract-end', { kind: 'contract-end', immediate: true }, 'data.kind'],
    ['no reason', { kind: 'cause', immediate: true, reason: undefined }, 'data.reason'],
    ['a 501-character reason', { kind: 'cause', immediate: true, reason: 'r'.repeat(501) }, 'data.reason'],
    ['a uid with a slash', { kind: 'cause', immediate: true, uidOverride: 'a/b' }, 'data.uid'],
    ['a 129-character uid', { kind: 'cause', immediate: true, uidOverride: 'u'.repeat(129) }, 'data.uid'],
    ['a year-10000 instant', { kind: 'legal', effectiveAt: '9999-12-31T23:00:00-10:00' }, 'data.effectiveAt'],
  ])('when the request is %s, then INVALID_ARGUMENT naming the field and nothing is written', async (_case, data, path) => {
    const { uid } = await customer(local.client);
    const { uidOverride, ...rest } = data as Record<string, unknown>;
    const error = await callError(() => terminate({ uid: uidOverride ?? uid, ...rest }));
    expect(error.code).toBe('functions/invalid-argument');
    expect(error.message).toContain(path);
    expect(await accountOf(uid)).toMatchObject({ status: 'active', termination: null });
    expect(await actionsOf(uid)).toEqual([]);
  });

  it('when the customer already asked to terminate, then a termination for cause replaces it and the log says what it replaced', async () => {
    const { uid } = await customer(local.client);
    const requested = await local.client.call<AccountView>('requestTermination');
    const view = await terminate({ uid, kind: 'cause', effectiveAt: inDays(3) });
    expect(view.termination).toMatchObject({ kind: 'cause', initiatedBy: 'provider', effectiveAt: startOfTaipeiDay(inDays(3)).toISOString() });
    const entries = (await activityOf(uid)).filter((e) => e.action === 'termination.scheduled');
    expect(entries).toHaveLength(2);
    expect(entries[1]?.details.replaced).toEqual({
      kind: 'convenience',
      initiatedBy: 'customer',
      reason: 'Requested by the customer',
      effectiveAt: requested.termination?.effectiveAt,
    });
    expect(await outboxKinds(uid)).toEqual(['termination.notice', 'termination.notice']);
  });

  it('when the account is already terminated, then FAILED_PRECONDITION ALREADY_TERMINATED and nothing more is written', async () => {
    const { uid } = await customer(local.client);
    await terminate({ uid, kind: 'legal', immediate: true });
    const error = await callError(() => terminate({ uid, kind: 'cause', immediate: true }));
    expect(error.code).toBe('functions/failed-precondition');
    expect(error.details).toMatchObject({ reason: 'ALREADY_TERMINATED', status: 'terminated' });
    expect(await actionsOf(uid)).toEqual(['termination.effective', 'content.destroyed']);
  });

  it('when no account has that uid, then NOT_FOUND ACCOUNT_NOT_FOUND', async () => {
    const error = await callError(() => terminate({ uid: 'no-such-account-uid', kind: 'cause', immediate: true }));
    expect(error.code).toBe('functions/not-found');
    expect(error.details).toEqual({ reason: 'ACCOUNT_NOT_FOUND', uid: 'no-such-account-uid' });
  });
});

describe('adminGetAccount', () => {
  it('when an admin looks at an account, then they get the Account view with its open breaches, and the look is logged on the account', async () => {
    const { uid, email } = await customer(local.client);
    const { breachId } = await admin.call<{ breachId: string; cureBy: string }>('adminRecordBreach', { uid, description: 'Sold counterfeit goods', cureDays: 10 });
    const cured = await admin.call<{ breachId: string }>('adminRecordBreach', { uid, description: 'Spam orders' });
    await admin.call('adminResolveBreach', { uid, breachId: cured.breachId, note: 'Stopped' });
    const view = await admin.call<StaffAccountView>('adminGetAccount', { uid });
    expect(view).toMatchObject({ uid, email, status: 'active', billing: { amountDue: 0, dueInvoices: [] }, retrieval: { allowed: true } });
    expect(view.breaches).toEqual([
      { breachId, description: 'Sold counterfeit goods', notifiedAt: expect.any(String) as unknown, cureBy: startOfTaipeiDay(inDays(11)).toISOString(), status: 'open' },
    ]);
    expect((await activityOf(uid)).filter((e) => e.action === 'account.viewed')).toEqual([
      expect.objectContaining({ actor: { uid: admin.uid, role: 'admin' } }),
    ]);
  });

  it('when no account has that uid, then NOT_FOUND ACCOUNT_NOT_FOUND', async () => {
    const error = await callError(() => admin.call('adminGetAccount', { uid: 'missing-uid' }));
    expect(error.details?.reason).toBe('ACCOUNT_NOT_FOUND');
  });
});
