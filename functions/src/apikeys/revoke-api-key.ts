import { Timestamp } from '../shared/firestore-values';
import { z } from 'zod';
import { assertUsable, loadUsableAccount } from '../accounts/load';
import { findAccount, found, recordsOf } from '../accounts/repository';
import { actorOf, recordActivity } from '../accounts/activity-log';
import type { Deps } from '../deps';
import { toApiKeyView, type ApiKeyView } from './list-api-keys';
import type { ApiKeyDoc } from './model';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';
import { AppError } from '../shared/errors';

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
  const keyRef = recordsOf(deps.db, caller.uid, 'apiKeys').doc(keyId);
  const { view, revoked } = await deps.db.runTransaction(async (tx) => {
    const [account, keySnap] = await Promise.all([findAccount(deps.db, caller.uid, tx), tx.get(keyRef)]);
    assertUsable(found(account, caller.uid), deps.clock.now());
    const stored = keySnap.data() as ApiKeyDoc | undefined;
    if (!stored) throw new AppError('API_KEY_NOT_FOUND', 'You have no API key with this id.', { keyId });
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
export const revokeApiKeySpec: SignedInCallableSpec<z.output<typeof input>, ApiKeyView, z.input<typeof input>> = {
  auth: 'required',
  input,
  handler: (deps, { keyId }, { caller }) => revokeApiKey(deps, caller, keyId),
};
