import { actorOf } from '../activity/record';
import type { Deps } from '../deps';
import type { Caller } from '../http/auth';
import { AppError } from '../http/errors';
import type { AccountDoc } from './model';
import { provisionAccount } from './provision';

/** Refuses an account whose rights are suspended or ended, whatever credential got this far. */
export function assertUsable(account: AccountDoc): void {
  if (account.status === 'suspended') {
    throw new AppError('PERMISSION_DENIED', 'ACCOUNT_SUSPENDED', 'This account is suspended.');
  }
  if (account.status === 'terminated') {
    throw new AppError('PERMISSION_DENIED', 'ACCOUNT_TERMINATED', 'This account has been terminated.');
  }
}

/**
 * The caller's account document. Users made by the Admin SDK or the console skip the
 * `beforeCreate` blocking function, so a missing document is provisioned here, the same way and
 * idempotently (`via` says which function did it, for the activity log).
 */
export async function loadAccount(deps: Deps, caller: Caller, via: string): Promise<AccountDoc> {
  const snap = await deps.db.collection('accounts').doc(caller.uid).get();
  if (snap.exists) return snap.data() as AccountDoc;
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

/** The caller's account, provisioned if missing, refused unless active or terminating. */
export async function loadUsableAccount(deps: Deps, caller: Caller, via: string): Promise<AccountDoc> {
  const account = await loadAccount(deps, caller, via);
  assertUsable(account);
  return account;
}
