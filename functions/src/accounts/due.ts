import type { Firestore, Query } from 'firebase-admin/firestore';
import { effectiveStatus, type RightsFacts } from './effective-status';
import type { InvoiceDoc } from './model';
import { recordsOf } from './repository';

/** An unpaid invoice whose due date has passed: an "amount due" (DESIGN §3). */
export interface DueInvoice {
  readonly invoiceId: string;
  readonly amount: number;
  readonly currency: string;
  readonly issuedAt: string;
  readonly dueAt: string;
}

/** The account's open invoices, the only ones that can be amounts due. */
export function openInvoicesQuery(db: Firestore, uid: string): Query {
  return recordsOf(db, uid, 'invoices').where('status', '==', 'open');
}

/** Of the given open invoices, those with `dueAt` ≤ now, oldest due first. */
export function dueInvoicesOf(open: readonly { id: string; data(): unknown }[], now: Date): DueInvoice[] {
  return open
    .map((d) => ({ id: d.id, invoice: d.data() as InvoiceDoc }))
    .filter(({ invoice }) => invoice.status === 'open' && invoice.dueAt.toMillis() <= now.getTime())
    .sort((a, b) => a.invoice.dueAt.toMillis() - b.invoice.dueAt.toMillis())
    .map(({ id, invoice }) => ({
      invoiceId: id,
      amount: invoice.amount,
      currency: invoice.currency,
      issuedAt: invoice.issuedAt.toDate().toISOString(),
      dueAt: invoice.dueAt.toDate().toISOString(),
    }));
}

/** Open invoices with `dueAt` ≤ now, oldest due first. */
export async function loadDueInvoices(db: Firestore, uid: string, now: Date): Promise<DueInvoice[]> {
  return dueInvoicesOf((await openInvoicesQuery(db, uid).get()).docs, now);
}

/** What the amounts due add up to (all invoices are TWD). */
export function totalDue(invoices: readonly DueInvoice[]): number {
  return invoices.reduce((sum, invoice) => sum + invoice.amount, 0);
}

/** Whether content may be retrieved now, and if not, why (clause 3.2(b)). */
export interface Retrieval {
  readonly allowed: boolean;
  readonly reason: null | 'AMOUNTS_DUE' | 'SUSPENDED' | 'TERMINATED';
}

/**
 * The retrieval rule, shared by `getAccount`, `exportContent` and mirrored by `firestore.rules`,
 * on the account's status at `now` (`effectiveStatus`): active accounts may retrieve; terminating
 * ones only with nothing past due (clause 3.2(b)(ii)); suspended ones not at all; and none from the
 * termination date on (clause 3.2(a)(i)), whether or not processLifecycle has marked it yet.
 */
export function retrievalFor(account: RightsFacts, now: Date, dueInvoiceCount: number): Retrieval {
  switch (effectiveStatus(account, now)) {
    case 'active':
      return { allowed: true, reason: null };
    case 'terminating':
      return dueInvoiceCount === 0 ? { allowed: true, reason: null } : { allowed: false, reason: 'AMOUNTS_DUE' };
    case 'suspended':
      return { allowed: false, reason: 'SUSPENDED' };
    case 'terminated':
      return { allowed: false, reason: 'TERMINATED' };
  }
}
