import { recordDestroyed as destroyedRecorded, settingsOf, takeEffect } from '../accounts/machine';
import { accountRef, findAccount } from '../accounts/repository';
import { applyChange, updateAccount } from '../accounts/changes';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { destroyContent, subcollectionsOf } from './destroy-content';
import { heldByOther, keepLease, leaseFor, newHolder, releaseLease } from './lease';
import { endSignIn, revokeApiKeys } from './revoke-access';

/**
 * What `finaliseAccount` found or did:
 * - `finalised`: the termination date had come; this call ended the account's rights and destroyed its content;
 * - `resumed`: the account was already terminated (immediately, or by a run that stopped); this call finished it;
 * - `done`: nothing left to do (finalised before, or by a concurrent finaliser while this one worked);
 * - `not-due`: no termination has taken effect; nothing was touched;
 * - `busy`: another finaliser holds the lease; it (or the next run) finishes;
 * - `not-found`: no such account.
 */
export type FinaliseOutcome = 'finalised' | 'resumed' | 'done' | 'not-due' | 'busy' | 'not-found';

/** What one `finaliseAccount` call did. */
export interface FinaliseResult {
  readonly uid: string;
  readonly outcome: FinaliseOutcome;
  /** Content documents deleted by this call. */
  readonly deleted: number;
  /** Outbox id of the content-destroyed notice, when this call wrote it. */
  readonly mailIds: string[];
}

/** How `finaliseAccount` runs. */
export interface FinaliseOptions {
  /** Try to deliver the notice right after the commit (default true); `processLifecycle` delivers its batch at once. */
  readonly deliver?: boolean;
}

/**
 * Step 1, one transaction: a pending termination whose date has come becomes `terminated` (rights
 * end here, clause 3.2(a)(i); activity `termination.effective`), and the finaliser takes the lease.
 */
async function claim(deps: Deps, uid: string, holder: string): Promise<FinaliseOutcome> {
  return deps.db.runTransaction(async (tx): Promise<FinaliseOutcome> => {
    const account = await findAccount(deps.db, uid, tx);
    if (!account) return 'not-found';
    const termination = account.termination;
    const now = deps.clock.now();
    if (!termination) return 'not-due';
    if (termination.contentDestroyedAt) return 'done';
    const terminated = account.status === 'terminated';
    const due = takeEffect(account, now);
    if (!terminated && !due) return 'not-due';
    if (heldByOther(account.finaliseLease, holder, now)) return 'busy';
    const finaliseLease = leaseFor(holder, now);
    if (!due) {
      updateAccount(tx, deps.db, uid, { finaliseLease });
      return 'resumed';
    }
    applyChange(tx, deps, account, { ...due, patch: { ...due.patch, finaliseLease } }, now);
    return 'finalised';
  });
}

/**
 * Last step, one transaction: `termination.contentDestroyedAt`, activity `content.destroyed` and
 * the final notice, written only by whichever finaliser gets here first.
 */
async function recordDestroyed(deps: Deps, uid: string, collections: string[]): Promise<string[] | null> {
  return deps.db.runTransaction(async (tx) => {
    const account = await findAccount(deps.db, uid, tx);
    const now = deps.clock.now();
    const destroyed = account && destroyedRecorded(account, collections, now, settingsOf(deps.config));
    if (!account || !destroyed) return null;
    return applyChange(tx, deps, account, { ...destroyed, patch: { ...destroyed.patch, finaliseLease: null } }, now);
  });
}

/**
 * Finalises a terminated account (clause 3.2(a), DESIGN §4), in this order: mark it `terminated`
 * if its date has come (rights end), disable the Auth user and revoke its refresh tokens, revoke
 * its API keys, destroy all customer content, then record `contentDestroyedAt`, the activity and
 * the final notice once. Every step is idempotent, so a call that dies anywhere is completed by
 * the next; concurrent calls on one account are safe (a lease keeps them from doubling the work;
 * the last step's transaction keeps the record single even without it). Touches only this
 * account's status, keys and content: never its records nor another account.
 * Call it right after an immediate termination; `processLifecycle` calls it for every due account.
 */
export async function finaliseAccount(deps: Deps, uid: string, options: FinaliseOptions = {}): Promise<FinaliseResult> {
  const ref = accountRef(deps.db, uid);
  const holder = newHolder();
  const claimed = await claim(deps, uid, holder);
  if (claimed !== 'finalised' && claimed !== 'resumed') return { uid, outcome: claimed, deleted: 0, mailIds: [] };
  const stopRenewing = keepLease(deps, ref, holder);
  let mailIds: string[] | null;
  let deleted: number;
  try {
    // Independent calls to two services, so at once: the listing is taken after the claim made the
    // account terminated (destroy-content.ts), and nothing is deleted before sign-in has ended.
    const [hasUser, listed] = await Promise.all([endSignIn(deps, uid), subcollectionsOf(deps, uid)]);
    const keys = listed.some((c) => c.id === 'apiKeys') ? await revokeApiKeys(deps, uid) : 0;
    const destruction = await destroyContent(deps, uid, listed);
    deleted = destruction.deleted;
    mailIds = await recordDestroyed(deps, uid, destruction.collections);
    deps.log.log('INFO', 'lifecycle.finalised', { uid, outcome: claimed, hasUser, keysRevoked: keys, ...destruction, recorded: mailIds !== null });
  } catch (error) {
    await releaseLease(deps, ref, holder);
    throw error;
  } finally {
    stopRenewing();
  }
  if (mailIds === null) return { uid, outcome: 'done', deleted, mailIds: [] };
  if (options.deliver ?? true) await deliverNow(deps, mailIds);
  return { uid, outcome: claimed, deleted, mailIds };
}
