import { z } from 'zod';
import type { InvoiceDoc } from '../accounts/model';
import { toStaffInvoice, type StaffInvoiceView } from '../accounts/invoice-view';

/**
 * A Firebase Auth uid as staff pass it: 1–128 characters (Auth's limit), usable as a Firestore
 * document id (no `/`, not `.` or `..`, not `__…__`), no control characters.
 */
export const uidInput = z
  .string()
  .regex(/^(?!\.\.?$)(?!__.*__$)[^/\p{Cc}]{1,128}$/u, 'must be a user id (1–128 characters, no "/")');

/** Our invoice numbers: also the document id, so retries of the same invoice land on the same document. */
export const invoiceIdInput = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"')
  .refine((id) => !/^__.*__$/.test(id), 'must not have the form __…__ (reserved by Firestore)');

// Billing dates must be storable as Firestore timestamps and plausible for an invoice.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(3000, 0, 1);

/** An ISO-8601 date-time with an offset (`2026-03-05T00:00:00+08:00`), as a Date. */
export const instantInput = z
  .iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with an offset, e.g. 2026-03-05T00:00:00+08:00' })
  .transform((value) => new Date(value))
  .refine((at) => at.getTime() >= EARLIEST && at.getTime() < LATEST, 'must be between the years 2000 and 2999');

/** `adminRecordInvoice` input (DESIGN §5). Amounts are whole New Taiwan dollars. */
export const recordInvoiceInput = z
  .object({
    uid: uidInput,
    invoiceId: invoiceIdInput,
    amount: z
      .number({ error: 'must be a number' })
      .int('must be a whole number of TWD')
      .positive('must be more than 0')
      .max(Number.MAX_SAFE_INTEGER, 'is too large'),
    currency: z.literal('TWD', { error: 'must be "TWD"' }),
    issuedAt: instantInput,
    dueAt: instantInput,
  })
  .strict()
  // Zod runs an object's refinements even when a field failed (its value is then the raw input).
  .refine((v) => !(v.dueAt instanceof Date && v.issuedAt instanceof Date) || v.dueAt.getTime() >= v.issuedAt.getTime(), {
    message: 'must not be before data.issuedAt',
    path: ['dueAt'],
  });
export type RecordInvoiceInput = z.output<typeof recordInvoiceInput>;

/** `adminRecordPayment` input; `paidAt` defaults to now. */
export const recordPaymentInput = z
  .object({
    uid: uidInput,
    invoiceId: invoiceIdInput,
    paidAt: instantInput.nullish().transform((v) => v ?? undefined),
  })
  .strict();
export type RecordPaymentInput = z.output<typeof recordPaymentInput>;

/** `adminVoidInvoice` input. */
export const voidInvoiceInput = z.object({ uid: uidInput, invoiceId: invoiceIdInput }).strict();
export type VoidInvoiceInput = z.output<typeof voidInvoiceInput>;

/** An invoice as staff see it: the stored facts, ISO times, and whose it is. */
export interface InvoiceView extends StaffInvoiceView {
  uid: string;
}

/** Renders a stored invoice. */
export function toInvoiceView(uid: string, invoiceId: string, doc: InvoiceDoc): InvoiceView {
  return { uid, ...toStaffInvoice(invoiceId, doc) };
}
