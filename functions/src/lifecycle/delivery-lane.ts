import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';

/** Notices handed over while a run goes on, delivered beside the work that produced them. */
export interface DeliveryLane {
  /** Hands over outbox ids already committed; their first delivery attempt starts soon. */
  push(ids: readonly string[]): void;
  /** Resolves once every id handed over has had its first attempt (each batch bounded like `deliverNow`). */
  drain(): Promise<void>;
}

/**
 * A lane that delivers a run's notices while the run finalises further accounts, one
 * `deliverNow` batch at a time (so at most its concurrency of sends and transactions), instead
 * of all of them after the last account: thousands of finalisations otherwise end with a long
 * wait for mail that could have gone out meanwhile. Like `deliverNow`, it never throws: what is
 * not delivered stays in the outbox for `deliverMail`.
 */
export function deliveryLane(deps: Deps): DeliveryLane {
  const pending: string[] = [];
  let running: Promise<void> | null = null;
  const pump = (): Promise<void> => {
    running ??= (async () => {
      while (pending.length > 0) await deliverNow(deps, pending.splice(0));
    })().finally(() => {
      running = null;
    });
    return running;
  };
  return {
    push(ids) {
      if (ids.length === 0) return;
      pending.push(...ids);
      void pump();
    },
    async drain() {
      while (running || pending.length > 0) await pump();
    },
  };
}
