import { Timestamp } from '../shared/firestore-values';
import { effectiveStatus } from '../accounts/effective-status';
import { findAccount, recordsOf } from '../accounts/repository';
import type { Deps } from '../deps';
import { hashApiKey, looksLikeApiKey } from './key';
import { LAST_USED_RESOLUTION_MS, type ApiKeyDoc, type ApiKeyIndexDoc } from './model';
import type { Caller } from '../shared/caller';
import { AppError, type Reason } from '../shared/errors';

function refused(reason: Reason, message: string): AppError {
  return new AppError(reason, message);
}

/**
 * Authenticates `Authorization: ApiKey <key>` as the key's owner (clause 1.3). The key works
 * only while it is not revoked and the account is active, or terminating before its date:
 * suspension stops every key at once, and so does the termination date (clause 3.2(a)(i)), without
 * waiting for processLifecycle to revoke the keys.
 */
export async function authenticateApiKey(deps: Deps, key: string): Promise<Caller> {
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
    // Best effort: a lost lastUsedAt update must not fail the caller's request.
    await keyRef.update({ lastUsedAt: Timestamp.fromDate(now) }).catch((error: unknown) => {
      deps.log.log('WARNING', 'apiKey.lastUsed_failed', { uid, keyId, error });
    });
  }
  return { uid, email: account.email, emailVerified: true, signInProvider: 'apiKey', role: null, via: 'apiKey' };
}
