import type { DocumentReference, DocumentSnapshot, Transaction } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import { enqueueFailedAlert } from './failed-alert';
import { isWellFormed, mailExpiresAt, type MailDoc } from './model';
import { LEASE_MS, MAX_ATTEMPTS } from './policy';

/** A message this process holds the lease on, for attempt number `attempt`. */
export interface Claim {
  readonly ref: DocumentReference;
  readonly attempt: number;
  readonly doc: MailDoc;
}

/** What claiming one message came to: a lease, a message failed for good, or nothing to do. */
export type ClaimResult =
  | { readonly kind: 'claimed'; readonly claim: Claim }
  | { readonly kind: 'failed'; readonly doc: MailDoc; readonly attempt: number; readonly alertId: string | null }
  | { readonly kind: 'skipped' };

/**
 * Decides, inside a claiming transaction, whether `mail/{id}` (just read as `snap`) is claimable
 * and writes the lease if it is. A message is claimable when it is `pending` and due (or, with
 * `firstAttempt`, never tried yet), or `sending` with its lease run out (its sender crashed or
 * timed out). A lease that ran out on the last attempt fails the message.
 */
function claimInTransaction(deps: Deps, tx: Transaction, snap: DocumentSnapshot, now: Date, firstAttempt: boolean): ClaimResult {
  const { ref, id } = snap;
  if (!snap.exists) return { kind: 'skipped' };
  const data = snap.data() as Partial<MailDoc>;
  const nowMs = now.getTime();
  if (!isWellFormed(data)) {
    if (data.status === 'pending' || data.status === 'sending') {
      tx.update(ref, { status: 'failed', leaseUntil: null, lastError: 'malformed outbox document', expiresAt: mailExpiresAt(deps.config, 'failed', now) });
      deps.log.log('ERROR', 'mail.failed', { mailId: id, kind: data.kind ?? null, reason: 'malformed' });
    }
    return { kind: 'skipped' };
  }
  const doc = data;
  const due =
    (doc.status === 'pending' && (doc.nextAttemptAt.toMillis() <= nowMs || (firstAttempt && doc.attempts === 0))) ||
    (doc.status === 'sending' && doc.leaseUntil !== null && doc.leaseUntil.toMillis() <= nowMs);
  if (!due) return { kind: 'skipped' };
  if (doc.status === 'sending' && doc.attempts >= MAX_ATTEMPTS) {
    const lastError = `lease expired during attempt ${doc.attempts}: outcome unknown${doc.lastError ? `; before: ${doc.lastError}` : ''}`.slice(0, 500);
    tx.update(ref, { status: 'failed', leaseUntil: null, lastError, expiresAt: mailExpiresAt(deps.config, 'failed', now) });
    const alertId = enqueueFailedAlert(deps, tx, now, id, doc, doc.attempts, lastError);
    return { kind: 'failed', doc, attempt: doc.attempts, alertId };
  }
  const attempt = doc.attempts + 1;
  const leaseUntil = Timestamp.fromMillis(nowMs + LEASE_MS);
  // A failed message that ops set back to pending keeps its old expiresAt: drop it, or the TTL
  // policy could delete the message while it is being delivered again.
  tx.update(ref, { status: 'sending', attempts: attempt, leaseUntil, nextAttemptAt: leaseUntil, ...(doc.expiresAt ? { expiresAt: null } : {}) });
  return { kind: 'claimed', claim: { ref, attempt, doc } };
}

/**
 * Takes the lease on every claimable message among `ids` in ONE transaction, so that two senders
 * never hold the same message (status and lease are read and written inside it) while a sweep
 * pays one commit per group rather than one per message.
 * @returns one result per id, in the order of `ids`.
 */
export async function claimGroup(deps: Deps, ids: readonly string[], firstAttempt: boolean): Promise<ClaimResult[]> {
  const refs = ids.map((id) => deps.db.collection('mail').doc(id));
  return deps.db.runTransaction(async (tx) => {
    const snaps = await tx.getAll(...refs);
    const now = deps.clock.now();
    return snaps.map((snap) => claimInTransaction(deps, tx, snap, now, firstAttempt));
  });
}
