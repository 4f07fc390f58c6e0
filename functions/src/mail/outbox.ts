import type { DocumentReference, Firestore } from 'firebase-admin/firestore';
import { isSafeAddress } from '../shared/email';
import { Timestamp } from '../shared/firestore-values';
import type { MailDoc } from './model';

/** A message to put in the outbox. Bodies are already rendered and escaped by a template. */
export interface OutgoingMail {
  readonly kind: string;
  readonly to: string | readonly string[];
  readonly replyTo?: string | null;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly related?: string | null;
}

/**
 * Where a new message is written: a transaction or a write batch, both committed atomically with
 * the event that causes the message.
 */
export interface OutboxWrites {
  create(ref: DocumentReference, data: MailDoc): unknown;
}

/** A subject line on one line: CR, LF and other controls become spaces, runs collapse. */
export function safeSubject(subject: string): string {
  const line = subject.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').replace(/\s{2,}/g, ' ').trim();
  // Cut between characters, never inside a surrogate pair (Firestore refuses broken UTF-16).
  return [...line].slice(0, 250).join('');
}

/**
 * The stored form of a new outbox message with id `id`.
 * @throws Error when an address could inject a header: callers validate user-supplied addresses first.
 */
export function newMailDoc(id: string, at: Date, mail: OutgoingMail): MailDoc {
  const to = typeof mail.to === 'string' ? [mail.to] : [...mail.to];
  const bad = [...to, ...(mail.replyTo ? [mail.replyTo] : [])].filter((a) => !isSafeAddress(a));
  if (to.length === 0 || bad.length > 0) throw new Error(`refusing to enqueue mail with unsafe addresses: ${JSON.stringify(bad)}`);
  const now = Timestamp.fromDate(at);
  return {
    kind: mail.kind,
    to,
    replyTo: mail.replyTo ?? null,
    subject: safeSubject(mail.subject),
    text: mail.text,
    html: mail.html,
    messageId: `<${id}@mail.orderpally>`,
    status: 'pending',
    attempts: 0,
    createdAt: now,
    nextAttemptAt: now,
    leaseUntil: null,
    sentAt: null,
    lastError: null,
    smtp: null,
    related: mail.related ?? null,
  };
}

/**
 * Writes `mail/{id}` in the caller's transaction, so the message exists if and only if the event
 * that causes it committed (DESIGN §6). Delivery happens later: right after the commit
 * (`deliverSoon`) and on every `deliverMail` sweep.
 * @throws Error when an address could inject a header: callers validate user-supplied addresses first.
 * @returns the new message's id.
 */
export function enqueueMail(tx: OutboxWrites, db: Firestore, at: Date, mail: OutgoingMail): string {
  const ref = db.collection('mail').doc();
  tx.create(ref, newMailDoc(ref.id, at, mail));
  return ref.id;
}
