import { Timestamp } from '../shared/firestore-values';
import { z } from 'zod';
import { assertUsable, loadUsableAccount } from '../accounts/load';
import type { AccountDoc } from '../accounts/model';
import { actorOf, recordActivity } from '../activity/record';
import type { Deps } from '../deps';
import type { Caller } from '../http/auth';
import type { CallableSpec } from '../http/callable';
import { AppError } from '../http/errors';
import { toApiKeyView, type ApiKeyView } from './list-api-keys';
import type { ApiKeyDoc } from './model';

// Firestore auto-ids are 20 alphanumerics; anything else (slashes, dots, empty) is not a key id.
const input = z.object({ keyId: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'must be a key id from listApiKeys') }).strict();

/**
 * Revokes one of the caller's keys: from now on it is refused with API_KEY_REVOKED. Idempotent:
 * revoking a revoked key answers its listing again and writes nothing. A key id that is not the
 * caller's (unknown, or another user's) is NOT_FOUND, so ids of other accounts cannot be probed.
 * The `apiKeyIndex` entry stays, so the revoked key is recognised and refused as revoked.
 */
export async function revokeApiKey(deps: Deps, caller: Caller, keyId: string): Promise<ApiKeyView> {
  await loadUsableAccount(deps, caller, 'revokeApiKey');
  const accountRef = deps.db.collection('accounts').doc(caller.uid);
  const keyRef = accountRef.collection('apiKeys').doc(keyId);
  const { view, revoked } = await deps.db.runTransaction(async (tx) => {
    const [accountSnap, keySnap] = await tx.getAll(accountRef, keyRef);
    assertUsable(accountSnap?.data() as AccountDoc, deps.clock.now());
    const stored = keySnap?.data() as ApiKeyDoc | undefined;
    if (!stored) throw new AppError('NOT_FOUND', 'API_KEY_NOT_FOUND', 'You have no API key with this id.', { keyId });
    if (stored.revokedAt) return { view: toApiKeyView(keyId, stored), revoked: false };
    const at = deps.clock.now();
    const revokedAt = Timestamp.fromDate(at);
    tx.update(keyRef, { revokedAt });
    recordActivity(tx, deps.db, caller.uid, at, {
      actor: actorOf(caller),
      action: 'apiKey.revoked',
      details: { keyId, label: stored.label, prefix: stored.prefix },
    });
    return { view: toApiKeyView(keyId, { ...stored, revokedAt }), revoked: true };
  });
  if (revoked) deps.log.log('INFO', 'apiKey.revoked', { uid: caller.uid, keyId, prefix: view.prefix });
  return view;
}

/** `revokeApiKey({keyId})` → the key's listing. ID token only. */
export const revokeApiKeySpec: CallableSpec<z.output<typeof input>, ApiKeyView> = {
  auth: 'required',
  input,
  handler: (deps, { keyId }, { caller }) => revokeApiKey(deps, caller as Caller, keyId),
};
