import type { CreatedApiKey } from '../../src/apikeys/create-api-key';
import type { AccountView } from '../../src/accounts/view';
import { getDeps } from '../../src/deps';
import { addDays, formatTaipei, startOfTaipeiDay, taipeiDate } from '../../src/shared/taipei';
import { callWithKey } from '../apikeys/helpers';
import { rawCall } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { accountOf, actionsOf, activityOf, callError, customer, isoString, mailFor, outboxKinds, useAdmin } from '../termination/helpers';

const local = useLocalFunctions();
const admin = useAdmin(local);

const PASSWORD = 'correct horse battery';
const suspend = (uid: string, reason = 'Chargebacks under investigation') => admin.call<AccountView>('adminSuspendAccount', { uid, reason, note: 'Case 4411, see the risk team ticket' });
const reinstate = (uid: string, extra: Record<string, unknown> = {}) => admin.call<AccountView>('adminReinstateAccount', { uid, note: 'Investigation closed', ...extra });
const disabled = async (uid: string) => (await getDeps().auth.getUser(uid)).disabled;
const getAccountWith = (token: string) => rawCall(`${local.server.baseUrl}/getAccount`, { body: JSON.stringify({ data: null }), headers: { Authorization: `Bearer ${token}` } });
const providerTermination = (uid: string) =>
  admin.call('adminTerminateAccount', { uid, kind: 'legal', reason: 'Court order 113-A-77', effectiveAt: addDays(taipeiDate(new Date()), 14) });

describe('adminSuspendAccount', () => {
  it('when an admin suspends an active account, then it is suspended, the Auth user disabled, the old ID token and the API key refused, logged and mailed', async () => {
    const { uid, email, token } = await customer(local.client);
    const { key } = await local.client.call<CreatedApiKey>('createApiKey', { label: 'ERP sync' });
    expect((await callWithKey(local.server.baseUrl, 'getAccount', key)).status).toBe(200);

    const view = await suspend(uid);
    expect(view).toMatchObject({ status: 'suspended', suspension: { reason: 'Chargebacks under investigation', since: isoString, note: 'Case 4411, see the risk team ticket' }, retrieval: { allowed: false, reason: 'SUSPENDED' } });
    expect(await disabled(uid)).toBe(true);
    const refused = await getAccountWith(token);
    expect(refused.status).toBe(401);
    expect(['USER_DISABLED', 'TOKEN_REVOKED']).toContain(refused.json?.error?.details?.reason);
    const keyAnswer = await callWithKey(local.server.baseUrl, 'getAccount', key);
    expect(keyAnswer.status).toBe(401);
    expect(keyAnswer.json?.error?.details?.reason).toBe('API_KEY_ACCOUNT_INACTIVE');
    expect((await activityOf(uid)).filter((e) => e.action === 'account.suspended')).toEqual([
      expect.objectContaining({ actor: { uid: admin.uid, role: 'admin' }, details: { reason: 'Chargebacks under investigation', note: 'Case 4411, see the risk team ticket', previousStatus: 'active' } }),
    ]);
    const mail = await mailFor(uid, email, '暫停');
    expect(mail.subject).toBe('您的 OrderPally 帳號已被暫停');
    expect(mail.text).toContain('原因：Chargebacks under investigation');
  });

  it('when the account is suspended again after its Auth user was re-enabled (a crash between the steps), then Auth is disabled again with no second log entry or mail', async () => {
    const { uid } = await customer(local.client);
    await suspend(uid);
    await getDeps().auth.updateUser(uid, { disabled: false });
    const view = await suspend(uid, 'A different reason');
    expect(view.suspension?.reason).toBe('Chargebacks under investigation');
    expect(await disabled(uid)).toBe(true);
    expect(await actionsOf(uid)).toEqual(['account.suspended']);
    expect(await outboxKinds(uid)).toEqual(['account.suspended']);
  });

  it('when a terminating English account is suspended, then the termination is kept and the notice says it is still scheduled', async () => {
    const { uid, email } = await customer(local.client, 'en');
    await providerTermination(uid);
    const view = await suspend(uid);
    const effectiveAt = startOfTaipeiDay(addDays(taipeiDate(new Date()), 14));
    expect(view).toMatchObject({ status: 'suspended', termination: { kind: 'legal', effectiveAt: effectiveAt.toISOString() } });
    const mail = await mailFor(uid, email, 'suspended');
    expect(mail.text).toContain(`Termination still scheduled for: ${formatTaipei(effectiveAt, 'en')}`);
  });

  it('when the account is terminated, then FAILED_PRECONDITION ALREADY_TERMINATED and nothing more is written', async () => {
    const { uid } = await customer(local.client);
    await admin.call('adminTerminateAccount', { uid, kind: 'cause', reason: 'Fraud', immediate: true });
    // The immediate termination itself already ended sign-in and destroyed the content.
    expect(await disabled(uid)).toBe(true);
    const error = await callError(() => suspend(uid));
    expect(error.details?.reason).toBe('ALREADY_TERMINATED');
    expect((await outboxKinds(uid)).sort()).toEqual(['content.destroyed', 'termination.notice']);
  });

  it.each([
    ['no note', { note: undefined }, 'data.note'],
    ['a 201-character reason', { reason: 'r'.repeat(201) }, 'data.reason'],
    ['a 2,001-character note', { note: 'n'.repeat(2001) }, 'data.note'],
    ['a reason with a line break', { reason: 'a\r\nb' }, 'data.reason'],
  ])('when the request has %s, then INVALID_ARGUMENT and nothing is written or disabled', async (_case, data, path) => {
    const { uid } = await customer(local.client);
    const error = await callError(() => admin.call('adminSuspendAccount', { uid, reason: 'Spam', note: 'Reported', ...data }));
    expect(error.message).toContain(path);
    expect((await accountOf(uid)).status).toBe('active');
    expect(await disabled(uid)).toBe(false);
  });
});

describe('adminReinstateAccount', () => {
  it('when a suspended account is reinstated, then it is active, the user can sign in again, the API key works, logged and mailed', async () => {
    const { uid, email } = await customer(local.client);
    const { key } = await local.client.call<CreatedApiKey>('createApiKey', { label: 'POS' });
    await suspend(uid);
    const view = await reinstate(uid);
    expect(view).toMatchObject({ status: 'active', suspension: null, termination: null });
    expect(await disabled(uid)).toBe(false);
    await local.client.signIn(email, PASSWORD);
    await expect(local.client.call<AccountView>('getAccount')).resolves.toMatchObject({ status: 'active' });
    expect((await callWithKey(local.server.baseUrl, 'getAccount', key)).status).toBe(200);
    expect((await activityOf(uid)).filter((e) => e.action === 'account.reinstated')).toEqual([
      expect.objectContaining({ actor: { uid: admin.uid, role: 'admin' }, details: { note: 'Investigation closed', status: 'active', suspension: { reason: 'Chargebacks under investigation', since: isoString } } }),
    ]);
    expect((await mailFor(uid, email, '恢復')).subject).toBe('您的 OrderPally 帳號已恢復');
  });

  it('when a suspended account with a pending termination is reinstated, then it is terminating again and the mail gives the date', async () => {
    const { uid, email } = await customer(local.client, 'en');
    await providerTermination(uid);
    await suspend(uid);
    const view = await reinstate(uid);
    expect(view).toMatchObject({ status: 'terminating', suspension: null, termination: { kind: 'legal' } });
    const mail = await mailFor(uid, email, 'reinstated');
    expect(mail.text).toContain('Your account will still be terminated on');
  });

  it('when a suspended account is reinstated with withdrawTermination, then the provider termination is withdrawn too, both logged and mailed', async () => {
    const { uid, email } = await customer(local.client);
    await providerTermination(uid);
    await suspend(uid);
    const view = await reinstate(uid, { withdrawTermination: true });
    expect(view).toMatchObject({ status: 'active', suspension: null, termination: null });
    // The last two are written in one transaction, at the same instant: their order is not defined.
    expect((await actionsOf(uid)).slice(0, 2)).toEqual(['termination.scheduled', 'account.suspended']);
    expect((await actionsOf(uid)).slice(2).sort()).toEqual(['account.reinstated', 'termination.withdrawn']);
    expect(await outboxKinds(uid)).toEqual(['account.reinstated', 'account.suspended', 'termination.notice', 'termination.withdrawn']);
    expect((await mailFor(uid, email, '撤回')).text).toContain('終止類型：依法令或政府機關要求終止');
  });

  it('when an account that is not suspended has a provider termination withdrawn, then it is active with termination null', async () => {
    const { uid } = await customer(local.client);
    await providerTermination(uid);
    await expect(reinstate(uid, { withdrawTermination: true })).resolves.toMatchObject({ status: 'active', termination: null });
    expect(await actionsOf(uid)).toEqual(['termination.scheduled', 'termination.withdrawn']);
  });

  it('when the termination is the customer\'s own, then NOT_WITHDRAWABLE and nothing changes, not even the suspension', async () => {
    const { uid } = await customer(local.client);
    await local.client.call('requestTermination');
    await suspend(uid);
    const error = await callError(() => reinstate(uid, { withdrawTermination: true }));
    expect(error.details).toMatchObject({ reason: 'NOT_WITHDRAWABLE', initiatedBy: 'customer' });
    expect(await accountOf(uid)).toMatchObject({ status: 'suspended' });
    expect(await disabled(uid)).toBe(true);
  });

  it('when there is nothing to do, then NOT_SUSPENDED (or NO_TERMINATION with withdrawTermination) and nothing is written', async () => {
    const { uid } = await customer(local.client);
    expect((await callError(() => reinstate(uid))).details?.reason).toBe('NOT_SUSPENDED');
    expect((await callError(() => reinstate(uid, { withdrawTermination: true }))).details?.reason).toBe('NO_TERMINATION');
    expect(await actionsOf(uid)).toEqual([]);
  });

  it('when the account is active but its Auth user still disabled (a crash after the write), then reinstating enables the user with no log entry', async () => {
    const { uid } = await customer(local.client);
    await getDeps().auth.updateUser(uid, { disabled: true });
    await expect(reinstate(uid)).resolves.toMatchObject({ status: 'active' });
    expect(await disabled(uid)).toBe(false);
    expect(await actionsOf(uid)).toEqual([]);
  });

  it('when the account is terminated, then ALREADY_TERMINATED', async () => {
    const { uid } = await customer(local.client);
    await admin.call('adminTerminateAccount', { uid, kind: 'partner', reason: 'Partner exit', immediate: true });
    expect((await callError(() => reinstate(uid))).details?.reason).toBe('ALREADY_TERMINATED');
  });
});
