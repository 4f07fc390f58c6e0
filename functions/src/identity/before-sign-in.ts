import { findAccount } from '../accounts/repository';
import type { Deps } from '../deps';
import { ALLOW, type BlockingDecision, type BlockingEvent } from './event';
import { accountStatusDecision, signInMethodDecision } from './policy';

/**
 * `beforeSignIn`: refuses any method but email+password and Facebook, and any suspended or
 * terminated account. One document read. A user without an account document (created with the
 * Admin SDK or the console, which skip beforeCreate) gets through: `getAccount` provisions it.
 */
export async function beforeSignIn(deps: Deps, event: BlockingEvent): Promise<BlockingDecision> {
  const method = signInMethodDecision(event.signInMethod);
  if (method.kind === 'block') return method;
  const account = await findAccount(deps.db, event.user.uid);
  if (!account) return ALLOW;
  return accountStatusDecision(account, deps.clock.now(), deps.config.SUPPORT_EMAIL);
}
