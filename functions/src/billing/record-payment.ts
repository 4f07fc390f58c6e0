import type { z } from 'zod';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { mailOwner } from '../mail/mail-owner';
import { paymentReceiptMail } from '../mail/templates/billing';
import { recordPaymentInput, type InvoiceView, type RecordPaymentInput } from './schema';
import { settleInvoice } from './settle';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';

/**
 * Staff record that an invoice was paid (clause 3.2(b)(ii): paying what is due reopens retrieval).
 * The owner gets a receipt, once, saying what is still past due — terminated accounts too (clause 3.2).
 */
export async function adminRecordPayment(deps: Deps, caller: Caller, input: RecordPaymentInput): Promise<InvoiceView> {
  const { view, mailIds } = await settleInvoice(deps, caller, input.uid, input.invoiceId, { status: 'paid', paidAt: input.paidAt }, (tx, state, invoice, billing, now) =>
    mailOwner(tx, deps, state.account, now, 'billing.receipt', paymentReceiptMail({
      locale: state.account.locale,
      invoiceId: input.invoiceId,
      amount: invoice.amount,
      dueAt: invoice.dueAt.toDate(),
      paidAt: invoice.paidAt?.toDate() ?? now,
      amountDue: billing.amountDue,
    })),
  );
  await deliverNow(deps, mailIds);
  return view;
}

/** `adminRecordPayment({uid, invoiceId, paidAt?})` → the invoice. Admins only. */
export const adminRecordPaymentSpec: SignedInCallableSpec<RecordPaymentInput, InvoiceView, z.input<typeof recordPaymentInput>> = {
  auth: 'required',
  roles: ['admin'],
  input: recordPaymentInput,
  handler: (deps, input, { caller }) => adminRecordPayment(deps, caller, input),
};
