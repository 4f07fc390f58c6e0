import type { AccountDoc, AccountStatus } from './model';

/** The account fields that decide when its rights end. */
export type RightsFacts = Pick<AccountDoc, 'status' | 'termination' | 'contract'>;

/**
 * Whether the account's termination date has come (clause 3.2(a)(i): on that date every right
 * ends at once), whether or not `processLifecycle` has marked the account `terminated` yet.
 * The instant itself counts: rights end *at* `effectiveAt`, as `firestore.rules` and the sweep say.
 */
export function terminationDateReached(account: RightsFacts, now: Date): boolean {
  return account.termination !== null && account.termination.effectiveAt.toMillis() <= now.getTime();
}

/**
 * Whether the contract has ended (clause 3.1(c): the account is terminated when its contract
 * ends), whether or not `processLifecycle` has terminated it yet.
 */
export function contractEnded(account: RightsFacts, now: Date): boolean {
  const endsAt = account.contract?.endsAt ?? null;
  return endsAt !== null && endsAt.toMillis() <= now.getTime();
}

/**
 * The status the account's rights follow at `now`: the stored status, except that an account
 * whose termination date or contract end has come is `terminated` from that instant, though the
 * sweep that writes `terminated` may run minutes (or, with a backlog, hours) later. Every decision
 * about what the owner may do (callables, API keys, retrieval, sign-in) uses this, and
 * `firestore.rules` mirrors it with `request.time`.
 */
export function effectiveStatus(account: RightsFacts, now: Date): AccountStatus {
  if (terminationDateReached(account, now) || contractEnded(account, now)) return 'terminated';
  return account.status;
}
