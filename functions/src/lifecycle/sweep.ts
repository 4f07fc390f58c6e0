import type { Query, QueryDocumentSnapshot } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { workBudgetMs, type ScheduledContext } from '../spec';

/** Bounds of one `processLifecycle` run. */
export interface LifecycleLimits {
  /** No new item starts after this many milliseconds (items then in flight finish). */
  readonly maxMs: number;
  /** Documents read per query page. */
  readonly batchSize: number;
  /** Most items each phase (escalations, contract ends, reminders, finalisations, …) takes on per run. */
  readonly maxPerPhase: number;
  /** Items in flight at once. */
  readonly concurrency: number;
}

/**
 * Bounds of a run. `maxMs` here is that of a run given no time context (tests, scripts); the
 * scheduled function derives its own from its declared timeout (`lifecycleLimitsFor`), 240 s of
 * the 540 s the manifest gives `processLifecycle`. A run finalises up to 1,000 due accounts (and
 * 1,000 left unfinished), so a day on which thousands fall due at 00:00 Taipei clears in a few of
 * the 12 runs an hour; on the 2-core emulator bench 600 took one run of about 2 minutes.
 */
export const LIFECYCLE_LIMITS: LifecycleLimits = { maxMs: 240_000, batchSize: 100, maxPerPhase: 1_000, concurrency: 8 };

/**
 * Share of the timeout kept for the items in flight when the budget ends: a large account's
 * destruction that starts at the last moment still finishes (or is safely abandoned mid-way, to be
 * resumed) before the platform ends the run, and the next run (every 5 minutes) continues.
 */
export const FINISH_SHARE = 5 / 9;

/**
 * The limits of a scheduled run: no new item starts once only FINISH_SHARE of the declared
 * timeout is left before the deadline (540 s → new work for 240 s, 300 s to finish it).
 */
export function lifecycleLimitsFor(context: ScheduledContext, limits: Partial<LifecycleLimits> = {}): Partial<LifecycleLimits> {
  return { ...limits, maxMs: workBudgetMs(context, FINISH_SHARE) };
}

/** A run in progress: its limits, its deadline on the monotonic clock, and whether it left work behind. */
export interface Run {
  readonly deps: Deps;
  readonly limits: LifecycleLimits;
  readonly deadline: number;
  stoppedEarly: boolean;
  failed: number;
}

/** Starts a run; budgets use the monotonic clock, every domain time comes from deps.clock. */
export function startRun(deps: Deps, limits: Partial<LifecycleLimits>): Run {
  const o = { ...LIFECYCLE_LIMITS, ...limits };
  return { deps, limits: o, deadline: performance.now() + o.maxMs, stoppedEarly: false, failed: 0 };
}

/**
 * One phase: pages through `query` (a cursor after each page, so items that stay matched, such as
 * reminded accounts, are not read again) and hands each document to `handle`, with `concurrency`
 * items in flight at all times, until the query is exhausted, `maxPerPhase` items were read, or
 * the deadline passed. The next page is read while the last items of the current one run, so a
 * slow item (a large account's destruction) holds up only its own slot, never the next page.
 * An item that throws is logged and counted in `run.failed`; the next run tries it again.
 */
export async function sweep<T>(run: Run, phase: string, query: Query<T>, handle: (doc: QueryDocumentSnapshot<T>) => Promise<void>): Promise<void> {
  const { batchSize, maxPerPhase, concurrency } = run.limits;
  const queue: QueryDocumentSnapshot<T>[] = [];
  let cursor: QueryDocumentSnapshot<T> | undefined;
  let read = 0;
  let exhausted = false;
  let reading: Promise<void> | null = null;

  // One page read at a time, each after the last (the cursor is the last page's last document).
  const readPage = (): Promise<void> => {
    reading ??= (async () => {
      const want = Math.min(batchSize, maxPerPhase - read);
      if (want <= 0 || performance.now() >= run.deadline) {
        exhausted = true;
        run.stoppedEarly = true;
        return;
      }
      try {
        const page = await (cursor ? query.startAfter(cursor) : query).limit(want).get();
        queue.push(...page.docs);
        read += page.size;
        cursor = page.docs[page.docs.length - 1] ?? cursor;
        if (page.size < want) exhausted = true;
      } catch (error) {
        // A missing index or an outage: the other phases still run; this one is retried next run.
        exhausted = true;
        run.failed += 1;
        run.deps.log.log('ERROR', 'lifecycle.query_failed', { phase, error });
      }
    })().finally(() => {
      reading = null;
    });
    return reading;
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (performance.now() >= run.deadline) {
        if (queue.length > 0 || !exhausted) run.stoppedEarly = true;
        return;
      }
      const doc = queue.shift();
      if (!doc) {
        if (exhausted) return;
        await readPage();
        continue;
      }
      if (queue.length < concurrency && !exhausted) void readPage();
      try {
        await handle(doc);
      } catch (error) {
        run.failed += 1;
        run.deps.log.log('ERROR', 'lifecycle.item_failed', { phase, path: doc.ref.path, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
