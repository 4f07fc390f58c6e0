import { setMaxListeners } from 'node:events';
import type { Query } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { workBudgetMs, type ScheduledHandler } from '../spec';
import { Timestamp } from '../shared/firestore-values';
import { attemptGroup, count, emptySummary, type DeliverySummary } from './attempt';
import { MAX_SEND_MS } from './policy';
import { SentRecorder } from './sent-recorder';

/** Bounds of one `deliverMail` run. */
export interface SweepLimits {
  /** Most messages claimed in one run. */
  readonly maxMessages: number;
  /** No new claim starts after this many milliseconds (sends then in flight may take a few more seconds). */
  readonly maxMs: number;
  /** Due messages read per query. */
  readonly batchSize: number;
  /** Messages in flight at once (claim → send → record); the transport's pool queues the sends. */
  readonly concurrency: number;
  /** Messages claimed together in one transaction. */
  readonly claimGroup: number;
}

/**
 * 2,000 messages or 45 s of claiming per run, whichever comes first (a notice to every account
 * queues tens of thousands at once); sends still running at 50 s are aborted. Up to 64 messages in
 * flight, claimed 32 to a transaction. A run ends before the next one starts (every minute) and
 * inside the function's timeout; what is left is reported as `remaining`.
 */
export const SWEEP_LIMITS: SweepLimits = { maxMessages: 2_000, maxMs: 45_000, batchSize: 200, concurrency: 64, claimGroup: 32 };

/** What a `deliverMail` run returns. */
export interface SweepSummary extends DeliverySummary {
  /** Messages still due when the run ended (null if they could not be counted). */
  remaining: number | null;
}

/**
 * Due messages: `pending` whose `nextAttemptAt` has come, and `sending` whose lease ran out
 * (a sender crashed or timed out). Needs the composite indexes mail(status, nextAttemptAt) and
 * mail(status, leaseUntil).
 */
function dueQueries(deps: Deps, now: Date): [Query, Query] {
  const mail = deps.db.collection('mail');
  const at = Timestamp.fromDate(now);
  return [
    mail.where('status', '==', 'pending').where('nextAttemptAt', '<=', at).orderBy('nextAttemptAt'),
    mail.where('status', '==', 'sending').where('leaseUntil', '<=', at).orderBy('leaseUntil'),
  ];
}

/** Ids of up to `limit` due messages, the longest-waiting first. */
async function findDue(deps: Deps, now: Date, limit: number): Promise<string[]> {
  const [pending, expired] = dueQueries(deps, now);
  const [p, e] = await Promise.all([pending.select('nextAttemptAt').limit(limit).get(), expired.select('leaseUntil').limit(limit).get()]);
  const due = [
    ...p.docs.map((d) => ({ id: d.id, at: (d.get('nextAttemptAt') as Timestamp).toMillis() })),
    ...e.docs.map((d) => ({ id: d.id, at: (d.get('leaseUntil') as Timestamp).toMillis() })),
  ];
  return due.sort((a, b) => a.at - b.at).slice(0, limit).map((d) => d.id);
}

async function countDue(deps: Deps, now: Date): Promise<number | null> {
  try {
    const counts = await Promise.all(dueQueries(deps, now).map((q) => q.count().get()));
    return counts.reduce((sum, c) => sum + c.data().count, 0);
  } catch (error) {
    deps.log.log('WARNING', 'mail.count_failed', { error: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

/**
 * The `deliverMail` sweep (DESIGN §5, §6): delivers the due messages that `deliverSoon` did not
 * (SMTP was down, the request's process died, the send timed out), in batches, messages claimed
 * in small groups, each group in one transaction, so concurrent sweeps (an overlapping run, a
 * retried Scheduler call) never send the same message at the same time. Bounded by `limits`.
 */
export async function deliverMail(deps: Deps, limits: Partial<SweepLimits> = {}): Promise<SweepSummary> {
  const o = { ...SWEEP_LIMITS, ...limits };
  // Run-time budgets use the monotonic clock; every domain time comes from deps.clock.
  const deadline = performance.now() + o.maxMs;
  const summary = emptySummary();
  const tried = new Set<string>();
  const recorder = new SentRecorder(deps.db);
  // One timer for the run: sends still running 5 s after the last claim may start are aborted,
  // and never later than MAX_SEND_MS after the run began, inside every lease the run takes.
  const signal = AbortSignal.timeout(Math.min(MAX_SEND_MS, o.maxMs + 5_000));
  setMaxListeners(0, signal); // one listener per send in flight, removed when it ends
  let budget = o.maxMessages;
  let drained = false;
  while (budget > 0 && performance.now() < deadline) {
    const due = await findDue(deps, deps.clock.now(), Math.min(o.batchSize, budget + tried.size));
    drained = due.length === 0;
    const ids = due.filter((id) => !tried.has(id));
    if (ids.length === 0) break;
    // Another sweep (an overlapping run, another instance) reads the same list: in a different
    // order, the two mostly claim different messages instead of queueing on the same locks.
    shuffle(ids);
    let next = 0;
    const group = Math.max(1, Math.min(o.claimGroup, o.concurrency));
    const worker = async (): Promise<void> => {
      while (next < ids.length && budget > 0 && performance.now() < deadline) {
        const take = Math.min(group, budget, ids.length - next);
        const claiming = ids.slice(next, next + take);
        next += take;
        claiming.forEach((id) => tried.add(id));
        budget -= take; // reserved now, so concurrent workers never claim past maxMessages
        const reports = await attemptGroup(deps, claiming, { firstAttempt: false, signal, recorder });
        for (const report of reports) {
          if (!report.claimed) budget += 1;
          count(summary, report);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(Math.ceil(o.concurrency / group), Math.ceil(ids.length / group)) }, worker));
  }
  // Nothing was due at the last look: no need to count (two more queries every minute).
  const remaining = drained ? 0 : await countDue(deps, deps.clock.now());
  const result = { ...summary, remaining };
  deps.log.log(summary.claimed > 0 || (remaining ?? 0) > 0 ? 'INFO' : 'DEBUG', 'mail.sweep', result);
  return result;
}

/** `deliverMail`, as the scheduled function runs it (every minute). */
export const deliverMailSpec: ScheduledHandler<SweepSummary> = (deps, context) =>
  // Half the timeout is kept for the sends in flight (each bounded by MAX_SEND_MS).
  deliverMail(deps, { maxMs: Math.min(SWEEP_LIMITS.maxMs, workBudgetMs(context, 1 / 2)) });
