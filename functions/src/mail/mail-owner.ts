import type { Transaction } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { isSafeAddress } from '../shared/email';
import { enqueueMail } from './outbox';
import type { RenderedMail } from './templates/render';

/** Whom a mail to an account's owner goes to: an account document satisfies it. */
export interface MailOwner {
  readonly uid: string;
  /** The account's address; null (or one that cannot go into a header) means no mail. */
  readonly email: string | null;
}

/**
 * Puts a message to the account's owner in the outbox, in `tx`, when the account has an address
 * that can go into a header. The mail is `related` to the account, for the outbox's records.
 * @returns the outbox ids (empty when there is no usable address).
 */
export function mailOwner(tx: Transaction, deps: Deps, owner: MailOwner, now: Date, kind: string, mail: RenderedMail): string[] {
  if (!owner.email || !isSafeAddress(owner.email)) return [];
  return [enqueueMail(tx, deps.db, now, { kind, to: owner.email, related: `accounts/${owner.uid}`, ...mail })];
}
