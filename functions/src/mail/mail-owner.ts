import type { Deps } from '../deps';
import { isSafeAddress } from '../shared/email';
import type { DocumentWrites } from '../shared/writes';
import { writeInbox } from './inbox';
import { enqueueMail } from './outbox';
import type { RenderedMail } from './templates/render';

/** Whom a notice to an account's owner goes to: an account document satisfies it. */
export interface MailOwner {
  readonly uid: string;
  /** The sign-in address; mailed only when `emailVerified`. */
  readonly email: string | null;
  readonly emailVerified: boolean;
  /** The address the owner confirmed with a code (`confirmContactEmail`), if any. */
  readonly contactEmail?: string | null;
}

/**
 * Where mail to the owner goes: the confirmed contact address, else the sign-in address once it is
 * verified (an unverified one is not provably the owner's), else nowhere. Null also for an address
 * that cannot go into a header.
 */
export function ownerAddress(owner: MailOwner): string | null {
  const address = owner.contactEmail ?? (owner.emailVerified ? owner.email : null);
  return address && isSafeAddress(address) ? address : null;
}

/**
 * Sends a notice to the account's owner, in `tx`: always an entry in their in-app inbox (title =
 * subject, body = text, as rendered in the owner's language), and a message in the outbox when
 * the account has an address we can mail (`ownerAddress`). Clauses 2.1 and 3.1 promise notice to
 * every account, also one that signed up with Facebook and no email.
 * `related` says where the message came from, for the outbox's records (the account by default).
 * @returns the outbox ids (empty when there is no address), for `deliverNow` after the commit.
 */
export function mailOwner(tx: DocumentWrites, deps: Deps, owner: MailOwner, now: Date, kind: string, mail: RenderedMail, related = `accounts/${owner.uid}`): string[] {
  const to = ownerAddress(owner);
  const mailId = to === null ? null : enqueueMail(tx, deps.db, now, { kind, to, related, ...mail });
  writeInbox(tx, deps.db, now, { uid: owner.uid, kind, title: mail.subject, body: mail.text, mailId });
  return mailId === null ? [] : [mailId];
}
