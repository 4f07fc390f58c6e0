import type { Firestore, Transaction } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { mailOwner } from '../mail/mail-owner';
import { recordActivity } from './activity-log';
import { settingsOf, terminate, type AccountChange, type AccountPatch, type TerminationStart } from './machine';
import type { AccountDoc } from './model';
import { accountRef } from './repository';
import type { DocumentWrites } from '../shared/writes';

/*
 * The account repository's writes, apart from its reads (repository.ts) so that code which only
 * reads accounts (the sign-in check, retrieval) does not carry the writers along.
 */

/** Creates `accounts/{uid}` in `tx`; the transaction fails if it exists. */
export function createAccount(tx: Transaction, db: Firestore, account: AccountDoc): void {
  tx.create(accountRef(db, account.uid), account);
}

/** Writes fields of `accounts/{uid}` in `tx`, with no activity of its own (bookkeeping fields). */
export function updateAccount(tx: DocumentWrites, db: Firestore, uid: string, patch: AccountPatch): void {
  tx.update(accountRef(db, uid), patch);
}

/**
 * Applies a change of `account` (as read in `tx`, or as read at the update time a preconditioned
 * batch holds it to) in `tx`: its patch, its activity entries, and
 * its mails to the owner's address when it is usable, so all of it commits together or not at
 * all. A transition of the state machine (accounts/machine.ts) is such a change.
 * @returns the outbox ids, in the change's order, for `deliverNow` after the commit.
 */
export function applyChange(tx: DocumentWrites, deps: Deps, account: AccountDoc, change: AccountChange, now: Date): string[] {
  updateAccount(tx, deps.db, account.uid, change.patch);
  for (const entry of change.activity) recordActivity(tx, deps.db, account.uid, now, entry);
  return change.mails.flatMap(({ kind, mail }) => mailOwner(tx, deps, account, now, kind, mail));
}

/** What `beginTermination` wrote. */
export interface TerminationStarted {
  /** The account as it is once the transaction commits. */
  readonly account: AccountDoc;
  /** True when the account is `terminated` now: finalisation (content destruction) is due. */
  readonly immediate: boolean;
  /** Outbox ids of the notice (none when the account has no usable address). */
  readonly mailIds: string[];
}

/**
 * Starts OrderPally's termination of `account` in `tx` (the machine's `terminate`, applied). The
 * caller has read `account` in `tx` and decided this termination; all of `tx`'s reads are done.
 */
export function beginTermination(tx: Transaction, deps: Deps, account: AccountDoc, start: TerminationStart, now: Date): TerminationStarted {
  const started = terminate(account, start, now, settingsOf(deps.config));
  return { account: started.account, immediate: started.to === 'terminated', mailIds: applyChange(tx, deps, account, started, now) };
}
