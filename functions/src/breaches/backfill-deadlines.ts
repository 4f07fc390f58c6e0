import { accountsCollection, recordsOf } from '../accounts/repository';
import type { Deps } from '../deps';
import { documentIdPath } from '../shared/firestore-values';
import { breachDeadlineRef, isTimestamp, setBreachDeadline } from './deadlines';

/** What one backfill did. */
export interface DeadlineBackfill {
  /** Accounts whose breaches were read. */
  readonly accounts: number;
  /** Deadlines created (open breaches that had none). */
  readonly created: number;
  /** Open breaches without a valid `cureBy`, left alone: staff look at them. */
  readonly malformed: number;
}

/** How a backfill pages. */
export interface DeadlineBackfillOptions {
  /** Accounts per page (default 200). */
  readonly batchSize?: number;
  /** Accounts read at once (default 16). */
  readonly concurrency?: number;
}

/**
 * One-time: gives every open breach that has no deadline one (deadlines.ts), so that breaches
 * recorded before deadlines existed, or brought back by restoring a backup taken before then,
 * are escalated like any other. Run it with `scripts/backfill-breach-deadlines.ts` after deploying
 * the deadlines and after restoring such a backup; never needed otherwise, since every breach
 * recorded since gets its deadline in the same transaction. Not part of `processLifecycle`: it
 * reads every account, which no five-minute run should pay for.
 *
 * It trusts what the sweep trusts: it walks the top-level `accounts` collection (created by
 * functions only) in document-id order and reads each account's own first-level `breaches` by a
 * path built from that id, never a collection group, so content below the first level is never
 * read. Each account's deadlines are created in a transaction that re-reads the breaches and the
 * deadlines, so a repeat, a concurrent run, a breach recorded or resolved meanwhile, all leave
 * exactly the deadlines of the open breaches. Safe to run any number of times.
 */
export async function backfillBreachDeadlines(deps: Deps, options: DeadlineBackfillOptions = {}): Promise<DeadlineBackfill> {
  const batchSize = options.batchSize ?? 200;
  const concurrency = options.concurrency ?? 16;
  const tally = { accounts: 0, created: 0, malformed: 0 };
  let after: string | null = null;
  for (;;) {
    let query = accountsCollection(deps.db).orderBy(documentIdPath()).select().limit(batchSize);
    if (after !== null) query = query.startAfter(after);
    const uids = (await query.get()).docs.map((d) => d.id);
    for (let i = 0; i < uids.length; i += concurrency) {
      for (const counts of await Promise.all(uids.slice(i, i + concurrency).map((uid) => backfillAccount(deps, uid)))) {
        tally.created += counts.created;
        tally.malformed += counts.malformed;
      }
    }
    tally.accounts += uids.length;
    after = uids.at(-1) ?? after;
    if (uids.length < batchSize) break;
  }
  deps.log.log(tally.created > 0 || tally.malformed > 0 ? 'WARNING' : 'INFO', 'breach.deadlines_backfilled', tally);
  return tally;
}

/** Creates the missing deadlines of one account's open breaches. */
async function backfillAccount(deps: Deps, uid: string): Promise<{ created: number; malformed: number }> {
  const open = await recordsOf(deps.db, uid, 'breaches').where('status', '==', 'open').select().get();
  if (open.empty) return { created: 0, malformed: 0 };
  const breaches = open.docs.map((d) => d.ref);
  return deps.db.runTransaction(async (tx) => {
    const snaps = await tx.getAll(...breaches, ...breaches.map((b) => breachDeadlineRef(deps.db, uid, b.id)));
    const counts = { created: 0, malformed: 0 };
    breaches.forEach((breachRef, i) => {
      const breach = snaps[i]?.data();
      if (snaps[breaches.length + i]?.exists || breach?.status !== 'open') return;
      if (!isTimestamp(breach.cureBy)) {
        counts.malformed += 1;
        return;
      }
      setBreachDeadline(tx, deps.db, uid, breachRef.id, breach.cureBy);
      counts.created += 1;
    });
    return counts;
  });
}
