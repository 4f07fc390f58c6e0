import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { processLifecycle } from '../../src/lifecycle/process-lifecycle';
import { DAY, MINUTE, T0, depsAt, isolatedDb, plus, seedAccount, termination } from './helpers';

const EFFECTIVE = plus(T0, DAY);
const ACCOUNTS = 35;

/** `count` accounts whose termination took effect at EFFECTIVE, each with two content documents. */
async function dueAccounts(db: Firestore, count: number): Promise<string[]> {
  const uids = await Promise.all(
    Array.from({ length: count }, async () => (await seedAccount(db, { status: 'terminating', termination: termination(EFFECTIVE) })).uid),
  );
  const writer = db.bulkWriter({ throttling: false });
  for (const uid of uids) {
    void writer.set(db.doc(`accounts/${uid}/stores/s1`), { at: Timestamp.fromDate(T0) });
    void writer.set(db.doc(`accounts/${uid}/stores/s1/orders/o1`), { at: Timestamp.fromDate(T0) });
  }
  await writer.close();
  return uids;
}

describe('bounded runs', () => {
  it('when 35 accounts are due and a run may take 10 per phase, then four runs finalise them all and remaining counts down 25, 15, 5, 0', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(EFFECTIVE, MINUTE));
    const uids = await dueAccounts(db, ACCOUNTS);
    const summaries = [];
    for (let run = 0; run < 4; run += 1) summaries.push(await processLifecycle(deps, { batchSize: 10, maxPerPhase: 10 }));
    expect(summaries.map((s) => [s.finalised, s.remaining, s.stoppedEarly])).toEqual([
      [10, 25, true],
      [10, 15, true],
      [10, 5, true],
      [5, 0, false],
    ]);
    const stored = await Promise.all(uids.map(async (uid) => (await db.doc(`accounts/${uid}`).get()).get('termination.contentDestroyedAt') as unknown));
    expect(stored.every((at) => at instanceof Timestamp)).toBe(true);
    expect((await db.collectionGroup('orders').count().get()).data().count).toBe(0);
  });

  it('when the time budget is spent, then the run starts nothing and reports everything as remaining', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(EFFECTIVE, MINUTE));
    await dueAccounts(db, 3);
    expect(await processLifecycle(deps, { maxMs: 0 })).toMatchObject({ finalised: 0, remaining: 3, stoppedEarly: true });
    expect((await db.collectionGroup('orders').count().get()).data().count).toBe(3);
  });
});
