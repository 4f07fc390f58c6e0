import { setTimeout as sleep } from 'node:timers/promises';
import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { processLifecycle } from '../../src/lifecycle/process-lifecycle';
import { startRun, sweep } from '../../src/lifecycle/sweep';
import { DAY, MINUTE, T0, depsAt, isolatedDb, outboxOf, plus, seedAccount, termination } from './helpers';

const EFFECTIVE = plus(T0, DAY);
const BIG_CONTENT = 3_000;
const SMALL_ACCOUNTS = 12;

/** An account due at `effectiveAt` with `orders` content documents (under stores/s1). */
async function dueAccount(db: Firestore, effectiveAt: Date, orders: number): Promise<string> {
  const { uid } = await seedAccount(db, { status: 'terminating', termination: termination(effectiveAt) });
  const writer = db.bulkWriter({ throttling: false });
  void writer.set(db.doc(`accounts/${uid}/stores/s1`), { at: Timestamp.fromDate(T0) });
  for (let o = 0; o < orders; o += 1) void writer.set(db.doc(`accounts/${uid}/stores/s1/orders/o${o}`), { total: o });
  await writer.close();
  return uid;
}

/** When the account document was last written (the server's time: the test's clock is fixed). */
async function writtenAt(db: Firestore, uid: string): Promise<number> {
  return (await db.doc(`accounts/${uid}`).get()).updateTime?.toMillis() ?? Number.NaN;
}

describe('a run finalises due accounts concurrently', () => {
  it('when pages are smaller than the concurrency, then a phase keeps that many items in flight across pages, never more, and hands each document over once', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, T0);
    const writer = db.bulkWriter({ throttling: false });
    for (let i = 0; i < 9; i += 1) void writer.set(db.doc(`items/i${i}`), { i });
    await writer.close();
    let inFlight = 0;
    let most = 0;
    const handed: string[] = [];
    await sweep(startRun(deps, { batchSize: 2, concurrency: 4 }), 'test', db.collection('items').orderBy('i'), async (doc) => {
      handed.push(doc.id);
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep(400);
      inFlight -= 1;
    });
    expect({ most, handed }).toEqual({ most: 4, handed: Array.from({ length: 9 }, (_, i) => `i${i}`) });
  });

  it('when the first due account holds thousands of content documents, then the accounts after it are finalised, their notices enqueued, while it is still being destroyed', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(EFFECTIVE, MINUTE));
    // Due a day earlier: the first in the sweep's order.
    const big = await dueAccount(db, plus(EFFECTIVE, -DAY), BIG_CONTENT);
    const small = await Promise.all(Array.from({ length: SMALL_ACCOUNTS }, () => dueAccount(db, EFFECTIVE, 2)));

    const summary = await processLifecycle(deps, { batchSize: 2, concurrency: 3 });
    expect(summary).toMatchObject({ finalised: SMALL_ACCOUNTS + 1, busy: 0, failed: 0, remaining: 0 });
    expect((await db.collectionGroup('orders').count().get()).data().count).toBe(0);

    // Pages of two, each waiting for its slowest item, would finish at most the big account's
    // page-mate before it; a pool keeps the other slots busy with the accounts after it.
    const bigDone = await writtenAt(db, big);
    const smallDone = await Promise.all(small.map((uid) => writtenAt(db, uid)));
    expect(smallDone.filter((at) => at < bigDone).length).toBeGreaterThanOrEqual(SMALL_ACCOUNTS / 2);
    // Each final notice was committed with its account's record, for the mail sweep to send.
    const notices = (await Promise.all(small.map((uid) => outboxOf(db, uid, 'content.destroyed')))).flat();
    expect(notices).toHaveLength(SMALL_ACCOUNTS);
    expect(notices.every((m) => m.status === 'pending')).toBe(true);
  }, 120_000);
});
