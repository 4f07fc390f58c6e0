import { Timestamp } from '../shared/firestore-values';
import { z } from 'zod';
import { assertUsable, loadUsableAccount } from '../accounts/load';
import { findAccount, found, recordsOf } from '../accounts/repository';
import { actorOf, recordActivity } from '../accounts/activity-log';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { mailOwner, ownerAddress, type MailOwner } from '../mail/mail-owner';
import { apiKeyCreatedMail } from '../mail/templates/api-key-created';
import { generateApiKey } from './key';
import { MAX_LIVE_KEYS, type ApiKeyDoc, type ApiKeyIndexDoc } from './model';
import type { Caller } from '../shared/caller';
import type { CallContext, SignedInCallableSpec } from '../spec';
import { AppError } from '../shared/errors';

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

/** How recent the sign-in behind the ID token must be to create a key. */
export const RECENT_SIGN_IN_SECONDS = 5 * 60;

/** What `createApiKey` answers: the only time the key itself is ever shown. */
export interface CreatedApiKey {
  keyId: string;
  key: string;
  label: string;
  createdAt: string;
}

/**
 * A key outlives the session that made it, so a stolen ID token (valid for up to an hour, and
 * refreshable) must not be enough: the user must have entered their credentials in the last
 * five minutes. Refreshing a token keeps its `auth_time`, so only a real sign-in resets it.
 */
function assertRecentSignIn(deps: Deps, caller: Caller): void {
  const age = caller.authTime ? deps.clock.now().getTime() - caller.authTime.getTime() : Infinity;
  if (age > RECENT_SIGN_IN_SECONDS * 1000) {
    throw new AppError(
      'RECENT_SIGN_IN_REQUIRED',
      `Sign in again first: creating an API key needs a sign-in within the last ${RECENT_SIGN_IN_SECONDS / 60} minutes.`,
      { maxAgeSeconds: RECENT_SIGN_IN_SECONDS },
    );
  }
}

/**
 * Whom the owner's notice of a new key goes to: the account, whose sign-in address also counts as
 * verified when the ID token says so (the account learns it only on the next `getAccount`). The
 * notice always lands in the in-app inbox; it is mailed when there is an address (mailOwner).
 */
function keyOwner(account: MailOwner, caller: Caller): MailOwner {
  const verifiedNow = caller.via === 'idToken' && caller.emailVerified && caller.email !== null && caller.email === account.email;
  return { ...account, emailVerified: account.emailVerified || verifiedNow };
}

/**
 * Issues a personal API key (clause 1.3), only shortly after a sign-in. The key is returned once;
 * only its SHA-256 is stored, in `accounts/{uid}/apiKeys/{keyId}` and as `apiKeyIndex/{hash}`, in
 * one transaction with the activity entry and the owner's notice in the outbox (label, prefix,
 * time, client IP). The live-key limit is counted inside that transaction, so concurrent creates
 * cannot together go past it.
 */
export async function createApiKey(deps: Deps, caller: Caller, label: string, { ip }: Pick<CallContext, 'ip'>): Promise<CreatedApiKey> {
  assertRecentSignIn(deps, caller);
  await loadUsableAccount(deps, caller, 'createApiKey');
  const { key, prefix, hash } = generateApiKey();
  const keys = recordsOf(deps.db, caller.uid, 'apiKeys');
  const keyRef = keys.doc();
  const indexRef = deps.db.collection('apiKeyIndex').doc(hash);
  const { now, mailIds, mailed } = await deps.db.runTransaction(async (tx) => {
    const [stored, live] = await Promise.all([findAccount(deps.db, caller.uid, tx), tx.get(keys.where('revokedAt', '==', null).limit(MAX_LIVE_KEYS))]);
    const account = found(stored, caller.uid);
    const at = deps.clock.now();
    assertUsable(account, at);
    if (live.size >= MAX_LIVE_KEYS) {
      throw new AppError(
        'API_KEY_LIMIT',
        `An account can hold at most ${MAX_LIVE_KEYS} live API keys: revoke one you no longer use first.`,
        { limit: MAX_LIVE_KEYS },
      );
    }
    const doc: ApiKeyDoc = { label, hash, prefix, createdAt: Timestamp.fromDate(at), lastUsedAt: null, revokedAt: null };
    const index: ApiKeyIndexDoc = { uid: caller.uid, keyId: keyRef.id };
    tx.create(keyRef, doc);
    tx.create(indexRef, index);
    recordActivity(tx, deps.db, caller.uid, at, {
      actor: actorOf(caller),
      action: 'apiKey.created',
      details: { keyId: keyRef.id, label, prefix },
    });
    const owner = keyOwner(account, caller);
    const notice = apiKeyCreatedMail({ locale: account.locale, label, prefix, createdAt: at, ip, supportEmail: deps.config.SUPPORT_EMAIL });
    return { now: at, mailIds: mailOwner(tx, deps, owner, at, 'apiKey.created', notice, keyRef.path), mailed: ownerAddress(owner) !== null };
  });
  deps.log.log('INFO', 'apiKey.created', { uid: caller.uid, keyId: keyRef.id, prefix, ownerMailed: mailed });
  await deliverNow(deps, mailIds);
  return { keyId: keyRef.id, key, label, createdAt: now.toISOString() };
}

/**
 * `createApiKey({label})` → `{keyId, key, label, createdAt}`. ID token only, from a sign-in in the
 * last 5 minutes (else FAILED_PRECONDITION / RECENT_SIGN_IN_REQUIRED): a key must not mint keys.
 */
export const createApiKeySpec: SignedInCallableSpec<z.output<typeof input>, CreatedApiKey, z.input<typeof input>> = {
  auth: 'required',
  input,
  handler: (deps, { label }, { caller, ip }) => createApiKey(deps, caller, label, { ip }),
};
