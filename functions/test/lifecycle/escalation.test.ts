import { Timestamp } from 'firebase-admin/firestore';
import { processLifecycle } from '../../src/lifecycle/process-lifecycle';
import { DAY, MINUTE, T0, accountOf, actionsOf, breachStatus, depsAt, isolatedDb, outboxOf, plus, seedAccount, seedBreach, seedTree, termination, treeOf } from './helpers';

const CURE_BY = plus(T0, 30 * DAY);

describe('escalating uncured breaches (clause 3.1(b)(i))', () => {
  it('when the cure period has not ended, then nothing happens; when it ends uncured, then the account is terminated for cause at once and finalised in the same run', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(CURE_BY, -MINUTE));
    const { uid } = await seedAccount(db);
    await seedTree(db, uid);
    const breachId = await seedBreach(db, uid);

    expect(await processLifecycle(deps)).toMatchObject({ escalated: 0, finalised: 0 });
    expect(await breachStatus(db, uid, breachId)).toBe('open');

    deps.clock.set(CURE_BY);
    expect(await processLifecycle(deps)).toMatchObject({ escalated: 1, finalised: 1, resumed: 0, remaining: 0 });
    expect(await breachStatus(db, uid, breachId)).toBe('escalated');
    const account = await accountOf(db, uid);
    expect(account).toMatchObject({ status: 'terminated', termination: { kind: 'cause', initiatedBy: 'provider' } });
    expect(account.termination?.reason).toBe(`Breach ${breachId} not cured by 1 April 2026, 09:00:00 (Taipei time, UTC+8)`);
    expect(account.termination?.contentDestroyedAt).not.toBeNull();
    expect(await treeOf(db, uid)).not.toContain('settings/main');
    expect(await actionsOf(db, uid)).toEqual(['apiKey.revoked', 'breach.escalated', 'content.destroyed', 'termination.effective']);
    expect((await outboxOf(db, uid)).map((m) => m.kind).sort()).toEqual(['content.destroyed', 'termination.notice']);

    expect(await processLifecycle(deps)).toMatchObject({ escalated: 0, finalised: 0 });
    expect(await outboxOf(db, uid)).toHaveLength(2);
  });

  it('when the breach was cured before its date, then it is never escalated', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(CURE_BY, DAY));
    const { uid } = await seedAccount(db);
    const breachId = await seedBreach(db, uid, { status: 'cured', resolvedAt: Timestamp.fromDate(T0), note: 'Removed the listings' });
    expect(await processLifecycle(deps)).toMatchObject({ escalated: 0, finalised: 0 });
    expect(await breachStatus(db, uid, breachId)).toBe('cured');
    expect(await accountOf(db, uid)).toMatchObject({ status: 'active', termination: null });
  });

  it('when BREACH_ESCALATION is notice, then termination for cause is scheduled for 00:00 Taipei BREACH_NOTICE_DAYS ahead, and a suspended account stays suspended until then', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, CURE_BY, { BREACH_ESCALATION: 'notice', BREACH_NOTICE_DAYS: 7 });
    const { uid } = await seedAccount(db, { status: 'suspended', locale: 'en' });
    await seedBreach(db, uid);
    expect(await processLifecycle(deps)).toMatchObject({ escalated: 1, finalised: 0 });
    const account = await accountOf(db, uid);
    // Cure date 1 April 2026 09:00 Taipei → 8 April 00:00 Taipei.
    expect(account.status).toBe('suspended');
    expect(account.termination?.effectiveAt.toDate().toISOString()).toBe('2026-04-07T16:00:00.000Z');
    expect(await outboxOf(db, uid, 'termination.notice')).toEqual([expect.objectContaining({ subject: 'Your OrderPally account will be terminated on 8 April 2026, 00:00:00 (Taipei time, UTC+8)' })]);
  });

  it('when an earlier termination is pending, then it is kept, and the breach is closed as escalated', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, CURE_BY, { BREACH_ESCALATION: 'notice', BREACH_NOTICE_DAYS: 7 });
    const earlier = termination(plus(CURE_BY, 2 * DAY));
    const { uid } = await seedAccount(db, { status: 'terminating', termination: earlier });
    const breachId = await seedBreach(db, uid);
    expect(await processLifecycle(deps)).toMatchObject({ escalated: 1 });
    expect((await accountOf(db, uid)).termination).toEqual(earlier);
    expect(await breachStatus(db, uid, breachId)).toBe('escalated');
    const entry = (await db.collection(`accounts/${uid}/activity`).where('action', '==', 'breach.escalated').get()).docs[0]?.data();
    expect(entry).toMatchObject({ details: { breachId, outcome: 'earlier-kept' } });
    expect(await outboxOf(db, uid, 'termination.notice')).toEqual([]);
  });

  it('when a later termination is pending, then the escalation replaces it and says what it replaced', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, CURE_BY);
    const { uid } = await seedAccount(db, { status: 'terminating', termination: termination(plus(CURE_BY, 20 * DAY)) });
    await seedBreach(db, uid);
    expect(await processLifecycle(deps)).toMatchObject({ escalated: 1, finalised: 1 });
    expect(await accountOf(db, uid)).toMatchObject({ status: 'terminated', termination: { kind: 'cause' } });
    const entry = (await db.collection(`accounts/${uid}/activity`).where('action', '==', 'termination.effective').get()).docs[0]?.data();
    expect(entry).toMatchObject({ details: { replaced: { kind: 'convenience', effectiveAt: plus(CURE_BY, 20 * DAY).toISOString() } } });
  });

  it('when the account is already terminated, then the breach is only closed', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, CURE_BY);
    const { uid } = await seedAccount(db, { status: 'terminated', termination: termination(T0, { contentDestroyedAt: Timestamp.fromDate(T0) }) });
    const breachId = await seedBreach(db, uid);
    expect(await processLifecycle(deps)).toMatchObject({ escalated: 1, finalised: 0, resumed: 0 });
    expect(await breachStatus(db, uid, breachId)).toBe('escalated');
    expect(await outboxOf(db, uid)).toEqual([]);
  });
});
