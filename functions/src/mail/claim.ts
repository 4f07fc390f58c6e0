import type { DocumentReference, DocumentSnapshot, UpdateData } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import { enqueueFailedAlert } from './failed-alert';
import { isWellFormed, mailExpiresAt, type MailDoc } from './model';
import type { OutboxWrites } from './outbox';
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

/** The writes of one claim decision, committed together with the others of its group. */
interface ClaimWrites {
  /** Updates the message as it was read (a write that only lands if nobody changed it since). */
  update(data: UpdateData<MailDoc>): void;
  /** Where the ops alert about a message that fails here is created. */
  readonly alerts: OutboxWrites;
}

/**
 * Decides whether `mail/{id}` (read as `snap`) is claimable and writes the lease if it is. A
 * message is claimable when it is `pending` and due (or, with `firstAttempt`, never tried yet), or
 * `sending` with its lease run out (its sender crashed or timed out). A lease that ran out on the
 * last attempt fails the message.
 */
function decide(deps: Deps, snap: DocumentSnapshot, now: Date, firstAttempt: boolean, writes: ClaimWrites): ClaimResult {
  const { ref, id } = snap;
  if (!snap.exists) return { kind: 'skipped' };
  const data = snap.data() as Partial<MailDoc>;
  const nowMs = now.getTime();
  if (!isWellFormed(data)) {
    if (data.status === 'pending' || data.status === 'sending') {
      writes.update({ status: 'failed', leaseUntil: null, lastError: 'malformed outbox document', expiresAt: mailExpiresAt(deps.config, 'failed', now) });
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
    writes.update({ status: 'failed', leaseUntil: null, lastError, expiresAt: mailExpiresAt(deps.config, 'failed', now) });
    const alertId = enqueueFailedAlert(deps, writes.alerts, now, id, doc, doc.attempts, lastError);
    return { kind: 'failed', doc, attempt: doc.attempts, alertId };
  }
  const attempt = doc.attempts + 1;
  const leaseUntil = Timestamp.fromMillis(nowMs + LEASE_MS);
  // A failed message that ops set back to pending keeps its old expiresAt: drop it, or the TTL
  // policy could delete the message while it is being delivered again.
  writes.update({ status: 'sending', attempts: attempt, leaseUntil, nextAttemptAt: leaseUntil, ...(doc.expiresAt ? { expiresAt: null } : {}) });
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
    return snaps.map((snap) => decide(deps, snap, now, firstAttempt, { update: (data) => tx.update(snap.ref, data), alerts: tx }));
  });
}

/**
 * Takes the lease on the claimable messages among `snaps`, which a sweep's query has just read,
 * without reading them again: one write batch in which every update carries the update time it was
 * read at as a precondition. If any of them changed since (another sender claimed it first), the
 * batch writes nothing and the group is claimed again by `claimGroup`, which reads and decides
 * inside a transaction. Either way a message is claimed by at most one sender per attempt, and a
 * sweep pays one commit per group instead of a transaction.
 * @returns one result per snapshot, in their order.
 */
export async function claimRead(deps: Deps, snaps: readonly DocumentSnapshot[]): Promise<ClaimResult[]> {
  const batch = deps.db.batch();
  const now = deps.clock.now();
  let writes = 0;
  const results = snaps.map((snap) =>
    decide(deps, snap, now, false, {
      update: (data) => {
        writes += 1;
        // Only a document that exists is read with an update time; one that does not is skipped.
        batch.update(snap.ref, data, { lastUpdateTime: snap.updateTime as Timestamp });
      },
      alerts: batch,
    }),
  );
  if (writes === 0) return results;
  try {
    await batch.commit();
    return results;
  } catch {
    // Usually FAILED_PRECONDITION (an overlapping sweep claimed one of them first); any other
    // error is met by the transaction too, which reports it.
    return claimGroup(deps, snaps.map((s) => s.id), false);
  }
}
