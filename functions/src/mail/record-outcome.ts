import type { UpdateData } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import type { Claim } from './claim';
import { enqueueFailedAlert } from './failed-alert';
import { mailExpiresAt, type MailDoc } from './model';
import { backoffMs } from './policy';
import type { SendResult } from './send';
import type { SentRecorder } from './sent-recorder';

/** How an attempt ended, as recorded on the document. */
export type Outcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'retried'; readonly nextAttemptAt: Date }
  | { readonly kind: 'failed'; readonly alertId: string | null }
  /** Our lease was taken over (we were too slow) and someone else's result stands. */
  | { readonly kind: 'lost' };

/**
 * Writes the attempt's result. A success is written as it is, without reading first: the message
 * went out, whatever a holder that took over meanwhile thinks (its own failure, recorded later,
 * then finds the message `sent` and leaves it). A failure is recorded in a transaction, only while
 * we still hold the lease (status `sending`, same attempt number), so a slow sender never undoes
 * the work of the sweep that took over.
 */
export async function recordOutcome(deps: Deps, claim: Claim, result: SendResult, recorder: SentRecorder | undefined): Promise<Outcome> {
  const { ref, attempt } = claim;
  if (result.ok) {
    const sentAt = deps.clock.now();
    const sent: UpdateData<MailDoc> = { status: 'sent', sentAt: Timestamp.fromDate(sentAt), leaseUntil: null, smtp: result.smtp, expiresAt: mailExpiresAt(deps.config, 'sent', sentAt) };
    await (recorder ? recorder.write(ref, sent) : ref.update(sent));
    return { kind: 'sent' };
  }
  const { failure } = result;
  return deps.db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const doc = snap.data() as MailDoc | undefined;
    if (!doc || doc.status !== 'sending' || doc.attempts !== attempt) return { kind: 'lost' } as const;
    const now = deps.clock.now();
    const wait = failure.permanent ? null : backoffMs(attempt);
    if (wait === null) {
      tx.update(ref, { status: 'failed', leaseUntil: null, lastError: failure.message, expiresAt: mailExpiresAt(deps.config, 'failed', now) });
      const alertId = enqueueFailedAlert(deps, tx, now, ref.id, doc, attempt, failure.message);
      return { kind: 'failed', alertId } as const;
    }
    const next = new Date(now.getTime() + wait);
    tx.update(ref, { status: 'pending', leaseUntil: null, nextAttemptAt: Timestamp.fromDate(next), lastError: failure.message });
    return { kind: 'retried', nextAttemptAt: next } as const;
  });
}
