import type { AccountView } from '../../src/accounts/view';
import { addDays, startOfTaipeiDay, taipeiDate } from '../../src/shared/taipei';
import { useLocalFunctions } from '../support/local';
import { Timestamp } from '../../src/shared/firestore-values';
import { accountOf, actionsOf, activityOf, call, callError, customer, db, useAdmin } from '../termination/helpers';

const local = useLocalFunctions();
const admin = useAdmin(local);

const setContract = (uid: string, endsAt: unknown) => admin.call<AccountView>('adminSetContract', { uid, endsAt });
const inDays = (days: number) => addDays(taipeiDate(new Date()), days);

describe('adminSetContract', () => {
  it('when an admin sets a contract end date, then contract.endsAt is 00:00 Taipei that day, logged, and the customer sees it', async () => {
    const { uid } = await customer(local.client);
    const endsAt = startOfTaipeiDay(inDays(365)).toISOString();
    await expect(setContract(uid, inDays(365))).resolves.toMatchObject({ uid, status: 'active', contract: { endsAt } });
    expect((await accountOf(uid)).contract.endsAt?.toDate().toISOString()).toBe(endsAt);
    expect((await activityOf(uid)).filter((e) => e.action === 'contract.set')).toEqual([
      expect.objectContaining({ actor: { uid: admin.uid, role: 'admin' }, details: { endsAt, previousEndsAt: null } }),
    ]);
    await expect(local.client.call<AccountView>('getAccount')).resolves.toMatchObject({ contract: { endsAt } });
  });

  it('when the end is moved to a date-time and then cleared with null, then each change is logged with what it replaced', async () => {
    const { uid } = await customer(local.client);
    await setContract(uid, inDays(100));
    const instant = `${inDays(200)}T18:30:00+08:00`;
    await expect(setContract(uid, instant)).resolves.toMatchObject({ contract: { endsAt: new Date(instant).toISOString() } });
    await expect(setContract(uid, null)).resolves.toMatchObject({ contract: { endsAt: null } });
    const changes = (await activityOf(uid)).filter((e) => e.action === 'contract.set').map((e) => e.details);
    expect(changes).toEqual([
      { endsAt: startOfTaipeiDay(inDays(100)).toISOString(), previousEndsAt: null },
      { endsAt: new Date(instant).toISOString(), previousEndsAt: startOfTaipeiDay(inDays(100)).toISOString() },
      { endsAt: null, previousEndsAt: new Date(instant).toISOString() },
    ]);
  });

  it('when the same end date is set twice, then the second call writes nothing', async () => {
    const { uid } = await customer(local.client);
    await setContract(uid, inDays(30));
    const before = (await accountOf(uid)).updatedAt.toMillis();
    await setContract(uid, inDays(30));
    expect((await accountOf(uid)).updatedAt.toMillis()).toBe(before);
    expect(await actionsOf(uid)).toEqual(['contract.set']);
  });

  it.each([
    ['a past date', '2020-01-01'],
    ['the present moment', new Date(Date.now() - 1000).toISOString()],
    ['a date-time without offset', '2030-01-01T00:00:00'],
    ['a number', 1893456000000],
  ])('when endsAt is %s, then INVALID_ARGUMENT and nothing is written', async (_case, endsAt) => {
    const { uid } = await customer(local.client);
    const error = await callError(() => setContract(uid, endsAt));
    expect(error.code).toBe('functions/invalid-argument');
    expect(error.message).toContain('data.endsAt');
    expect((await accountOf(uid)).contract.endsAt).toBeNull();
    expect(await actionsOf(uid)).toEqual([]);
  });

  it('when endsAt is left out of the request (not null), then INVALID_ARGUMENT: clearing must be explicit', async () => {
    const { uid } = await customer(local.client);
    await setContract(uid, inDays(30));
    const answer = await call(local.server.baseUrl, 'adminSetContract', { uid }, { token: admin.token });
    expect(answer.status).toBe(400);
    expect(answer.json?.error?.message).toContain('data.endsAt');
    expect((await accountOf(uid)).contract.endsAt).not.toBeNull();
  });

  it('when the contract already ended and processLifecycle has not run yet, then staff cannot move the end: ALREADY_TERMINATED, nothing written', async () => {
    const { uid } = await customer(local.client);
    const ended = Timestamp.fromMillis(Date.now() - 60_000);
    await db().collection('accounts').doc(uid).update({ 'contract.endsAt': ended });
    for (const endsAt of [inDays(30), null]) {
      const error = await callError(() => setContract(uid, endsAt));
      expect(error.details).toMatchObject({ reason: 'ALREADY_TERMINATED', status: 'active', contractEndsAt: ended.toDate().toISOString() });
    }
    expect((await callError(() => admin.call('adminSuspendAccount', { uid, reason: 'other', note: 'late' }))).details?.reason).toBe('ALREADY_TERMINATED');
    expect((await accountOf(uid)).contract.endsAt?.toMillis()).toBe(ended.toMillis());
    expect(await actionsOf(uid)).toEqual([]);
  });

  it('when the account is terminated or missing, then ALREADY_TERMINATED or ACCOUNT_NOT_FOUND', async () => {
    const { uid } = await customer(local.client);
    await admin.call('adminTerminateAccount', { uid, kind: 'cause', reason: 'Fraud', immediate: true });
    expect((await callError(() => setContract(uid, inDays(10)))).details?.reason).toBe('ALREADY_TERMINATED');
    expect((await callError(() => setContract('missing-uid', inDays(10)))).details?.reason).toBe('ACCOUNT_NOT_FOUND');
  });
});
