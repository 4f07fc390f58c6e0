import { Timestamp } from '../shared/firestore-values';
import { z } from 'zod';
import { assertUsable, loadUsableAccount } from '../accounts/load';
import type { AccountDoc } from '../accounts/model';
import { actorOf, recordActivity } from '../activity/record';
import type { Deps } from '../deps';
import type { Caller } from '../http/auth';
import type { CallableSpec } from '../http/callable';
import { AppError } from '../http/errors';
import { generateApiKey } from './key';
import { MAX_LIVE_KEYS, type ApiKeyDoc, type ApiKeyIndexDoc } from './model';

/** Longest label, in characters (code points, so an emoji counts once). */
export const MAX_LABEL_CHARS = 60;

// C0/C1 controls (tab and newlines included), Unicode line/paragraph separators and the bidi
// embedding/override/isolate controls that can make a label display as something else.
const CONTROL_CHARS = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** A key label: trimmed, 1–60 characters, no control characters. */
export const apiKeyLabel = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((s) => [...s].length <= MAX_LABEL_CHARS, `must be at most ${MAX_LABEL_CHARS} characters`)
  .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');

const input = z.object({ label: apiKeyLabel }).strict();

/** What `createApiKey` answers: the only time the key itself is ever shown. */
export interface CreatedApiKey {
  keyId: string;
  key: string;
  label: string;
  createdAt: string;
}

/**
 * Issues a personal API key (clause 1.3). The key is returned once; only its SHA-256 is stored,
 * in `accounts/{uid}/apiKeys/{keyId}` and as `apiKeyIndex/{hash}`, in one transaction with the
 * activity entry. The live-key limit is counted inside that transaction, so concurrent creates
 * cannot together go past it.
 */
export async function createApiKey(deps: Deps, caller: Caller, label: string): Promise<CreatedApiKey> {
  await loadUsableAccount(deps, caller, 'createApiKey');
  const { key, prefix, hash } = generateApiKey();
  const accountRef = deps.db.collection('accounts').doc(caller.uid);
  const keys = accountRef.collection('apiKeys');
  const keyRef = keys.doc();
  const indexRef = deps.db.collection('apiKeyIndex').doc(hash);
  const now = await deps.db.runTransaction(async (tx) => {
    const [accountSnap, live] = await Promise.all([
      tx.get(accountRef),
      tx.get(keys.where('revokedAt', '==', null).limit(MAX_LIVE_KEYS)),
    ]);
    assertUsable(accountSnap.data() as AccountDoc);
    if (live.size >= MAX_LIVE_KEYS) {
      throw new AppError(
        'RESOURCE_EXHAUSTED',
        'API_KEY_LIMIT',
        `An account can hold at most ${MAX_LIVE_KEYS} live API keys: revoke one you no longer use first.`,
        { limit: MAX_LIVE_KEYS },
      );
    }
    const at = deps.clock.now();
    const doc: ApiKeyDoc = { label, hash, prefix, createdAt: Timestamp.fromDate(at), lastUsedAt: null, revokedAt: null };
    const index: ApiKeyIndexDoc = { uid: caller.uid, keyId: keyRef.id };
    tx.create(keyRef, doc);
    tx.create(indexRef, index);
    recordActivity(tx, deps.db, caller.uid, at, {
      actor: actorOf(caller),
      action: 'apiKey.created',
      details: { keyId: keyRef.id, label, prefix },
    });
    return at;
  });
  deps.log.log('INFO', 'apiKey.created', { uid: caller.uid, keyId: keyRef.id, prefix });
  return { keyId: keyRef.id, key, label, createdAt: now.toISOString() };
}

/** `createApiKey({label})` → `{keyId, key, label, createdAt}`. ID token only: a key must not mint keys. */
export const createApiKeySpec: CallableSpec<z.output<typeof input>, CreatedApiKey> = {
  auth: 'required',
  input,
  handler: (deps, { label }, { caller }) => createApiKey(deps, caller as Caller, label),
};
