import { Timestamp } from 'firebase-admin/firestore';
import { getDeps } from '../../src/deps';
import { finaliseAccount } from '../../src/lifecycle/finalise';
import { FINALISE_LEASE_MS } from '../../src/lifecycle/lease';
import { processLifecycle } from '../../src/lifecycle/process-lifecycle';
import { deliverMail } from '../../src/mail/deliver-mail';
import { beginTermination } from '../../src/accounts/changes';
import { accountRef } from '../../src/accounts/repository';
import { SYSTEM_ACTOR } from '../../src/accounts/activity-log';
import { sentTo, waitForMail } from '../support/maildev';
import {
  CONTENT_PATHS, DAY, MINUTE, RECORD_PATHS, T0, accountOf, actionsOf, authUser, depsAt, isolatedDb, outboxOf, plus, seedAccount,
  seedTree, termination, tokenRefusal, treeOf,
} from './helpers';

const RECORDS_AND_KEY = [...RECORD_PATHS, 'apiKeys/k1'].sort();
const EFFECTIVE = plus(T0, 10 * DAY);
// A fixed clock stamps them all alike: compared as a set (actionsOf sorts).
const FINALISED_ACTIONS = ['apiKey.revoked', 'content.destroyed', 'termination.effective'];

describe('finalising a termination', () => {
  it('when the date arrives, then the account is terminated, its Auth user disabled, tokens and keys revoked, content destroyed at every depth, records and other accounts kept, and the customer mailed once; a second run does nothing', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, T0);
    const user = await authUser();
    const { uid } = await seedAccount(db, { uid: user.uid, email: user.email, status: 'terminating', termination: termination(EFFECTIVE) });
    const email = user.email;
    const other = await seedAccount(db, { uid: `${uid}x`, status: 'terminating', termination: termination(plus(EFFECTIVE, DAY)) });
    await Promise.all([seedTree(db, uid), seedTree(db, other.uid)]);

    // A minute before: not due, and both reminders (this account's, the neighbour's) are.
    deps.clock.set(plus(EFFECTIVE, -MINUTE));
    expect(await processLifecycle(deps)).toMatchObject({ finalised: 0, reminders: 2, remaining: 0 });
    expect(await tokenRefusal(user.token)).toBeNull();

    deps.clock.set(plus(EFFECTIVE, MINUTE));
    // The neighbour's termination is a day away: its 1-day reminder goes out in the same run.
    expect(await processLifecycle(deps)).toEqual({
      escalated: 0, contractsEnded: 0, reminders: 1, finalised: 1, resumed: 0, busy: 0, failed: 0, remaining: 0, stoppedEarly: false,
    });

    const account = await accountOf(db, uid);
    expect(account.status).toBe('terminated');
    expect(account.termination?.contentDestroyedAt?.toMillis()).toBe(plus(EFFECTIVE, MINUTE).getTime());
    expect(account.finaliseLease).toBeNull();
    expect(await treeOf(db, uid)).toEqual(RECORDS_AND_KEY);
    expect((await db.doc(`accounts/${uid}/apiKeys/k1`).get()).get('revokedAt')).toEqual(Timestamp.fromDate(plus(EFFECTIVE, MINUTE)));
    expect((await getDeps().auth.getUser(uid)).disabled).toBe(true);
    expect(await tokenRefusal(user.token)).toMatch(/^auth\/(user-disabled|id-token-revoked)$/);
    expect(await actionsOf(db, uid)).toEqual(FINALISED_ACTIONS);
    const destroyed = (await db.collection(`accounts/${uid}/activity`).where('action', '==', 'content.destroyed').get()).docs[0]?.data();
    expect(destroyed).toMatchObject({ actor: SYSTEM_ACTOR, details: { collections: ['orders', 'settings', 'stores'], backupsGoneBy: expect.any(String) as unknown } });

    // The run enqueued the final notice with the record; the mail sweep sends it.
    expect(await outboxOf(db, uid, 'content.destroyed')).toEqual([expect.objectContaining({ to: [email], status: 'pending' })]);
    expect(await deliverMail(deps)).toMatchObject({ sent: 4 });
    expect(await outboxOf(db, uid, 'content.destroyed')).toEqual([expect.objectContaining({ to: [email], status: 'sent' })]);
    const [mail] = await waitForMail((m) => sentTo(m, email) && m.subject === '您的 OrderPally 內容已銷毀');
    expect(mail?.text).toContain('2026年3月12日 09:00:00（台北時間 UTC+8）');

    // The neighbour (its uid extends this one) is not due yet: untouched.
    expect(await treeOf(db, other.uid)).toEqual([...CONTENT_PATHS, ...RECORDS_AND_KEY].sort());
    expect((await accountOf(db, other.uid)).status).toBe('terminating');

    deps.clock.set(plus(EFFECTIVE, 2 * MINUTE));
    expect(await processLifecycle(deps)).toMatchObject({ finalised: 0, resumed: 0, busy: 0, failed: 0 });
    expect(await actionsOf(db, uid)).toEqual(FINALISED_ACTIONS);
    expect((await outboxOf(db, uid)).map((m) => m.kind).sort()).toEqual(['content.destroyed', 'termination.reminder']);
  });

  it('when a suspended account reaches its termination date, then it is terminated and finalised like any other', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(EFFECTIVE, MINUTE));
    const { uid } = await seedAccount(db, { status: 'suspended', locale: 'en', termination: termination(EFFECTIVE, { kind: 'legal', initiatedBy: 'provider' }) });
    await seedTree(db, uid);
    expect(await processLifecycle(deps)).toMatchObject({ finalised: 1 });
    expect(await accountOf(db, uid)).toMatchObject({ status: 'terminated' });
    expect(await treeOf(db, uid)).toEqual(RECORDS_AND_KEY);
    expect(await outboxOf(db, uid, 'content.destroyed')).toEqual([expect.objectContaining({ subject: 'Your OrderPally content has been destroyed' })]);
  });

  it('when an immediate termination left the content in place, then finaliseAccount finishes it (resumed) and a repeat finds it done', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, T0);
    const account = await seedAccount(db);
    await seedTree(db, account.uid);
    const ref = db.collection('accounts').doc(account.uid);
    await db.runTransaction(async (tx) => {
      await tx.get(ref);
      beginTermination(tx, deps, account, { kind: 'cause', initiatedBy: 'provider', reason: 'Fraud', effectiveAt: null, actor: SYSTEM_ACTOR }, T0);
    });
    expect(await accountOf(db, account.uid)).toMatchObject({ status: 'terminated', termination: { contentDestroyedAt: null } });

    deps.clock.set(plus(T0, MINUTE));
    expect(await finaliseAccount(deps, account.uid)).toMatchObject({ outcome: 'resumed', deleted: CONTENT_PATHS.length });
    expect(await finaliseAccount(deps, account.uid)).toMatchObject({ outcome: 'done', deleted: 0, mailIds: [] });
    expect(await treeOf(db, account.uid)).toEqual(RECORDS_AND_KEY);
    expect(await actionsOf(db, account.uid)).toEqual(FINALISED_ACTIONS);
    expect((await outboxOf(db, account.uid)).map((m) => m.kind).sort()).toEqual(['content.destroyed', 'termination.notice']);
  });

  it.each([
    ['the account is active', { status: 'active' as const, termination: null }, 'not-due'],
    ['the date has not come', { status: 'terminating' as const, termination: termination(plus(T0, DAY)) }, 'not-due'],
    ['the account is active with a stale termination', { status: 'active' as const, termination: termination(plus(T0, -DAY)) }, 'not-due'],
  ])('when %s, then finaliseAccount touches nothing', async (_case, overrides, outcome) => {
    const db = isolatedDb();
    const deps = depsAt(db, T0);
    const { uid } = await seedAccount(db, overrides);
    await seedTree(db, uid);
    const before = (await db.doc(`accounts/${uid}`).get()).updateTime;
    expect(await finaliseAccount(deps, uid)).toEqual({ uid, outcome, deleted: 0, mailIds: [] });
    expect((await db.doc(`accounts/${uid}`).get()).updateTime).toEqual(before);
    expect(await treeOf(db, uid)).toEqual([...CONTENT_PATHS, ...RECORDS_AND_KEY].sort());
  });

  it('when the account does not exist, then finaliseAccount says not-found and creates nothing', async () => {
    const db = isolatedDb();
    expect(await finaliseAccount(depsAt(db, T0), 'nobody')).toMatchObject({ outcome: 'not-found' });
    expect((await db.doc('accounts/nobody').get()).exists).toBe(false);
    expect(await db.doc('accounts/nobody').listCollections()).toEqual([]);
  });

  it('when another finaliser holds a live lease, then the run skips the account as busy, and the run after the lease ran out finishes it', async () => {
    const db = isolatedDb();
    const at = plus(EFFECTIVE, MINUTE);
    const deps = depsAt(db, at);
    const { uid } = await seedAccount(db, { status: 'terminated', termination: termination(EFFECTIVE) });
    await seedTree(db, uid);
    await db.doc(`accounts/${uid}`).update({ finaliseLease: { holder: 'someone-else', until: Timestamp.fromMillis(at.getTime() + FINALISE_LEASE_MS) } });
    expect(await processLifecycle(deps)).toMatchObject({ resumed: 0, busy: 1, remaining: 1 });
    expect(await treeOf(db, uid)).toContain('settings/main');

    deps.clock.set(plus(at, FINALISE_LEASE_MS + 1));
    expect(await processLifecycle(deps)).toMatchObject({ resumed: 1, busy: 0, remaining: 0 });
    expect(await treeOf(db, uid)).toEqual(RECORDS_AND_KEY);
  });

  it('when the account changed after the sweep read it (a lease taken, a termination withdrawn), then the claim from that read does not hold and the account is decided as it is now', async () => {
    const db = isolatedDb();
    const at = plus(EFFECTIVE, MINUTE);
    const deps = depsAt(db, at);
    const { uid } = await seedAccount(db, { status: 'terminating', termination: termination(EFFECTIVE) });
    const withdrawn = await seedAccount(db, { status: 'terminating', termination: termination(EFFECTIVE) });
    const fresh = await seedAccount(db, { status: 'terminating', termination: termination(EFFECTIVE) });
    await Promise.all([seedTree(db, uid), seedTree(db, withdrawn.uid), seedTree(db, fresh.uid)]);
    const [read, readWithdrawn, readFresh] = await Promise.all([uid, withdrawn.uid, fresh.uid].map((id) => accountRef(db, id).get()));

    await db.doc(`accounts/${uid}`).update({ finaliseLease: { holder: 'someone-else', until: Timestamp.fromMillis(at.getTime() + FINALISE_LEASE_MS) } });
    await db.doc(`accounts/${withdrawn.uid}`).update({ status: 'active', termination: null });
    expect(await finaliseAccount(deps, uid, { read })).toMatchObject({ outcome: 'busy', deleted: 0 });
    expect(await finaliseAccount(deps, withdrawn.uid, { read: readWithdrawn })).toMatchObject({ outcome: 'not-due', deleted: 0 });
    expect(await accountOf(db, uid)).toMatchObject({ status: 'terminating' });
    expect(await accountOf(db, withdrawn.uid)).toMatchObject({ status: 'active', termination: null });
    expect(await treeOf(db, uid)).toContain('settings/main');
    expect(await treeOf(db, withdrawn.uid)).toContain('settings/main');
    expect(await actionsOf(db, withdrawn.uid)).toEqual([]);

    // Unchanged since read: claimed from the read, finalised and recorded once.
    expect(await finaliseAccount(deps, fresh.uid, { read: readFresh })).toMatchObject({ outcome: 'finalised' });
    expect(await treeOf(db, fresh.uid)).toEqual(RECORDS_AND_KEY);
    expect(await actionsOf(db, fresh.uid)).toEqual(FINALISED_ACTIONS);
    expect(await accountOf(db, fresh.uid)).toMatchObject({ status: 'terminated', finaliseLease: null });
  });

  it('when two finalisers work on one account at once and the lease does not separate them (clocks apart), then the content is gone and there is one content.destroyed and one mail', async () => {
    const db = isolatedDb();
    const { uid } = await seedAccount(db, { status: 'terminating', termination: termination(EFFECTIVE) });
    await seedTree(db, uid);
    // The second one's clock is past the first one's lease: both go ahead.
    const first = depsAt(db, plus(EFFECTIVE, MINUTE));
    const second = depsAt(db, plus(EFFECTIVE, MINUTE + FINALISE_LEASE_MS + 1));
    const results = await Promise.all([finaliseAccount(first, uid), finaliseAccount(second, uid)]);
    expect(results.filter((r) => r.outcome === 'finalised' || r.outcome === 'resumed')).toHaveLength(1);
    expect(await treeOf(db, uid)).toEqual(RECORDS_AND_KEY);
    const actions = await actionsOf(db, uid);
    expect(actions.filter((a) => a === 'content.destroyed')).toHaveLength(1);
    expect(actions.filter((a) => a === 'termination.effective')).toHaveLength(1);
    expect(actions.filter((a) => a === 'apiKey.revoked')).toHaveLength(1);
    expect(await outboxOf(db, uid, 'content.destroyed')).toHaveLength(1);
  });

  it('when two processLifecycle runs start at once on the same due account, then one mail, one content.destroyed, and the content is gone', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(EFFECTIVE, MINUTE));
    const { uid } = await seedAccount(db, { status: 'terminating', termination: termination(EFFECTIVE) });
    await seedTree(db, uid);
    const [a, b] = await Promise.all([processLifecycle(deps), processLifecycle(deps)]);
    expect((a?.finalised ?? 0) + (b?.finalised ?? 0) + (a?.resumed ?? 0) + (b?.resumed ?? 0)).toBe(1);
    expect(await treeOf(db, uid)).toEqual(RECORDS_AND_KEY);
    expect((await actionsOf(db, uid)).filter((x) => x === 'content.destroyed')).toHaveLength(1);
    expect(await outboxOf(db, uid, 'content.destroyed')).toHaveLength(1);
  });

  it('when the account has no Firebase Auth user, then finalisation still completes', async () => {
    const db = isolatedDb();
    const { uid } = await seedAccount(db, { status: 'terminating', termination: termination(EFFECTIVE) });
    await seedTree(db, uid);
    expect(await finaliseAccount(depsAt(db, plus(EFFECTIVE, MINUTE)), uid)).toMatchObject({ outcome: 'finalised' });
    expect(await treeOf(db, uid)).toEqual(RECORDS_AND_KEY);
  });
});
