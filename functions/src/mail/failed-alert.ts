import type { Deps } from '../deps';
import { isSafeAddress } from '../shared/email';
import { escapeHtml } from './escape-html';
import { isTimestamp, type MailDoc } from './model';
import { enqueueMail, type OutboxWrites } from './outbox';

/** Kind of the ops alert about a failed message. A failed alert raises no further alert. */
export const FAILED_ALERT_KIND = 'mail.failedAlert';

/**
 * Puts the ops alert about failed message `id` in the outbox, in `tx` (a transaction or a write
 * batch, the one that fails the message). Only ids, kind, attempts and the error go in: ops look
 * the rest up in `mail/{id}`. Never for an alert itself.
 * @returns the alert's id, or null when none is due.
 */
export function enqueueFailedAlert(deps: Deps, tx: OutboxWrites, at: Date, id: string, doc: MailDoc, attempts: number, error: string): string | null {
  if (doc.kind === FAILED_ALERT_KIND) return null;
  const to = deps.config.OPS_EMAIL;
  if (!isSafeAddress(to)) {
    deps.log.log('ERROR', 'mail.alert_skipped', { mailId: id, kind: doc.kind, reason: 'OPS_EMAIL is not a plain address' });
    return null;
  }
  const lines = [
    'An outbox message could not be delivered and will not be retried.',
    '',
    `Message:   mail/${id}`,
    `Kind:      ${doc.kind}`,
    `Related:   ${doc.related ?? '-'}`,
    `Created:   ${isTimestamp(doc.createdAt) ? doc.createdAt.toDate().toISOString() : '-'}`,
    `Attempts:  ${attempts}`,
    `Error:     ${error}`,
    '',
    'Check the SMTP service (SMTP_URL) and the recipients in the document; to send it again, set',
    'its status to "pending", attempts to 0 and nextAttemptAt to now.',
  ];
  return enqueueMail(tx, deps.db, at, {
    kind: FAILED_ALERT_KIND,
    to,
    subject: `[OrderPally ops] Mail delivery failed: ${doc.kind} (mail/${id})`,
    text: lines.join('\n'),
    html: `<pre>${escapeHtml(lines.join('\n'))}</pre>`,
    related: `mail/${id}`,
  });
}
