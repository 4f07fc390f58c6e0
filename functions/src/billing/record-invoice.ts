import type { z } from 'zod';
import type { InvoiceDoc } from '../accounts/model';
import { actorOf, recordActivity } from '../accounts/activity-log';
import { effectiveStatus } from '../accounts/effective-status';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { mailOwner } from '../mail/mail-owner';
import { invoiceRecordedMail } from '../mail/templates/billing';
import { Timestamp } from '../shared/firestore-values';
import { recordInvoiceInput, toInvoiceView, type InvoiceView, type RecordInvoiceInput } from './schema';
import { readBillingState, runBillingTransaction, writeBilling } from './summary';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';
import { AppError } from '../shared/errors';

/** Whether a stored invoice states exactly the facts of this request. */
function sameFacts(stored: InvoiceDoc, input: RecordInvoiceInput): boolean {
  return (
    stored.amount === input.amount &&
    stored.currency === input.currency &&
    stored.issuedAt.toMillis() === input.issuedAt.getTime() &&
    stored.dueAt.toMillis() === input.dueAt.getTime()
  );
}

/**
 * Staff record an invoice issued to an account (the amounts clause 3.2(b)(ii) speaks of). In one
 * transaction: `accounts/{uid}/invoices/{invoiceId}` is created open, the account's `billing` is
 * recomputed from its open invoices, and `billing.invoiceRecorded` is logged with the staff actor.
 * Idempotent on `invoiceId`: the same facts again answer the stored invoice and write nothing
 * (a billing system may retry); other facts under the same id are refused, since an invoice is
 * never edited. Terminated accounts still take invoices, and their mail: billing outlives
 * termination (clause 3.2). A new invoice mails the owner (amount, due date, what non-payment
 * during a notice period means); a replay mails nothing.
 */
export async function adminRecordInvoice(deps: Deps, caller: Caller, input: RecordInvoiceInput): Promise<InvoiceView> {
  const { view, recorded, mailIds } = await runBillingTransaction(deps, input.uid, async (tx) => {
    const state = await readBillingState(tx, deps.db, input.uid, input.invoiceId);
    if (state.invoice) {
      const stored = toInvoiceView(input.uid, input.invoiceId, state.invoice);
      if (sameFacts(state.invoice, input)) return { view: stored, recorded: false, mailIds: [] };
      throw new AppError(
        'INVOICE_CONFLICT',
        `Invoice ${input.invoiceId} is already recorded with other facts; invoices are not changed, record a correction under a new id.`,
        { invoiceId: input.invoiceId, stored },
      );
    }
    const now = deps.clock.now();
    const invoice: InvoiceDoc = {
      amount: input.amount,
      currency: input.currency,
      issuedAt: Timestamp.fromDate(input.issuedAt),
      dueAt: Timestamp.fromDate(input.dueAt),
      status: 'open',
      paidAt: null,
    };
    tx.create(state.invoiceRef, invoice);
    const billing = writeBilling(tx, state, input.invoiceId, invoice, now);
    const created = toInvoiceView(input.uid, input.invoiceId, invoice);
    recordActivity(tx, deps.db, input.uid, now, {
      actor: actorOf(caller),
      action: 'billing.invoiceRecorded',
      details: { invoiceId: input.invoiceId, amount: invoice.amount, currency: invoice.currency, issuedAt: created.issuedAt, dueAt: created.dueAt, amountDue: billing.amountDue },
    });
    // Clause 3.2(b): the owner learns of the invoice, and what not paying it locks, when it is recorded.
    const notice = invoiceRecordedMail({
      locale: state.account.locale,
      invoiceId: input.invoiceId,
      amount: invoice.amount,
      issuedAt: input.issuedAt,
      dueAt: input.dueAt,
      standing: effectiveStatus(state.account, now),
      effectiveAt: state.account.termination?.effectiveAt.toDate() ?? null,
      supportEmail: deps.config.SUPPORT_EMAIL,
    });
    return { view: created, recorded: true, mailIds: mailOwner(tx, deps, state.account, now, 'billing.invoice', notice) };
  });
  await deliverNow(deps, mailIds);
  deps.log.log('INFO', recorded ? 'billing.invoice_recorded' : 'billing.invoice_replayed', { uid: input.uid, invoiceId: input.invoiceId, by: caller.uid });
  return view;
}

/** `adminRecordInvoice({uid, invoiceId, amount, currency, issuedAt, dueAt})` → the invoice. Admins only. */
export const adminRecordInvoiceSpec: SignedInCallableSpec<RecordInvoiceInput, InvoiceView, z.input<typeof recordInvoiceInput>> = {
  auth: 'required',
  roles: ['admin'],
  input: recordInvoiceInput,
  handler: (deps, input, { caller }) => adminRecordInvoice(deps, caller, input),
};
