import type { DocumentReference } from 'firebase-admin/firestore';
import { recordActivity } from '../accounts/activity-log';
import { Timestamp } from '../shared/firestore-values';
import { effectiveStatus } from '../accounts/effective-status';
import { findAccount, recordsOf } from '../accounts/repository';
import type { Deps } from '../deps';
import { hashApiKey, looksLikeApiKey } from './key';
import { LAST_USED_RESOLUTION_MS, type ApiKeyDoc, type ApiKeyIndexDoc } from './model';
import type { Caller } from '../shared/caller';
import { AppError, type Reason } from '../shared/errors';

/** What the HTTP layer tells the verifier about the request a key came with. */
export interface ApiKeyRequest {
  /** The client address (http/client-ip.ts). */
  readonly ip: string;
}

/**
 * Sets `lastUsedAt` and appends `apiKey.used` (key id, client IP) in one transaction, which checks
 * the hour again: of concurrent first calls in an hour, one records the use.
 */
async function recordUse(deps: Deps, uid: string, keyRef: DocumentReference, now: Date, ip: string): Promise<void> {
  await deps.db.runTransaction(async (tx) => {
    const stored = (await tx.get(keyRef)).data() as ApiKeyDoc | undefined;
    if (!stored || (stored.lastUsedAt && now.getTime() - stored.lastUsedAt.toMillis() < LAST_USED_RESOLUTION_MS)) return;
    tx.update(keyRef, { lastUsedAt: Timestamp.fromDate(now) });
    recordActivity(tx, deps.db, uid, now, {
      actor: { uid, role: 'customer' },
      action: 'apiKey.used',
      details: { keyId: keyRef.id, prefix: stored.prefix, ip },
    });
  });
}

function refused(reason: Reason, message: string): AppError {
  return new AppError(reason, message);
}

/**
 * Authenticates `Authorization: ApiKey <key>` as the key's owner (clause 1.3). The key works
 * only while it is not revoked and the account is active, or terminating before its date:
 * suspension stops every key at once, and so does the termination date (clause 3.2(a)(i)), without
 * waiting for processLifecycle to revoke the keys. Use is recorded once an hour per key (`recordUse`).
 */
export async function authenticateApiKey(deps: Deps, key: string, request: ApiKeyRequest): Promise<Caller> {
  const invalid = refused('API_KEY_INVALID', 'The API key is not valid.');
  if (!looksLikeApiKey(key)) throw invalid;
  const hash = hashApiKey(key);
  const index = await deps.db.collection('apiKeyIndex').doc(hash).get();
  if (!index.exists) throw invalid;
  const { uid, keyId } = index.data() as ApiKeyIndexDoc;
  const keyRef = recordsOf(deps.db, uid, 'apiKeys').doc(keyId);
  const [keySnap, account] = await Promise.all([keyRef.get(), findAccount(deps.db, uid)]);
  const stored = keySnap.data() as ApiKeyDoc | undefined;
  if (!stored || stored.hash !== hash) throw invalid;
  if (stored.revokedAt) throw refused('API_KEY_REVOKED', 'This API key has been revoked.');
  const now = deps.clock.now();
  const status = account && effectiveStatus(account, now);
  if (!account || (status !== 'active' && status !== 'terminating')) {
    throw refused('API_KEY_ACCOUNT_INACTIVE', 'API keys stop working while the account is suspended or terminated.');
  }
  if (!stored.lastUsedAt || now.getTime() - stored.lastUsedAt.toMillis() >= LAST_USED_RESOLUTION_MS) {
    // Best effort: a lost record of use must not fail the caller's request.
    await recordUse(deps, uid, keyRef, now, request.ip).catch((error: unknown) => {
      deps.log.log('WARNING', 'apiKey.lastUsed_failed', { uid, keyId, error });
    });
  }
  return { uid, email: account.email, emailVerified: true, signInProvider: 'apiKey', role: null, via: 'apiKey' };
}
