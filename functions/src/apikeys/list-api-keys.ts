import { noArguments } from '../shared/input';
import { loadUsableAccount } from '../accounts/load';
import { recordsOf } from '../accounts/repository';
import type { Deps } from '../deps';
import { z } from 'zod';
import { iso } from '../shared/time';
import type { ApiKeyDoc } from './model';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';

/** Revoked keys listed: the most recently revoked ones. Their whole history stays in `listActivity`. */
export const LISTED_REVOKED_KEYS = 20;

// Live keys are held to MAX_LIVE_KEYS by createApiKey; an in-place restore can revive revoked
// ones, and the owner must then see every one of them to revoke it, so this is only a backstop.
const LISTED_LIVE_KEYS = 100;

/** One key as its owner sees it: never the key itself, never its hash (clause 1.3). */
export interface ApiKeyView {
  keyId: string;
  label: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Renders a stored key for its owner. Fields are picked one by one so `hash` can never leak. */
export function toApiKeyView(keyId: string, doc: ApiKeyDoc): ApiKeyView {
  return {
    keyId,
    label: doc.label,
    prefix: doc.prefix,
    createdAt: iso(doc.createdAt),
    lastUsedAt: iso(doc.lastUsedAt ?? null),
    revokedAt: iso(doc.revokedAt ?? null),
  };
}

/**
 * The account's keys, newest first: every live key, and the 20 most recently revoked, so the
 * answer stays small however many keys an integration has rotated through. Two queries on the
 * single field `revokedAt` (no composite index): live ones by equality with null, revoked ones by
 * `revokedAt` descending, where the nulls of live keys sort last and are dropped.
 */
export async function listApiKeys(deps: Deps, caller: Caller): Promise<{ keys: ApiKeyView[] }> {
  await loadUsableAccount(deps, caller, 'listApiKeys');
  const keys = recordsOf(deps.db, caller.uid, 'apiKeys');
  const [live, recent] = await Promise.all([
    keys.where('revokedAt', '==', null).limit(LISTED_LIVE_KEYS).get(),
    keys.orderBy('revokedAt', 'desc').limit(LISTED_REVOKED_KEYS).get(),
  ]);
  const revoked = recent.docs.filter((d) => d.get('revokedAt') !== null);
  const views = [...live.docs, ...revoked].map((d) => toApiKeyView(d.id, d.data() as ApiKeyDoc));
  const descending = (x: string, y: string) => (x < y ? 1 : x > y ? -1 : 0);
  const newestFirst = (a: ApiKeyView, b: ApiKeyView) => descending(a.createdAt, b.createdAt) || descending(a.keyId, b.keyId);
  return { keys: views.sort(newestFirst) };
}

/**
 * `listApiKeys()` → `{keys[]}`: live keys and the 20 most recently revoked. ID token only: a key
 * must not be able to enumerate keys.
 */
export const listApiKeysSpec: SignedInCallableSpec<z.output<typeof noArguments>, { keys: ApiKeyView[] }, z.input<typeof noArguments>> = {
  auth: 'required',
  input: noArguments,
  handler: (deps, _input, { caller }) => listApiKeys(deps, caller),
};
