import type { IdentityFacts } from '../accounts/provision';
import { provisionAccount } from '../accounts/provision';
import { SYSTEM_ACTOR } from '../accounts/activity-log';
import type { Deps } from '../deps';
import type { BlockingDecision, BlockingEvent } from './event';
import { accountStatusDecision, signInMethodDecision } from './policy';

/** What we know of the new user, as `provisionAccount` takes it. */
export function factsOf(event: BlockingEvent): IdentityFacts {
  const { user } = event;
  return {
    uid: user.uid,
    email: user.email,
    displayName: user.displayName,
    // An email+password beforeCreate carries no provider_data yet: the method names the provider.
    providerIds: event.signInMethod ? [...user.providerIds, event.signInMethod] : user.providerIds,
    emailVerified: user.emailVerified,
    locale: event.locale,
  };
}

/**
 * `beforeCreate`: refuses any sign-up method but email+password and Facebook, otherwise creates
 * `accounts/{uid}` (active, locale from the request or zh-TW, nothing owed) with its
 * `account.created` activity in one transaction. Idempotent: a replayed event for a uid that
 * already has an account changes nothing (and still refuses a suspended or terminated one).
 */
export async function beforeCreate(deps: Deps, event: BlockingEvent): Promise<BlockingDecision> {
  const method = signInMethodDecision(event.signInMethod);
  if (method.kind === 'block') return method;
  const { account, created } = await provisionAccount(deps, factsOf(event), SYSTEM_ACTOR, 'beforeCreate');
  if (created) {
    deps.log.log('INFO', 'account.provisioned', { uid: account.uid, via: 'beforeCreate', providers: account.providers, locale: account.locale });
  }
  return accountStatusDecision(account, deps.clock.now(), deps.config.SUPPORT_EMAIL);
}
