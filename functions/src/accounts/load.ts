import { actorOf } from './activity-log';
import type { Deps } from '../deps';
import { effectiveStatus } from './effective-status';
import type { AccountDoc } from './model';
import { provisionAccount } from './provision';
import { findAccount } from './repository';
import type { Caller } from '../shared/caller';
import { AppError } from '../shared/errors';

/**
 * Refuses an account whose rights are suspended or ended, whatever credential got this far: an
 * account whose termination date (or contract end) has come at `now` (`deps.clock.now()`, taken
 * when `account` was read) is refused as terminated, though the sweep has not marked it yet
 * (clause 3.2(a)(i)).
 */
export function assertUsable(account: AccountDoc, now: Date): void {
  const status = effectiveStatus(account, now);
  if (status === 'suspended') {
    throw new AppError('ACCOUNT_SUSPENDED', 'This account is suspended.');
  }
  if (status === 'terminated') {
    throw new AppError('ACCOUNT_TERMINATED', 'This account has been terminated.');
  }
}

/**
 * The caller's account document. Users made by the Admin SDK or the console skip the
 * `beforeCreate` blocking function, so a missing document is provisioned here, the same way and
 * idempotently (`via` says which function did it, for the activity log).
 */
export async function loadAccount(deps: Deps, caller: Caller, via: string): Promise<AccountDoc> {
  const existing = await findAccount(deps.db, caller.uid);
  if (existing) return existing;
  const user = await deps.auth.getUser(caller.uid);
  const { account } = await provisionAccount(
    deps,
    {
      uid: user.uid,
      email: user.email ?? null,
      displayName: user.displayName ?? null,
      providerIds: user.providerData.map((p) => p.providerId),
      emailVerified: user.emailVerified,
    },
    actorOf(caller),
    via,
  );
  return account;
}

/**
 * The caller's account, provisioned if missing, refused unless active or terminating before its
 * termination date (as of `deps.clock`).
 */
export async function loadUsableAccount(deps: Deps, caller: Caller, via: string): Promise<AccountDoc> {
  const account = await loadAccount(deps, caller, via);
  assertUsable(account, deps.clock.now());
  return account;
}
