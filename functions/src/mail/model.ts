import type { Config } from '../config';
import { Timestamp } from '../shared/firestore-values';
import { DAY_MS } from '../shared/input';

/** Delivery states of an outbox message (DESIGN §6). */
export type MailStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** `mail/{id}`: one message in the outbox. Never client-readable. */
export interface MailDoc {
  /** What caused it, e.g. `incident.support`, `incident.ack`, `records.support`, `mail.failedAlert`. */
  kind: string;
  to: string[];
  replyTo: string | null;
  subject: string;
  text: string;
  html: string;
  /** Stable RFC 5322 Message-ID, the same on every attempt, so a receiver can drop a duplicate. */
  messageId: string;
  status: MailStatus;
  attempts: number;
  createdAt: Timestamp;
  /** When the next attempt may start (pending), or when the current lease ends (sending). */
  nextAttemptAt: Timestamp;
  leaseUntil: Timestamp | null;
  sentAt: Timestamp | null;
  lastError: string | null;
  /** The SMTP server's answer to the last successful attempt. */
  smtp: null | { accepted: string[]; rejected: string[]; response: string; messageId: string };
  /** Where the message came from, e.g. `incidents/INC-2026-000123`, for support tracing. */
  related: string | null;
  /**
   * Set when the message reaches a final state (`sent`, `failed`); the Firestore TTL policy on
   * `mail.expiresAt` deletes it some time after. Absent or null while delivery is still open.
   */
  expiresAt?: Timestamp | null;
}

/** True for a stored Timestamp (a malformed document may hold anything in its place). */
export function isTimestamp(value: unknown): value is Timestamp {
  return typeof value === 'object' && value !== null && typeof (value as { toMillis?: unknown }).toMillis === 'function';
}

/** True when a stored message has every field a delivery attempt reads, of the right type. */
export function isWellFormed(doc: Partial<MailDoc>): doc is MailDoc {
  return Array.isArray(doc.to) && doc.to.length > 0 && typeof doc.subject === 'string' && typeof doc.text === 'string' &&
    typeof doc.html === 'string' && typeof doc.messageId === 'string' && typeof doc.attempts === 'number' &&
    isTimestamp(doc.nextAttemptAt);
}


/**
 * When a message that became `status` at `at` may go: MAIL_SENT_RETENTION_DAYS after it was sent
 * (30 by default: long enough to answer "did you mail me?"), MAIL_FAILED_RETENTION_DAYS after it
 * failed (90: a failed message is the evidence behind an ops alert, kept until it is dealt with).
 */
export function mailExpiresAt(config: Config, status: 'sent' | 'failed', at: Date): Timestamp {
  const days = status === 'sent' ? config.MAIL_SENT_RETENTION_DAYS : config.MAIL_FAILED_RETENTION_DAYS;
  return Timestamp.fromMillis(at.getTime() + days * DAY_MS);
}
