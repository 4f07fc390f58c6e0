import type { DocumentReference, Firestore, Transaction } from 'firebase-admin/firestore';
import type { AccountDoc, InvoiceDoc } from '../accounts/model';
import { accountRef as accountRefOf, findAccount, found, recordsOf } from '../accounts/repository';
import type { Deps } from '../deps';
import { serialized } from '../incidents/reference';
import { Timestamp } from '../shared/firestore-values';
import { openInvoicesQuery } from '../accounts/due';
import { AppError } from '../shared/errors';

/**
 * The account's `billing` fields from its open invoices (DESIGN §3): `earliestUnpaidDueAt` is the
 * earliest `dueAt` of an open invoice, which lets the Firestore rules compare it with
 * `request.time` and so see an invoice fall due with no write (clause 3.2(b)(ii));
 * `amountDue` is what is past due at `now`, the time of the write.
 */
export function billingSummary(open: Iterable<InvoiceDoc>, now: Date): AccountDoc['billing'] {
  let amountDue = 0;
  let earliest: Timestamp | null = null;
  for (const invoice of open) {
    if (invoice.status !== 'open') continue;
    if (invoice.dueAt.toMillis() <= now.getTime()) amountDue += invoice.amount;
    if (earliest === null || invoice.dueAt.toMillis() < earliest.toMillis()) earliest = invoice.dueAt;
  }
  return { amountDue, currency: 'TWD', earliestUnpaidDueAt: earliest };
}

/** What every billing change reads first, inside its transaction. */
export interface BillingState {
  readonly accountRef: DocumentReference<AccountDoc>;
  readonly invoiceRef: DocumentReference;
  readonly account: AccountDoc;
  /** The invoice the change is about, as stored (undefined: not recorded yet). */
  readonly invoice: InvoiceDoc | undefined;
  /** Every open invoice of the account, by id. */
  readonly open: ReadonlyMap<string, InvoiceDoc>;
}

/**
 * Reads the account, the invoice and all open invoices in `tx`. Reading the account document (and
 * writing it in `writeBilling`) serialises billing changes per account, so two invoices recorded
 * at once cannot each compute `billing` without the other.
 * @throws AppError `ACCOUNT_NOT_FOUND` when the account does not exist. Terminated accounts are found:
 *   billing records outlive termination (accounting duty, DESIGN §4).
 */
export async function readBillingState(tx: Transaction, db: Firestore, uid: string, invoiceId: string): Promise<BillingState> {
  const accountRef = accountRefOf(db, uid);
  const invoiceRef = recordsOf(db, uid, 'invoices').doc(invoiceId);
  const [stored, invoiceSnap] = await Promise.all([findAccount(db, uid, tx), tx.get(invoiceRef)]);
  const account = found(stored, uid);
  const openSnap = await tx.get(openInvoicesQuery(db, uid));
  const open = new Map(openSnap.docs.map((d) => [d.id, d.data() as InvoiceDoc]));
  return { accountRef, invoiceRef, account, invoice: invoiceSnap.data() as InvoiceDoc | undefined, open };
}

/**
 * Recomputes the account's `billing` with `invoice` as it is after this change and writes it in
 * `tx`, so the invoice and the account never disagree. The caller writes the invoice itself.
 */
export function writeBilling(tx: Transaction, state: BillingState, invoiceId: string, invoice: InvoiceDoc, now: Date): AccountDoc['billing'] {
  const open = new Map(state.open);
  if (invoice.status === 'open') open.set(invoiceId, invoice);
  else open.delete(invoiceId);
  const billing = billingSummary(open.values(), now);
  tx.update(state.accountRef, { billing, updatedAt: Timestamp.fromDate(now) });
  return billing;
}

/** Attempts per billing transaction: every change of one account reads and writes its document. */
const BILLING_TRANSACTION_ATTEMPTS = 10;

/**
 * Runs a billing change of account `uid`. All of them read and write the account document, so
 * concurrent ones (a billing import posting several payments) conflict and Firestore aborts and
 * retries the losers: within this instance they are queued per account, and the extra attempts
 * absorb contention from other instances. Should that still give up, the caller gets ABORTED
 * (retry later) rather than an internal error: nothing was written.
 */
export async function runBillingTransaction<T>(deps: Deps, uid: string, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  try {
    return await serialized(`billing:${uid}`, () => deps.db.runTransaction(fn, { maxAttempts: BILLING_TRANSACTION_ATTEMPTS }));
  } catch (error) {
    // gRPC status 10 = ABORTED: contention outlasted every attempt.
    if ((error as { code?: unknown }).code !== 10) throw error;
    deps.log.log('WARNING', 'billing.contention', { uid, error });
    throw new AppError('BILLING_CONTENTION', 'The account\'s billing was being changed by another request at the same time; please try again.', { uid });
  }
}
