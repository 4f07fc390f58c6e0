import type { DocumentData, Query, QueryDocumentSnapshot } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { enqueueMail, type OutgoingMail } from '../mail/outbox';
import { Timestamp } from '../shared/firestore-values';

/** Documents read per query of a queue. */
const PAGE = 100;

/** A support queue whose items must be answered in time, and who is told when one is not. */
export interface OverdueQueue {
  /** `incidents` or `recordRequests`: both start `received` and have a `createdAt`. */
  readonly collection: 'incidents' | 'recordRequests';
  /** How long an item may stay `received` before the alert. */
  readonly waitMs: number;
  /** The field that records the alert, so each item is alerted once. */
  readonly marker: 'lateAlertedAt' | 'overdueAlertedAt';
  /** The alert about one item (addressed to support or ops). */
  alert(doc: DocumentData, now: Date): OutgoingMail;
}

/** What one sweep of a queue did. */
export interface OverdueSweep {
  /** References alerted by this run. */
  alerted: string[];
  /** False when the time budget ran out before the queue was read to its end. */
  complete: boolean;
}

/** Alerts once about `doc`: marker and mail in one transaction, so a crash or a concurrent run never mails twice or not at all. */
async function alertOnce(deps: Deps, queue: OverdueQueue, doc: QueryDocumentSnapshot): Promise<string | null> {
  return deps.db.runTransaction(async (tx) => {
    const current = (await tx.get(doc.ref)).data();
    if (!current || current.status !== 'received' || current[queue.marker]) return null;
    const now = deps.clock.now();
    const id = enqueueMail(tx, deps.db, now, queue.alert(current, now));
    tx.update(doc.ref, { [queue.marker]: Timestamp.fromDate(now) });
    return id;
  });
}

/**
 * Items still `received` `queue.waitMs` after they arrived, oldest first, and not yet alerted:
 * each gets its alert. Items already alerted but still unanswered are read and passed over (a
 * missing marker cannot be queried, and items from before the marker existed count too); pages
 * continue after the last item read, until the queue ends or `deadline` (monotonic) passes.
 * @returns the alerted references and the outbox ids, for one `deliverNow` after all queues.
 */
export async function sweepOverdue(deps: Deps, queue: OverdueQueue, deadline: number): Promise<OverdueSweep & { mailIds: string[] }> {
  const cutoff = Timestamp.fromMillis(deps.clock.now().getTime() - queue.waitMs);
  // Indexes: incidents (status, createdAt) and recordRequests (status, createdAt).
  const base: Query = deps.db.collection(queue.collection).where('status', '==', 'received').where('createdAt', '<=', cutoff).orderBy('createdAt');
  const result = { alerted: [] as string[], mailIds: [] as string[], complete: false };
  let after: QueryDocumentSnapshot | null = null;
  while (performance.now() < deadline) {
    const snap = await (after ? base.startAfter(after) : base).limit(PAGE).get();
    for (const doc of snap.docs) {
      if (performance.now() >= deadline) return result;
      after = doc;
      if (doc.get(queue.marker)) continue;
      const mailId = await alertOnce(deps, queue, doc);
      if (mailId) {
        result.alerted.push(doc.id);
        result.mailIds.push(mailId);
      }
    }
    if (snap.docs.length < PAGE) {
      result.complete = true;
      return result;
    }
  }
  return result;
}
