import type { Timestamp } from 'firebase-admin/firestore';

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
}
