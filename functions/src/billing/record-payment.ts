import type { InvoiceDoc } from '../accounts/model';
import { actorOf, recordActivity } from '../accounts/activity-log';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import {
  recordPaymentInput,
  toInvoiceView,
  voidInvoiceInput,
  type InvoiceView,
  type RecordPaymentInput,
  type VoidInvoiceInput,
} from './schema';
import { readBillingState, runBillingTransaction, writeBilling } from './summary';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';
import { AppError, invalidArgument } from '../shared/errors';

/** How an open invoice is settled: paid (at a time), or cancelled by staff. */
type Settlement = { status: 'paid'; paidAt: Date | undefined } | { status: 'void' };

const ACTIONS = { paid: 'billing.paymentRecorded', void: 'billing.invoiceVoided' } as const;

/**
 * The one transition an invoice makes: open → paid or open → void, with the account's `billing`
 * recomputed and the change logged in the same transaction. Settling it the same way again is a
 * no-op answering the invoice (a retried call writes nothing); the other way is refused.
 */
async function settleInvoice(deps: Deps, caller: Caller, uid: string, invoiceId: string, settlement: Settlement): Promise<InvoiceView> {
  if (settlement.status === 'paid' && settlement.paidAt && settlement.paidAt.getTime() > deps.clock.now().getTime()) {
    throw invalidArgument('Invalid request: data.paidAt: must not be in the future.');
  }
  const { view, changed } = await runBillingTransaction(deps, uid, async (tx) => {
    const state = await readBillingState(tx, deps.db, uid, invoiceId);
    const stored = state.invoice;
    if (!stored) throw new AppError('INVOICE_NOT_FOUND', `Account ${uid} has no invoice ${invoiceId}.`, { uid, invoiceId });
    if (stored.status === settlement.status) return { view: toInvoiceView(uid, invoiceId, stored), changed: false };
    if (stored.status !== 'open') {
      throw new AppError(
        stored.status === 'void' ? 'INVOICE_VOID' : 'INVOICE_PAID',
        `Invoice ${invoiceId} is already ${stored.status}; only an open invoice can be ${settlement.status === 'paid' ? 'paid' : 'voided'}.`,
        { uid, invoiceId, status: stored.status },
      );
    }
    const now = deps.clock.now();
    const paidAt = settlement.status === 'paid' ? Timestamp.fromDate(settlement.paidAt ?? now) : null;
    const invoice: InvoiceDoc = { ...stored, status: settlement.status, paidAt };
    tx.update(state.invoiceRef, { status: invoice.status, paidAt });
    const billing = writeBilling(tx, state, invoiceId, invoice, now);
    const settled = toInvoiceView(uid, invoiceId, invoice);
    recordActivity(tx, deps.db, uid, now, {
      actor: actorOf(caller),
      action: ACTIONS[settlement.status],
      details: { invoiceId, amount: invoice.amount, currency: invoice.currency, paidAt: settled.paidAt, amountDue: billing.amountDue },
    });
    return { view: settled, changed: true };
  });
  deps.log.log('INFO', changed ? `billing.invoice_${settlement.status}` : 'billing.settle_replayed', { uid, invoiceId, by: caller.uid });
  return view;
}

/** Staff record that an invoice was paid (clause 3.2(b)(ii): paying what is due reopens retrieval). */
export function adminRecordPayment(deps: Deps, caller: Caller, input: RecordPaymentInput): Promise<InvoiceView> {
  return settleInvoice(deps, caller, input.uid, input.invoiceId, { status: 'paid', paidAt: input.paidAt });
}

/** Staff cancel an invoice issued in error: it is no longer owed. */
export function adminVoidInvoice(deps: Deps, caller: Caller, input: VoidInvoiceInput): Promise<InvoiceView> {
  return settleInvoice(deps, caller, input.uid, input.invoiceId, { status: 'void' });
}

/** `adminRecordPayment({uid, invoiceId, paidAt?})` → the invoice. Admins only. */
export const adminRecordPaymentSpec: SignedInCallableSpec<RecordPaymentInput, InvoiceView> = {
  auth: 'required',
  roles: ['admin'],
  input: recordPaymentInput,
  handler: (deps, input, { caller }) => adminRecordPayment(deps, caller, input),
};

/** `adminVoidInvoice({uid, invoiceId})` → the invoice. Admins only. */
export const adminVoidInvoiceSpec: SignedInCallableSpec<VoidInvoiceInput, InvoiceView> = {
  auth: 'required',
  roles: ['admin'],
  input: voidInvoiceInput,
  handler: (deps, input, { caller }) => adminVoidInvoice(deps, caller, input),
};
