import type { Transaction } from 'firebase-admin/firestore';
import type { AccountDoc, InvoiceDoc } from '../accounts/model';
import { actorOf, recordActivity } from '../accounts/activity-log';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import { toInvoiceView, type InvoiceView } from './schema';
import { readBillingState, runBillingTransaction, writeBilling, type BillingState } from './summary';
import type { Caller } from '../shared/caller';
import { AppError, invalidArgument } from '../shared/errors';

/** How an open invoice is settled: paid (at a time), or cancelled by staff. */
export type Settlement = { status: 'paid'; paidAt: Date | undefined } | { status: 'void' };

const ACTIONS = { paid: 'billing.paymentRecorded', void: 'billing.invoiceVoided' } as const;

/** What a settlement tells the owner, in its transaction; @returns the outbox ids. */
export type SettlementNotice = (tx: Transaction, state: BillingState, invoice: InvoiceDoc, billing: AccountDoc['billing'], now: Date) => string[];

/**
 * The one transition an invoice makes: open → paid or open → void, with the account's `billing`
 * recomputed, the change logged and `notify`'s mail enqueued in the same transaction. Settling it
 * the same way again is a no-op answering the invoice (a retried call writes and mails nothing);
 * the other way is refused.
 * @returns the invoice and the outbox ids to deliver after the commit.
 */
export async function settleInvoice(
  deps: Deps,
  caller: Caller,
  uid: string,
  invoiceId: string,
  settlement: Settlement,
  notify?: SettlementNotice,
): Promise<{ view: InvoiceView; mailIds: string[] }> {
  if (settlement.status === 'paid' && settlement.paidAt && settlement.paidAt.getTime() > deps.clock.now().getTime()) {
    throw invalidArgument('Invalid request: data.paidAt: must not be in the future.');
  }
  const { view, changed, mailIds } = await runBillingTransaction(deps, uid, async (tx) => {
    const state = await readBillingState(tx, deps.db, uid, invoiceId);
    const stored = state.invoice;
    if (!stored) throw new AppError('INVOICE_NOT_FOUND', `Account ${uid} has no invoice ${invoiceId}.`, { uid, invoiceId });
    if (stored.status === settlement.status) return { view: toInvoiceView(uid, invoiceId, stored), changed: false, mailIds: [] };
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
    return { view: settled, changed: true, mailIds: notify ? notify(tx, state, invoice, billing, now) : [] };
  });
  deps.log.log('INFO', changed ? `billing.invoice_${settlement.status}` : 'billing.settle_replayed', { uid, invoiceId, by: caller.uid });
  return { view, mailIds };
}
