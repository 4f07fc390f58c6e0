import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { adminResolveBreach } from '../../src/breaches/admin-resolve-breach';
import { backfillBreachDeadlines } from '../../src/breaches/backfill-deadlines';
import { BREACH_DEADLINES, breachDeadlineRef } from '../../src/breaches/deadlines';
import { processLifecycle } from '../../src/lifecycle/process-lifecycle';
import { adminCaller } from '../termination/helpers';
import { DAY, MINUTE, T0, accountOf, actionsOf, breachStatus, capturedLog, depsAt, isolatedDb, outboxOf, plus, seedAccount, seedBreach } from './helpers';

const CURE_BY = plus(T0, 30 * DAY);
const AFTER = plus(CURE_BY, MINUTE);
const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');

/** Every deadline document, as `id → cureBy ISO`. */
async function deadlinesIn(db: Firestore): Promise<Record<string, unknown>> {
  const snap = await db.collection(BREACH_DEADLINES).get();
  return Object.fromEntries(snap.docs.map((d) => [d.id, (d.get('cureBy') as Timestamp | undefined)?.toDate?.().toISOString() ?? d.data()]));
}

describe('breach deadlines: the sweep trusts only breachDeadlines', () => {
  it('when a breach from before deadlines existed is open, then the sweep does not see it until the backfill gives it a deadline, then escalates it; a look-alike below the content never gets one', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, AFTER);
    const { uid } = await seedAccount(db);
    const other = await seedAccount(db);
    const legacy = await seedBreach(db, uid, {}, { withDeadline: false });
    await db.doc(`accounts/${other.uid}/orders/${uid}`).set({ uid, email: 'attacker@example.test', status: 'active', termination: null });
    await db.doc(`accounts/${other.uid}/orders/${uid}/breaches/decoy`).set({ status: 'open', cureBy: Timestamp.fromDate(T0), uid });
    expect(await processLifecycle(deps)).toMatchObject({ escalated: 0, failed: 0 });

    expect(await backfillBreachDeadlines(deps)).toEqual({ accounts: 2, created: 1, malformed: 0 });
    expect(await deadlinesIn(db)).toEqual({ [`${uid}__${legacy}`]: CURE_BY.toISOString() });
    expect(await backfillBreachDeadlines(deps)).toEqual({ accounts: 2, created: 0, malformed: 0 });

    expect(await processLifecycle(deps)).toMatchObject({ escalated: 1, finalised: 1, failed: 0 });
    expect(await breachStatus(db, uid, legacy)).toBe('escalated');
    expect(await deadlinesIn(db)).toEqual({});
    expect((await db.doc(`accounts/${other.uid}/orders/${uid}/breaches/decoy`).get()).get('status')).toBe('open');
    expect(await actionsOf(db, other.uid)).toEqual([]);
  });

  it('when the backfill pages, then it covers every account of every page, skips closed breaches, and counts an open one without a cureBy rather than failing', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(T0, DAY));
    const uids = (await Promise.all(Array.from({ length: 5 }, () => seedAccount(db)))).map((a) => a.uid);
    const breaches = await Promise.all(uids.map((uid) => seedBreach(db, uid, {}, { withDeadline: false })));
    const [first = ''] = uids;
    await seedBreach(db, first, { status: 'cured' }, { withDeadline: false });
    await db.collection(`accounts/${first}/breaches`).add({ description: 'hand-written', status: 'open' });

    expect(await backfillBreachDeadlines(deps, { batchSize: 2, concurrency: 1 })).toEqual({ accounts: 5, created: 5, malformed: 1 });
    expect(Object.keys(await deadlinesIn(db)).sort()).toEqual(uids.map((uid, i) => `${uid}__${breaches[i] ?? ''}`).sort());
  });

  it('when the operator runs scripts/backfill-breach-deadlines.ts on a database, then it creates the missing deadlines and says so', async () => {
    const db = isolatedDb();
    const { uid } = await seedAccount(db);
    const legacy = await seedBreach(db, uid, {}, { withDeadline: false });
    const run = spawnSync(process.execPath, [TSX, path.join(ROOT, 'scripts/backfill-breach-deadlines.ts'), '--emulator', process.env.FIRESTORE_EMULATOR_HOST ?? '', '--database', db.databaseId], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain('Accounts read: 1. Deadlines created: 1.');
    expect(await deadlinesIn(db)).toEqual({ [`${uid}__${legacy}`]: CURE_BY.toISOString() });
  }, 60_000);

  it('when deadlines do not match an open breach of their account, then each is dropped or moved, nothing else is written, the run does not fail, and each is logged once', async () => {
    const db = isolatedDb();
    const log = capturedLog();
    const deps = depsAt(db, AFTER, {}, log);
    const { uid } = await seedAccount(db);
    const cured = await seedBreach(db, uid, { status: 'cured', resolvedAt: Timestamp.fromDate(T0), note: 'fixed' });
    const later = await seedBreach(db, uid, { cureBy: Timestamp.fromDate(plus(CURE_BY, 10 * DAY)) });
    const unlisted = await seedBreach(db, uid, {}, { withDeadline: false });
    const stray = await seedAccount(db);
    await db.doc(`accounts/${stray.uid}`).update({ uid: 'someone-else' });
    const strayBreach = await seedBreach(db, stray.uid);
    const due = Timestamp.fromDate(CURE_BY);
    await Promise.all([
      breachDeadlineRef(db, uid, 'gone').set({ uid, breachId: 'gone', cureBy: due }),
      breachDeadlineRef(db, uid, cured).set({ uid, breachId: cured, cureBy: due }),
      breachDeadlineRef(db, uid, later).update({ cureBy: due }),
      db.doc(`${BREACH_DEADLINES}/forged`).set({ uid, breachId: unlisted, cureBy: due }),
      db.doc(`${BREACH_DEADLINES}/garbage`).set({ uid: 42, breachId: '../x', cureBy: due }),
    ]);

    expect(await processLifecycle(deps)).toMatchObject({ escalated: 0, failed: 0 });

    expect(await deadlinesIn(db)).toEqual({ [`${uid}__${later}`]: plus(CURE_BY, 10 * DAY).toISOString() });
    expect(await Promise.all([cured, later, unlisted].map((id) => breachStatus(db, uid, id)))).toEqual(['cured', 'open', 'open']);
    expect(await breachStatus(db, stray.uid, strayBreach)).toBe('open');
    expect([await actionsOf(db, uid), await actionsOf(db, stray.uid), await outboxOf(db, uid)]).toEqual([[], [], []]);
    const reasons = () => log.lines.filter((l) => l.message === 'lifecycle.breach_deadline_inconsistent').map((l) => l.reason).sort();
    const expected = ['account-mismatch', 'breach-missing', 'breach-not-open', 'deadline-malformed', 'deadline-malformed', 'deadline-moved'];
    expect(reasons()).toEqual(expected);

    expect(await processLifecycle(deps)).toMatchObject({ escalated: 0, failed: 0 });
    expect(reasons()).toEqual(expected);
  });

  it('when staff resolve a breach while the sweep escalates it, then exactly one of them wins and no deadline is left behind', async () => {
    const db = isolatedDb();
    const log = capturedLog();
    const deps = depsAt(db, AFTER, {}, log);
    const { uid } = await seedAccount(db);
    const breachId = await seedBreach(db, uid);

    const [swept, resolved] = await Promise.allSettled([processLifecycle(deps), adminResolveBreach(deps, adminCaller(), { uid, breachId, note: 'Listings removed' })]);

    expect(swept.status).toBe('fulfilled');
    const outcome = [resolved.status === 'fulfilled' ? 'resolved' : (resolved.reason as { reason?: unknown }).reason, await breachStatus(db, uid, breachId), (await accountOf(db, uid)).status];
    expect([['resolved', 'cured', 'active'], ['BREACH_NOT_OPEN', 'escalated', 'terminated']]).toContainEqual(outcome);
    expect(await deadlinesIn(db)).toEqual({});
    expect(await processLifecycle(deps)).toMatchObject({ escalated: 0, failed: 0 });
    expect(log.lines.filter((l) => l.message === 'lifecycle.breach_deadline_inconsistent')).toEqual([]);
  });
});
