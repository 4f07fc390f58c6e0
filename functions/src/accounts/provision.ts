import { Timestamp } from '../shared/firestore-values';
import { recordActivity, type Actor } from './activity-log';
import type { Deps } from '../deps';
import { allowedProviders, normalizeLocale, type AccountDoc } from './model';
import { findAccount } from './repository';
import { createAccount } from './changes';

/** What we know of a new user, from a blocking-function event or the Auth user record. */
export interface IdentityFacts {
  readonly uid: string;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly providerIds: readonly string[];
  readonly emailVerified: boolean;
  readonly locale?: string | null;
}

/** A fresh `accounts/{uid}`: active, no contract end, nothing owed. */
export function newAccountDoc(facts: IdentityFacts, now: Date): AccountDoc {
  const at = Timestamp.fromDate(now);
  return {
    uid: facts.uid,
    email: facts.email,
    displayName: facts.displayName,
    providers: allowedProviders(facts.providerIds),
    emailVerified: facts.emailVerified,
    locale: normalizeLocale(facts.locale),
    status: 'active',
    createdAt: at,
    updatedAt: at,
    contract: { startsAt: at, endsAt: null },
    termination: null,
    suspension: null,
    billing: { amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: null },
  };
}

/**
 * Creates `accounts/{uid}` unless it exists, with its `account.created` activity, in one
 * transaction: safe to call from `beforeCreate` and again from `getAccount` (for users made by the
 * Admin SDK or the console, which skip blocking functions), and safe when both race.
 */
export async function provisionAccount(
  deps: Deps,
  facts: IdentityFacts,
  actor: Actor,
  via: string,
): Promise<{ account: AccountDoc; created: boolean }> {
  return deps.db.runTransaction(async (tx) => {
    const existing = await findAccount(deps.db, facts.uid, tx);
    if (existing) return { account: existing, created: false };
    const now = deps.clock.now();
    const account = newAccountDoc(facts, now);
    createAccount(tx, deps.db, account);
    recordActivity(tx, deps.db, facts.uid, now, {
      actor,
      action: 'account.created',
      details: { via, providers: account.providers, locale: account.locale },
    });
    return { account, created: true };
  });
}
