import { setMaxListeners } from 'node:events';
import type { Deps } from '../deps';
import { attemptDelivery, attemptGroup, count, emptySummary, type DeliverySummary } from './attempt';
import { MAX_SEND_MS, errorName } from './policy';
import { SentRecorder } from './sent-recorder';

/** Default bound of `deliverSoon`, in milliseconds. */
export const DELIVER_SOON_TIMEOUT_MS = 8_000;

/**
 * Messages `deliverSoon` claims in one transaction, and groups it works on at once: the next
 * group is claimed while the last one's sends run.
 */
const GROUP_SIZE = 16;
const GROUPS_AT_ONCE = 2;

/**
 * The first delivery attempt of messages just committed to the outbox: attempts `ids` now, in
 * parallel over the pooled transport, claiming them a group at a time (one transaction per group,
 * not per message) and committing their `sent` records together. Call it after the transaction
 * that enqueued them committed, and await it before answering the request (Cloud Functions
 * throttles the CPU after the response).
 *
 * Never throws and returns within about `timeoutMs` (default 8 s): a send still running then is
 * aborted, counted as a failed attempt and retried by `deliverMail`; a message whose outcome could
 * not be recorded keeps its lease and is retried when it runs out.
 */
export async function deliverSoon(deps: Deps, ids: readonly string[], options: { timeoutMs?: number } = {}): Promise<DeliverySummary> {
  const summary = emptySummary();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return summary;
  const timeoutMs = Math.max(100, options.timeoutMs ?? DELIVER_SOON_TIMEOUT_MS);
  const deadline = performance.now() + timeoutMs;
  // Sends still running then are aborted, leaving time to record that outcome before the deadline.
  const signal = AbortSignal.timeout(Math.min(MAX_SEND_MS, Math.max(timeoutMs / 2, timeoutMs - 2_000)));
  setMaxListeners(0, signal); // one listener per send in flight, removed when it ends
  const recorder = new SentRecorder(deps.db);
  const groups: string[][] = [];
  for (let start = 0; start < unique.length; start += GROUP_SIZE) groups.push(unique.slice(start, start + GROUP_SIZE));
  const group = async (ids: readonly string[]): Promise<void> => {
    for (const report of await attemptGroup(deps, ids, { firstAttempt: true, signal, recorder })) {
      count(summary, report);
      // A message that failed at once (rejected permanently): try its ops alert too, if time is left.
      if (report.alertId && deadline - performance.now() > 1_000) {
        count(summary, await attemptDelivery(deps, report.alertId, { firstAttempt: true, signal }));
      }
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    // At most GROUPS_AT_ONCE groups in flight: a caller with many ids must not open hundreds of
    // sends and transactions at once (the pooled transport queues the sends anyway).
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < groups.length && performance.now() < deadline) await group(groups[next++] as string[]);
    };
    const workers = Array.from({ length: Math.min(GROUPS_AT_ONCE, groups.length) }, worker);
    const work = Promise.all(workers).catch((error: unknown) => {
      deps.log.log('ERROR', 'mail.deliver_soon_failed', { error: errorName(error) });
    });
    if ((await Promise.race([work, timedOut])) === 'timeout') {
      deps.log.log('WARNING', 'mail.deliver_soon_timeout', { ids: unique.length, timeoutMs });
    }
  } catch (error) {
    deps.log.log('ERROR', 'mail.deliver_soon_failed', { error: errorName(error) });
  } finally {
    clearTimeout(timer);
  }
  return { ...summary };
}
