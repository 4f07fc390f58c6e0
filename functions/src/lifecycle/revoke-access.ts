import type { ApiKeyDoc } from '../apikeys/model';
import { recordActivity, SYSTEM_ACTOR } from '../accounts/activity-log';
import { recordsOf } from '../accounts/repository';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';

function isUserNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'auth/user-not-found';
}

/**
 * Ends sign-in for a terminated account (clause 3.2(a)(i), DESIGN §4): the Firebase Auth user is
 * disabled and its refresh tokens revoked, so ID tokens already issued are refused by every
 * function (they verify with the revocation check). Safe to repeat. A user that no longer exists
 * (deleted in the console, an account made without one) has nothing left to end.
 * @returns false when there is no Auth user.
 */
export async function endSignIn(deps: Deps, uid: string): Promise<boolean> {
  try {
    await deps.auth.updateUser(uid, { disabled: true });
    await deps.auth.revokeRefreshTokens(uid);
    return true;
  } catch (error) {
    if (isUserNotFound(error)) return false;
    throw error;
  }
}

// A transaction holds at most 500 writes; each key costs two (the key and its activity entry).
const KEYS_PER_TRANSACTION = 200;

/**
 * Revokes every live API key of the account (clause 1.3: service-generated keys end with the
 * account), each with an `apiKey.revoked` activity entry by the system, in transactions that
 * re-read the keys, so a repeat or a concurrent finaliser revokes and logs each key once.
 * Terminated accounts' keys are refused anyway (apikeys/authenticate.ts); this makes it explicit
 * in the key's own record.
 * @returns how many keys this call revoked.
 */
export async function revokeApiKeys(deps: Deps, uid: string): Promise<number> {
  const keys = recordsOf(deps.db, uid, 'apiKeys');
  const live = await keys.where('revokedAt', '==', null).select().get();
  let revoked = 0;
  for (let start = 0; start < live.size; start += KEYS_PER_TRANSACTION) {
    const refs = live.docs.slice(start, start + KEYS_PER_TRANSACTION).map((d) => d.ref);
    revoked += await deps.db.runTransaction(async (tx) => {
      const snaps = await tx.getAll(...refs);
      const now = deps.clock.now();
      let count = 0;
      for (const snap of snaps) {
        const key = snap.data() as ApiKeyDoc | undefined;
        if (!key || key.revokedAt) continue;
        tx.update(snap.ref, { revokedAt: Timestamp.fromDate(now) });
        recordActivity(tx, deps.db, uid, now, {
          actor: SYSTEM_ACTOR,
          action: 'apiKey.revoked',
          details: { keyId: snap.id, label: key.label, prefix: key.prefix, reason: 'account.terminated' },
        });
        count += 1;
      }
      return count;
    });
  }
  return revoked;
}
