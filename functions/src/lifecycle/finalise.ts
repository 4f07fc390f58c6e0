import type { DocumentSnapshot, Timestamp } from 'firebase-admin/firestore';
import { recordDestroyed as destroyedRecorded, settingsOf, takeEffect } from '../accounts/machine';
import type { AccountDoc } from '../accounts/model';
import { accountRef, findAccount } from '../accounts/repository';
import { applyChange, updateAccount } from '../accounts/changes';
import type { Deps } from '../deps';
import { preconditioned, type DocumentWrites } from '../shared/writes';
import { destroyContent } from './destroy-content';
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
  /** Outbox id of the content-destroyed notice, when this call wrote it (the caller delivers it, or `deliverMail` does). */
  readonly mailIds: string[];
}

/** How `finaliseAccount` runs. */
export interface FinaliseOptions {
  /** The account as a query has just read it (`processLifecycle`'s sweep): claimed without reading it again. */
  readonly read?: DocumentSnapshot<AccountDoc>;
}

/** What the claim decided, and the account as the claim left it when it wrote. */
interface Claim {
  readonly outcome: FinaliseOutcome;
  /** The account once the claim commits (null unless `finalised` or `resumed`). */
  readonly account: AccountDoc | null;
  /** When a preconditioned batch wrote the claim: the account's update time from then on. */
  readonly writeTime: Timestamp | null;
}

type ClaimDecision =
  | { readonly outcome: Exclude<FinaliseOutcome, 'finalised' | 'resumed'> }
  | { readonly outcome: 'finalised' | 'resumed'; readonly write: (writes: DocumentWrites) => AccountDoc };

/**
 * Step 1, decided on the account as read: a pending termination whose date has come becomes
 * `terminated` (rights end here, clause 3.2(a)(i); activity `termination.effective`), and the
 * finaliser takes the lease. `write` writes that and returns the account as written.
 */
function decideClaim(deps: Deps, account: AccountDoc | undefined, holder: string, now: Date): ClaimDecision {
  if (!account) return { outcome: 'not-found' };
  const termination = account.termination;
  if (!termination) return { outcome: 'not-due' };
  if (termination.contentDestroyedAt) return { outcome: 'done' };
  const due = takeEffect(account, now);
  if (account.status !== 'terminated' && !due) return { outcome: 'not-due' };
  if (heldByOther(account.finaliseLease, holder, now)) return { outcome: 'busy' };
  const finaliseLease = leaseFor(holder, now);
  if (!due) {
    return {
      outcome: 'resumed',
      write: (writes) => {
        updateAccount(writes, deps.db, account.uid, { finaliseLease });
        return { ...account, finaliseLease };
      },
    };
  }
  const change = { ...due, patch: { ...due.patch, finaliseLease } };
  return {
    outcome: 'finalised',
    write: (writes) => {
      applyChange(writes, deps, account, change, now);
      return { ...account, ...change.patch };
    },
  };
}

/**
 * Step 1. With `read` (a sweep's query has just read the account), one write batch that holds only
 * if the account is unchanged since: a sweep of thousands pays one commit per account, not a
 * transaction. Otherwise, or when the account changed since it was read, or when the read does not
 * make it claimable, one transaction that reads it afresh and decides.
 */
async function claim(deps: Deps, uid: string, holder: string, read?: DocumentSnapshot<AccountDoc>): Promise<Claim> {
  const decided = read?.updateTime && decideClaim(deps, read.data(), holder, deps.clock.now());
  if (read?.updateTime && decided && 'write' in decided) {
    const batch = deps.db.batch();
    const account = decided.write(preconditioned(batch, read.ref, read.updateTime));
    try {
      const [result] = await batch.commit();
      return { outcome: decided.outcome, account, writeTime: result?.writeTime ?? null };
    } catch {
      // Usually FAILED_PRECONDITION (someone wrote the account since the sweep read it); any
      // other error is met by the transaction too, which reports it.
    }
  }
  return deps.db.runTransaction(async (tx): Promise<Claim> => {
    const decision = decideClaim(deps, await findAccount(deps.db, uid, tx), holder, deps.clock.now());
    return 'write' in decision ? { outcome: decision.outcome, account: decision.write(tx), writeTime: null } : { outcome: decision.outcome, account: null, writeTime: null };
  });
}

/**
 * Last step: `termination.contentDestroyedAt`, activity `content.destroyed` and the final notice,
 * written only by whichever finaliser gets here first. When the claim was a batch and nothing has
 * written the account since (no lease renewal, no other finaliser), one batch held to the claim's
 * write time; otherwise one transaction.
 */
async function recordDestroyed(deps: Deps, uid: string, collections: string[], claimed: Claim): Promise<string[] | null> {
  // The record, with the lease given up, on `account` as read; null when there is nothing to record.
  const record = (writes: DocumentWrites, account: AccountDoc | undefined, now: Date): string[] | null => {
    const destroyed = account && destroyedRecorded(account, collections, now, settingsOf(deps.config));
    if (!account || !destroyed) return null;
    return applyChange(writes, deps, account, { ...destroyed, patch: { ...destroyed.patch, finaliseLease: null } }, now);
  };
  if (claimed.account && claimed.writeTime) {
    const batch = deps.db.batch();
    const mailIds = record(preconditioned(batch, accountRef(deps.db, uid), claimed.writeTime), claimed.account, deps.clock.now());
    if (mailIds) {
      try {
        await batch.commit();
        return mailIds;
      } catch {
        // Written since the claim: read it again below.
      }
    }
  }
  return deps.db.runTransaction(async (tx) => record(tx, await findAccount(deps.db, uid, tx), deps.clock.now()));
}

/**
 * Finalises a terminated account (clause 3.2(a), DESIGN §4), in this order: mark it `terminated`
 * if its date has come (rights end), disable the Auth user and revoke its refresh tokens, revoke
 * its API keys, destroy all customer content, then record `contentDestroyedAt`, the activity and
 * the final notice once. Every step is idempotent, so a call that dies anywhere is completed by
 * the next; concurrent calls on one account are safe (a lease keeps them from doubling the work;
 * the last step, held to the account as read, keeps the record single even without it). Touches
 * only this account's status, keys and content: never its records nor another account.
 * Call it right after an immediate termination; `processLifecycle` calls it for every due account.
 * The final notice is left in the outbox: deliver `mailIds` (`deliverNow`), or `deliverMail` will.
 */
export async function finaliseAccount(deps: Deps, uid: string, options: FinaliseOptions = {}): Promise<FinaliseResult> {
  const ref = accountRef(deps.db, uid);
  const holder = newHolder();
  const claimed = await claim(deps, uid, holder, options.read);
  const outcome = claimed.outcome;
  if (outcome !== 'finalised' && outcome !== 'resumed') return { uid, outcome, deleted: 0, mailIds: [] };
  const stopRenewing = keepLease(deps, ref, holder);
  let mailIds: string[] | null;
  let deleted: number;
  try {
    // Independent calls to two services, so at once: the walk starts after the claim made the
    // account terminated (destroy-content.ts), and deletes nothing before sign-in has ended.
    const signIn = endSignIn(deps, uid);
    const [hasUser, destruction] = await Promise.all([signIn, destroyContent(deps, uid, { ready: signIn })]);
    // Keys stopped working when the account stopped being active (apikeys/authenticate.ts); this
    // marks them revoked. The walk saw whether there are any.
    const keys = destruction.records.includes('apiKeys') ? await revokeApiKeys(deps, uid) : 0;
    deleted = destruction.deleted;
    mailIds = await recordDestroyed(deps, uid, destruction.collections, claimed);
    deps.log.log('INFO', 'lifecycle.finalised', { uid, outcome, hasUser, keysRevoked: keys, ...destruction, recorded: mailIds !== null });
  } catch (error) {
    await releaseLease(deps, ref, holder);
    throw error;
  } finally {
    stopRenewing();
  }
  if (mailIds === null) return { uid, outcome: 'done', deleted, mailIds: [] };
  return { uid, outcome, deleted, mailIds };
}
