import { Timestamp } from 'firebase-admin/firestore';
import { processLifecycle } from '../../src/lifecycle/process-lifecycle';
import { DAY, MINUTE, T0, accountOf, actionsOf, depsAt, isolatedDb, outboxOf, plus, seedAccount, seedTree, termination, treeOf } from './helpers';

const ENDS = plus(T0, 60 * DAY);
const contract = { startsAt: Timestamp.fromDate(plus(T0, -365 * DAY)), endsAt: Timestamp.fromDate(ENDS) };

describe('contract end (clause 3.1(c))', () => {
  it('when the contract end has not come, then nothing; when it has, then the account is terminated by the system (contract-end) and finalised in the same run', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(ENDS, -MINUTE));
    const { uid } = await seedAccount(db, { contract });
    await seedTree(db, uid);
    expect(await processLifecycle(deps)).toMatchObject({ contractsEnded: 0, finalised: 0 });
    expect((await accountOf(db, uid)).status).toBe('active');

    deps.clock.set(plus(ENDS, MINUTE));
    expect(await processLifecycle(deps)).toMatchObject({ contractsEnded: 1, finalised: 1, remaining: 0 });
    const account = await accountOf(db, uid);
    expect(account).toMatchObject({ status: 'terminated', termination: { kind: 'contract-end', initiatedBy: 'provider' } });
    expect(account.termination?.contentDestroyedAt).not.toBeNull();
    expect(await treeOf(db, uid)).not.toContain('stores/s1');
    expect(await actionsOf(db, uid)).toEqual(['apiKey.revoked', 'content.destroyed', 'termination.effective']);
    const entry = (await db.collection(`accounts/${uid}/activity`).where('action', '==', 'termination.effective').get()).docs[0]?.data();
    expect(entry).toMatchObject({ actor: { uid: null, role: 'system' }, details: { kind: 'contract-end', contractEndsAt: ENDS.toISOString() } });

    expect(await processLifecycle(deps)).toMatchObject({ contractsEnded: 0, finalised: 0 });
  });

  it('when a termination with a later date is pending at the contract end, then the contract end replaces it: the contract is over', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(ENDS, MINUTE));
    const { uid } = await seedAccount(db, { contract, status: 'terminating', termination: termination(plus(ENDS, 10 * DAY)) });
    expect(await processLifecycle(deps)).toMatchObject({ contractsEnded: 1, finalised: 1 });
    expect(await accountOf(db, uid)).toMatchObject({ status: 'terminated', termination: { kind: 'contract-end' } });
  });

  it('when a pending termination took effect before the contract end, then it is finalised as it is, not replaced', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(ENDS, MINUTE));
    const { uid } = await seedAccount(db, { contract, status: 'terminating', termination: termination(plus(ENDS, -DAY)) });
    expect(await processLifecycle(deps)).toMatchObject({ contractsEnded: 0, finalised: 1 });
    expect(await accountOf(db, uid)).toMatchObject({ status: 'terminated', termination: { kind: 'convenience' } });
  });

  it('when the contract ends in 30 and then 7 days, then one reminder each, in the account language, and none at or after the end', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(ENDS, -31 * DAY));
    const { uid } = await seedAccount(db, { contract, locale: 'en' });
    const reminders = async (at: Date) => {
      deps.clock.set(at);
      return (await processLifecycle(deps)).reminders;
    };
    expect(await reminders(plus(ENDS, -31 * DAY))).toBe(0);
    expect(await reminders(plus(ENDS, -30 * DAY))).toBe(1);
    expect(await reminders(plus(ENDS, -29 * DAY))).toBe(0);
    expect(await reminders(plus(ENDS, -7 * DAY))).toBe(1);
    expect(await reminders(plus(ENDS, -7 * DAY + MINUTE))).toBe(0);
    expect(await reminders(plus(ENDS, -MINUTE))).toBe(0);
    const mails = await outboxOf(db, uid, 'contract.reminder');
    expect(mails.map((m) => m.subject)).toEqual([
      'Your OrderPally contract ends on 1 May 2026, 09:00:00 (Taipei time, UTC+8)',
      'Your OrderPally contract ends on 1 May 2026, 09:00:00 (Taipei time, UTC+8)',
    ]);
    expect(mails.map((m) => String(m.text).split('\n')[0]).sort()).toEqual([
      'Your contract with OrderPally ends in 30 days, on 1 May 2026, 09:00:00 (Taipei time, UTC+8). When it ends, your account is terminated (agreement clause 3.1(c)).',
      'Your contract with OrderPally ends in 7 days, on 1 May 2026, 09:00:00 (Taipei time, UTC+8). When it ends, your account is terminated (agreement clause 3.1(c)).',
    ]);
  });

  it('when a termination takes effect before the contract ends, then only the termination is reminded of, not the contract end', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(ENDS, -25 * DAY));
    const { uid } = await seedAccount(db, { contract, status: 'terminating', termination: termination(plus(ENDS, -20 * DAY)) });
    expect(await processLifecycle(deps)).toMatchObject({ reminders: 1 });
    expect((await outboxOf(db, uid)).map((m) => m.kind)).toEqual(['termination.reminder']);
  });
});
