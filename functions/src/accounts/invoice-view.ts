import { iso } from '../shared/time';
import type { InvoiceDoc } from './model';

/** An invoice as staff pick it to record a payment or void it. */
export interface StaffInvoiceView {
  invoiceId: string;
  amount: number;
  currency: string;
  issuedAt: string;
  dueAt: string;
  status: InvoiceDoc['status'];
  paidAt: string | null;
}

/** Renders a stored invoice for staff (billing's InvoiceView adds the account's uid). */
export function toStaffInvoice(invoiceId: string, doc: InvoiceDoc): StaffInvoiceView {
  return { invoiceId, amount: doc.amount, currency: doc.currency, issuedAt: iso(doc.issuedAt), dueAt: iso(doc.dueAt), status: doc.status, paidAt: iso(doc.paidAt) };
}
