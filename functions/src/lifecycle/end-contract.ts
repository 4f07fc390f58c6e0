import { SYSTEM_ACTOR } from '../accounts/activity-log';
import { findAccount } from '../accounts/repository';
import { beginTermination } from '../accounts/changes';
import type { Deps } from '../deps';
import { formatTaipei } from '../shared/taipei';

/** What became of an account whose contract has ended. */
export interface ContractEnd {
  /**
   * `terminated`: terminated now, kind `contract-end` (finalisation is due); `skipped`: already
   * terminated, a termination that is already due comes first, or the contract no longer ends.
   */
  readonly outcome: 'terminated' | 'skipped';
  readonly mailIds: string[];
}

/**
 * Clause 3.1(c): when the contract ends, OrderPally terminates the account. In one transaction,
 * re-reading the account: `beginTermination` kind `contract-end`, immediate, by the system. A
 * pending termination with a later date is replaced (the contract is over; the activity says what
 * was replaced); one whose date has already come is left for finalisation.
 */
export async function endContract(deps: Deps, uid: string): Promise<ContractEnd> {
  return deps.db.runTransaction(async (tx): Promise<ContractEnd> => {
    const account = await findAccount(deps.db, uid, tx);
    const now = deps.clock.now();
    const endsAt = account?.contract?.endsAt;
    if (!account || account.status === 'terminated' || !endsAt || endsAt.toMillis() > now.getTime()) return { outcome: 'skipped', mailIds: [] };
    const pending = account.termination;
    if (pending && pending.effectiveAt.toMillis() <= now.getTime()) return { outcome: 'skipped', mailIds: [] };
    const started = beginTermination(tx, deps, account, {
      kind: 'contract-end',
      initiatedBy: 'provider',
      reason: `Contract ended on ${formatTaipei(endsAt.toDate(), 'en')}`,
      effectiveAt: null,
      actor: SYSTEM_ACTOR,
      details: {
        contractEndsAt: endsAt.toDate().toISOString(),
        ...(pending ? { replaced: { kind: pending.kind, effectiveAt: pending.effectiveAt.toDate().toISOString() } } : {}),
      },
    }, now);
    return { outcome: 'terminated', mailIds: started.mailIds };
  });
}
