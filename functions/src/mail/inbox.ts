import type { Firestore } from 'firebase-admin/firestore';
import { Timestamp } from '../shared/firestore-values';
import type { DocumentWrites } from '../shared/writes';

/** The top-level collection of in-app notices: closed to clients, read through `listMyNotices`. */
export const INBOX = 'inbox';

/**
 * `inbox/{id}`: one notice an account was sent, mailed or not (clauses 2.1, 3.1). Top-level and
 * keyed by `uid`, not a subcollection of the account: every unreserved subcollection of
 * `accounts/{uid}` is customer content and destroyed at termination, and these are records.
 */
export interface InboxDoc {
  uid: string;
  /** The mail kind, e.g. `termination.notice`, `serviceNotice.announcement`. */
  kind: string;
  /** The mail's subject, in the owner's language. */
  title: string;
  /** The mail's plain text, in the owner's language. */
  body: string;
  createdAt: Timestamp;
  readAt: Timestamp | null;
  /** The outbox message that carried it, or null when the account had no address we could mail. */
  mailId: string | null;
}

/** What an inbox entry says: a rendered mail's subject and text. */
export interface InboxNotice {
  readonly uid: string;
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  readonly mailId: string | null;
}

/** The stored form of a new inbox entry. */
export function newInboxDoc(notice: InboxNotice, at: Date): InboxDoc {
  return { uid: notice.uid, kind: notice.kind, title: notice.title, body: notice.body, createdAt: Timestamp.fromDate(at), readAt: null, mailId: notice.mailId };
}

/**
 * Writes an inbox entry in `tx`, so it exists if and only if the event that causes it committed.
 * @returns the entry's id.
 */
export function writeInbox(tx: DocumentWrites, db: Firestore, at: Date, notice: InboxNotice): string {
  const ref = db.collection(INBOX).doc();
  tx.create(ref, newInboxDoc(notice, at));
  return ref.id;
}
