import type { Query } from 'firebase-admin/firestore';
import type { AccountDoc } from '../accounts/model';
import { BREACH_DEADLINES } from '../breaches/deadlines';
import { accountsCollection } from '../accounts/repository';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import { DAY_MS } from '../shared/input';

/** Statuses in which a termination can be pending (a suspended account keeps its date). */
export const PENDING_STATUSES = ['terminating', 'suspended'] as const;
/** Statuses an account has before its termination takes effect. */
export const LIVE_STATUSES = ['active', 'suspended', 'terminating'] as const;


/**
 * The work `processLifecycle` looks for, as Firestore queries. Each names the composite index it
 * needs in production (firestore.indexes.json); the emulator needs none.
 */
export const lifecycleQueries = {
  /**
   * Deadlines of open breaches whose cure period has ended: the top-level `breachDeadlines`, which
   * only functions write, never a collection group over `breaches`, whose deeper namesakes are
   * customer content (breaches/deadlines.ts). One field: no composite index.
   */
  dueBreaches(deps: Deps, now: Date): Query {
    return deps.db.collection(BREACH_DEADLINES).where('cureBy', '<=', Timestamp.fromDate(now)).orderBy('cureBy');
  },

  /** Live accounts whose contract has ended. Index: accounts (status, contract.endsAt). */
  endedContracts(deps: Deps, now: Date): Query {
    return accountsCollection(deps.db)
      .where('status', 'in', [...LIVE_STATUSES])
      .where('contract.endsAt', '<=', Timestamp.fromDate(now))
      .orderBy('contract.endsAt');
  },

  /** Pending terminations whose date has come. Index: accounts (status, termination.effectiveAt). */
  dueTerminations(deps: Deps, now: Date): Query<AccountDoc> {
    return accountsCollection(deps.db)
      .where('status', 'in', [...PENDING_STATUSES])
      .where('termination.effectiveAt', '<=', Timestamp.fromDate(now))
      .orderBy('termination.effectiveAt');
  },

  /**
   * Terminated accounts whose content is not destroyed yet: an immediate termination, or a run
   * that stopped halfway. Index: accounts (status, termination.contentDestroyedAt).
   */
  unfinishedTerminations(deps: Deps): Query<AccountDoc> {
    return accountsCollection(deps.db).where('status', '==', 'terminated').where('termination.contentDestroyedAt', '==', null);
  },

  /**
   * Pending terminations taking effect within `days` days (reminder candidates). Index: accounts
   * (status, termination.effectiveAt), the same as dueTerminations.
   */
  upcomingTerminations(deps: Deps, now: Date, days: number): Query {
    return accountsCollection(deps.db)
      .where('status', 'in', [...PENDING_STATUSES])
      .where('termination.effectiveAt', '>', Timestamp.fromDate(now))
      .where('termination.effectiveAt', '<=', Timestamp.fromMillis(now.getTime() + days * DAY_MS))
      .orderBy('termination.effectiveAt');
  },

  /** Live accounts whose contract ends within `days` days. Index: accounts (status, contract.endsAt). */
  upcomingContractEnds(deps: Deps, now: Date, days: number): Query {
    return accountsCollection(deps.db)
      .where('status', 'in', [...LIVE_STATUSES])
      .where('contract.endsAt', '>', Timestamp.fromDate(now))
      .where('contract.endsAt', '<=', Timestamp.fromMillis(now.getTime() + days * DAY_MS))
      .orderBy('contract.endsAt');
  },
};

/**
 * How much work is still due: the four "due" queries counted. Null when counting failed (the
 * summary then says so rather than guessing).
 */
export async function countDue(deps: Deps, now: Date): Promise<number | null> {
  try {
    const queries = [
      lifecycleQueries.dueBreaches(deps, now),
      lifecycleQueries.endedContracts(deps, now),
      lifecycleQueries.dueTerminations(deps, now),
      lifecycleQueries.unfinishedTerminations(deps),
    ];
    const counts = await Promise.all(queries.map((q) => q.count().get()));
    return counts.reduce((sum, c) => sum + c.data().count, 0);
  } catch (error) {
    deps.log.log('WARNING', 'lifecycle.count_failed', { error: error instanceof Error ? error.message : String(error) });
    return null;
  }
}
