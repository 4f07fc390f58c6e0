import { Timestamp, type Firestore } from 'firebase-admin/firestore';
import { announceServiceChange } from '../../src/notices/announce';
import { advanceFanout, fanoutId, noticeMailId, type FanoutLimits } from '../../src/notices/fanout';
import { announceInput } from '../../src/notices/schema';
import type { Caller } from '../../src/shared/caller';
import { addDays, taipeiDate } from '../../src/shared/taipei';
import { MINUTE, T0, depsAt, isolatedDb, plus } from '../lifecycle/helpers';
import { refusingFirestore } from '../support/refusing-firestore';

/*
 * How one fan-out step reads accounts (ten pages a query, streamed, the next query sent ahead) and
 * counts and saves the pages it wrote, on a database of its own. Sixty accounts, of which every
 * eleventh from the sixth is terminated (no copy) and every seventh from the fourth has no address
 * we may mail (an inbox entry only).
 */
const ACCOUNTS = 60;
const uids = Array.from({ length: ACCOUNTS }, (_, i) => `u-${String(i).padStart(3, '0')}`);
const terminated = (i: number) => i % 11 === 5;
const unverified = (i: number) => i % 7 === 3;
const live = uids.filter((_, i) => !terminated(i));
const mailed = uids.filter((_, i) => !terminated(i) && !unverified(i));

const admin: Caller = { uid: 'staff-admin-1', email: 'admin@orderpally.test', emailVerified: true, signInProvider: 'password', role: 'admin', via: 'idToken' };

async function seedAccounts(db: Firestore): Promise<void> {
  const writer = db.bulkWriter({ throttling: false });
  const now = Timestamp.fromDate(T0);
  uids.forEach((uid, i) => {
    void writer.set(db.collection('accounts').doc(uid), {
      uid, email: `${uid}@example.test`, displayName: null, providers: ['password'], emailVerified: !unverified(i), locale: i % 2 ? 'en' : 'zh-TW',
      status: terminated(i) ? 'terminated' : 'active', createdAt: now, updatedAt: now, contract: { startsAt: now, endsAt: null }, termination: null, suspension: null,
      billing: { amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: null },
    });
  });
  await writer.close();
}

/** Announces a notice on `db`; its first step sends one page of `pageSize` accounts. */
async function announce(db: Firestore, pageSize: number): Promise<{ noticeId: string; id: string }> {
  const input = announceInput.parse({ title: 'Checkout page redesign', body: 'The checkout page changes.', kind: 'change', effectiveAt: addDays(taipeiDate(T0), 40) });
  const { noticeId } = await announceServiceChange(depsAt(db, T0), admin, input, { pageSize, maxMs: 0 });
  return { noticeId, id: fanoutId(noticeId, 'announcement') };
}

async function fanoutOf(db: Firestore, id: string) {
  return (await db.collection('noticeFanouts').doc(id).get()).data() as { state: string; cursor: string | null; queued: number; posted: number; skipped: number; leaseUntil: Timestamp | null };
}

/** The uids with an inbox entry, and those with a message, of the notice (every document there is, so a copy would show). */
async function sent(db: Firestore, noticeId: string): Promise<{ inbox: string[]; mail: string[] }> {
  const [inbox, mail] = await Promise.all([db.collection('inbox').get(), db.collection('mail').get()]);
  const byId = new Map(uids.map((uid) => [noticeMailId(noticeId, 'announcement', uid), uid]));
  const owner = (id: string) => byId.get(id) ?? `unexpected ${id}`;
  return { inbox: inbox.docs.map((d) => owner(d.id)).sort(), mail: mail.docs.map((d) => owner(d.id)).sort() };
}

/** What a finished fan-out of the sixty accounts shows. */
async function expectEveryAccountOnce(db: Firestore, noticeId: string, id: string): Promise<void> {
  expect(await sent(db, noticeId)).toEqual({ inbox: live, mail: mailed });
  expect(await fanoutOf(db, id)).toMatchObject({
    state: 'done', cursor: uids.at(-1), queued: mailed.length, posted: live.length, skipped: ACCOUNTS - mailed.length, leaseUntil: null,
  });
}

const oneStep = (pageSize: number): Partial<FanoutLimits> => ({ pageSize, maxMs: 600_000, rampUp: false });

describe('one fan-out step over many pages', () => {
  it.each([1, 4, 7, 500])('when pages hold %i account(s), then one step sends every account that is not terminated exactly once, and counts and saves it all', async (pageSize) => {
    // Pages of 1 read queries of 10 that end exactly at the last account (an empty query follows);
    // pages of 4 cross from a query of 40 to one of 16; pages of 7 fit in one query.
    const db = isolatedDb();
    await seedAccounts(db);
    const { noticeId, id } = await announce(db, pageSize);

    const progress = await advanceFanout(depsAt(db, plus(T0, MINUTE)), id, oneStep(pageSize));

    expect(progress).toEqual({ fanoutId: id, state: 'done', queued: mailed.length, posted: live.length, skipped: ACCOUNTS - mailed.length });
    await expectEveryAccountOnce(db, noticeId, id);
    // A finished fan-out does nothing more.
    expect(await advanceFanout(depsAt(db, plus(T0, 2 * MINUTE)), id, oneStep(pageSize))).toMatchObject({ state: 'done' });
    expect(await sent(db, noticeId)).toEqual({ inbox: live, mail: mailed });
  });

  it('when every step has no time left, then each sends exactly one page and reads nothing ahead, and the steps together send every account once', async () => {
    const db = isolatedDb();
    await seedAccounts(db);
    const { noticeId, id } = await announce(db, 4);
    const cursors = [(await fanoutOf(db, id)).cursor];
    for (let step = 1; (await fanoutOf(db, id)).state === 'running'; step += 1) {
      expect(step).toBeLessThan(ACCOUNTS / 4);
      await advanceFanout(depsAt(db, plus(T0, step * MINUTE)), id, { pageSize: 4, maxMs: 0, rampUp: false });
      cursors.push((await fanoutOf(db, id)).cursor);
    }
    // Fifteen pages of four: the announcing step's and fourteen more, each saved where it ended.
    expect(cursors).toEqual(Array.from({ length: ACCOUNTS / 4 }, (_, page) => uids[4 * page + 3]));
    await expectEveryAccountOnce(db, noticeId, id);
  });

  it('when one step writes many pages, then it saves its progress at most once a second, and its last save holds the whole step', async () => {
    const db = isolatedDb();
    await seedAccounts(db);
    const { noticeId, id } = await announce(db, 1);
    // Every call passes; the commits are the lease's and the progress saves (the pages go by BatchWrite).
    const commits: number[] = [];
    const counting = await refusingFirestore(db, (method) => {
      if (method === 'Commit') commits.push(performance.now());
      return false;
    });
    let started = 0;
    let ended = 0;
    try {
      // Pages of one account: 59 pages, each flushed and counted on its own.
      started = performance.now();
      expect(await advanceFanout(depsAt(counting.db, plus(T0, MINUTE)), id, oneStep(1))).toMatchObject({ state: 'done' });
      ended = performance.now();
    } finally {
      await counting.close();
    }

    const saves = commits.slice(1);
    // The first page's save at once, one a second after it at most, and the step's last as it
    // ends (one save a page would be 59). Every save but that last starts a second or more after
    // the one before (less a little for the way to the proxy).
    expect(saves.length).toBeGreaterThanOrEqual(1);
    expect(saves.length).toBeLessThanOrEqual(Math.ceil((ended - started) / 1_000) + 1);
    const gaps = saves.slice(1, -1).map((at, i) => at - (saves[i] ?? Number.NaN));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(950);
    await expectEveryAccountOnce(db, noticeId, id);
  }, 60_000);

  it('when the database refuses the writes, then the step fails without retrying them, counts and saves nothing of it, and the next step sends every account once', async () => {
    const db = isolatedDb();
    await seedAccounts(db);
    const { noticeId, id } = await announce(db, 4);
    const before = await fanoutOf(db, id);
    const refusing = await refusingFirestore(db, (method) => method === 'BatchWrite');
    try {
      await expect(advanceFanout(depsAt(refusing.db, plus(T0, MINUTE)), id, oneStep(4))).rejects.toMatchObject({ code: 7 });
    } finally {
      await refusing.close();
    }

    // A refusal is not retried: each page (at most 8 writes, one batch) is sent once, and at most four are in flight.
    expect(refusing.refused()).toBeGreaterThan(0);
    expect(refusing.refused()).toBeLessThanOrEqual(4);
    const failed = await fanoutOf(db, id);
    expect(failed).toMatchObject({ state: 'running', cursor: uids[3], queued: before.queued, posted: before.posted, skipped: before.skipped });
    // Its lease holds off other workers until it runs out.
    expect(await advanceFanout(depsAt(db, plus(T0, MINUTE)), id, oneStep(4))).toMatchObject({ state: 'busy' });
    expect(await advanceFanout(depsAt(db, plus(T0, 5 * MINUTE)), id, oneStep(4))).toMatchObject({ state: 'done' });
    await expectEveryAccountOnce(db, noticeId, id);
  }, 60_000);

  it('when the query read ahead is refused, then the step fails after saving the pages it wrote, and the next step resumes there and sends every account once', async () => {
    const db = isolatedDb();
    await seedAccounts(db);
    const { noticeId, id } = await announce(db, 4);
    // The step's first query (forty accounts) passes; the one it sends ahead is refused, and so
    // are the client's retries of it.
    const refusing = await refusingFirestore(db, (method, nth) => method === 'RunQuery' && nth >= 2);
    let failed: Awaited<ReturnType<typeof fanoutOf>>;
    try {
      await expect(advanceFanout(depsAt(refusing.db, plus(T0, MINUTE)), id, oneStep(4))).rejects.toMatchObject({ code: 7 });
      // Read as soon as the step has answered: its pages are counted and saved by then.
      failed = await fanoutOf(db, id);
    } finally {
      await refusing.close();
    }

    expect(refusing.refused()).toBeGreaterThan(0);
    // The query ahead is sent once no more than twenty of the forty wait, so at least five pages
    // after the announcing step's were written; at most the forty. Each was counted and saved.
    const reached = uids.indexOf(failed.cursor ?? '');
    expect(reached % 4).toBe(3);
    expect(reached).toBeGreaterThanOrEqual(23);
    expect(reached).toBeLessThanOrEqual(43);
    const upTo = uids.slice(0, reached + 1);
    expect(failed).toMatchObject({ state: 'running', posted: live.filter((u) => upTo.includes(u)).length, queued: mailed.filter((u) => upTo.includes(u)).length });
    expect((await sent(db, noticeId)).inbox.filter((u) => upTo.includes(u))).toEqual(live.filter((u) => upTo.includes(u)));

    expect(await advanceFanout(depsAt(db, plus(T0, 5 * MINUTE)), id, oneStep(4))).toMatchObject({ state: 'done' });
    await expectEveryAccountOnce(db, noticeId, id);
  }, 60_000);
});
