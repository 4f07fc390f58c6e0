import { setMaxListeners } from 'node:events';
import type { Query, QueryDocumentSnapshot } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { workBudgetMs, type ScheduledHandler } from '../spec';
import { Timestamp } from '../shared/firestore-values';
import { count, deliverClaimed, emptySummary, type DeliverySummary } from './attempt';
import { claimRead, type ClaimResult } from './claim';
import { MAX_SEND_MS, errorName } from './policy';
import { SentRecorder } from './sent-recorder';
import { taskPool } from './task-pool';

/** Bounds of one `deliverMail` run. */
export interface SweepLimits {
  /** Most messages claimed in one run. */
  readonly maxMessages: number;
  /** No new claim starts after this many milliseconds (sends then in flight may take a few more seconds). */
  readonly maxMs: number;
  /** Due messages read per query. */
  readonly batchSize: number;
  /** Messages claimed and not yet sent at once; the transport's pool queues their sends. */
  readonly concurrency: number;
  /** Messages claimed together in one write batch. */
  readonly claimGroup: number;
}

/**
 * 2,000 messages or 45 s of claiming per run, whichever comes first (a notice to every account
 * queues tens of thousands at once); sends still running at 50 s are aborted. Up to 64 messages
 * claimed and waiting for SMTP, claimed 64 to a batch: few enough that a slow relay still sends
 * them before that abort. A run ends before the next one starts (every minute) and inside the
 * function's timeout; what is left is reported as `remaining`.
 */
export const SWEEP_LIMITS: SweepLimits = { maxMessages: 2_000, maxMs: 45_000, batchSize: 200, concurrency: 64, claimGroup: 64 };

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

/**
 * Up to `limit` due messages, the longest-waiting first, read whole: the claim writes on what was
 * read here (see `claimRead`) instead of reading each message again in a transaction.
 */
async function findDue(deps: Deps, now: Date, limit: number): Promise<QueryDocumentSnapshot[]> {
  const [pending, expired] = dueQueries(deps, now);
  const [p, e] = await Promise.all([pending.limit(limit).get(), expired.limit(limit).get()]);
  const due = [
    ...p.docs.map((d) => ({ d, at: (d.get('nextAttemptAt') as Timestamp).toMillis() })),
    ...e.docs.map((d) => ({ d, at: (d.get('leaseUntil') as Timestamp).toMillis() })),
  ];
  return due.sort((a, b) => a.at - b.at).slice(0, limit).map(({ d }) => d);
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
 * (SMTP was down, the request's process died, the send timed out), bounded by `limits`. Due
 * messages are read a page at a time and claimed in small groups (`claimRead`), so concurrent
 * sweeps (an overlapping run, a retried Scheduler call) never send the same message at the same
 * time; the next group is claimed while the sends of earlier ones are still running, so the SMTP
 * pool is never left waiting on Firestore.
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
  const sends = taskPool(Math.max(1, o.concurrency));
  const group = Math.max(1, Math.min(o.claimGroup, o.concurrency));
  let budget = o.maxMessages;
  let drained = false;
  while (budget > 0 && performance.now() < deadline) {
    const due = await findDue(deps, deps.clock.now(), Math.min(o.batchSize, budget + tried.size));
    drained = due.length === 0;
    const fresh = due.filter((snap) => !tried.has(snap.id));
    if (fresh.length === 0) {
      if (sends.busy() === 0) break;
      // A message that fails for good in flight queues its ops alert: look again once they ended.
      await sends.idle();
      continue;
    }
    // Another sweep (an overlapping run, another instance) reads the same list: in a different
    // order, the two mostly claim different messages instead of contending for the same ones.
    shuffle(fresh);
    for (let next = 0; next < fresh.length && budget > 0 && performance.now() < deadline; ) {
      const snaps = fresh.slice(next, next + Math.min(group, budget));
      next += snaps.length;
      snaps.forEach((snap) => tried.add(snap.id));
      let claims: ClaimResult[];
      try {
        claims = await claimRead(deps, snaps);
      } catch (error) {
        deps.log.log('WARNING', 'mail.claim_failed', { mailIds: snaps.map((s) => s.id), error: errorName(error) });
        continue;
      }
      for (const [i, claimed] of claims.entries()) {
        if (claimed.kind === 'skipped') continue;
        budget -= 1;
        const id = (snaps[i] as QueryDocumentSnapshot).id;
        await sends.run(async (release) => {
          const onSent = (): void => {
            release();
            // Once this record is queued (synchronously after onSent), if nothing else is being
            // sent, commit the waiting records now rather than at the end of their window.
            queueMicrotask(() => {
              if (sends.held() === 0) void recorder.flush();
            });
          };
          count(summary, await deliverClaimed(deps, id, claimed, { firstAttempt: false, signal, recorder, onSent }));
        });
      }
    }
  }
  await sends.idle();
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
