import type { Query, Transaction } from 'firebase-admin/firestore';
import { openInvoicesQuery } from '../accounts/due';
import { effectiveStatus } from '../accounts/effective-status';
import type { AccountDoc, InvoiceDoc } from '../accounts/model';
import { accountsCollection, findAccount } from '../accounts/repository';
import { updateAccount } from '../accounts/changes';
import type { Deps } from '../deps';
import { mailOwner } from '../mail/mail-owner';
import { contractReminderMail, terminationReminderMail } from '../mail/templates/lifecycle';
import { customerMayCancel, TERMINATION_KIND_LABELS } from '../accounts/termination-labels';
import type { RenderedMail } from '../mail/templates/render';
import { backupsGoneBy } from '../backups/retention';
import { DAY_MS } from '../shared/input';
import { Timestamp } from '../shared/firestore-values';
import { invoiceReminderMail } from '../mail/templates/billing';

// The days before a date that reminders go out are settings (DESIGN §4): TERMINATION_REMINDER_DAYS
// (default 7,1) and CONTRACT_REMINDER_DAYS (default 30,7), read from deps.config.

/** The reminder to send now, if any. */
export interface DueReminder {
  /** The window the mail is for (the nearest one that has opened). */
  readonly daysBefore: number;
  /** Every key to record as done: windows missed while the system was down go with it, never as a second mail. */
  readonly keys: string[];
}

/**
 * Which reminder of the date `at` is due at `now`: each window (`days` days before `at`) opens
 * once, keyed `<topic>:<days>:<at ms>` in the account's `reminders`, so a changed date gets its
 * own reminders. A window that opened while the system was down is still served late, but only
 * before `at`: never on or after the date. When several are open, one mail goes out (the nearest).
 */
export function dueReminder(topic: string, at: Date, now: Date, days: readonly number[], sent: readonly string[]): DueReminder | null {
  if (now.getTime() >= at.getTime()) return null;
  const open = days.filter((d) => now.getTime() >= at.getTime() - d * DAY_MS);
  const keys = open.map((d) => `${topic}:${d}:${at.getTime()}`).filter((k) => !sent.includes(k));
  if (keys.length === 0) return null;
  return { daysBefore: Math.min(...open), keys };
}

// Keys of dates that have passed can never be due again: dropped whenever the list is written.
function keep(sent: readonly string[], now: Date): string[] {
  return sent.filter((k) => Number(k.split(':').pop()) > now.getTime());
}

/** Records the keys and enqueues `mail` (when the account has a usable address) in `tx`. */
function remind(tx: Transaction, deps: Deps, account: AccountDoc, now: Date, due: DueReminder, kind: string, mail: () => RenderedMail): string[] {
  updateAccount(tx, deps.db, account.uid, { reminders: [...keep(account.reminders ?? [], now), ...due.keys] });
  return mailOwner(tx, deps, account, now, kind, mail());
}

/**
 * Sends the due reminder of the account's pending termination, once (the keys are written in the
 * transaction that enqueues the mail). @returns the outbox ids (none when nothing was due).
 */
export async function remindTermination(deps: Deps, uid: string): Promise<string[]> {
  return deps.db.runTransaction(async (tx) => {
    const account = await findAccount(deps.db, uid, tx);
    const now = deps.clock.now();
    const t = account?.termination;
    if (!account || !t || (account.status !== 'terminating' && account.status !== 'suspended')) return [];
    const at = t.effectiveAt.toDate();
    const due = dueReminder('termination', at, now, deps.config.TERMINATION_REMINDER_DAYS, account.reminders ?? []);
    if (!due) return [];
    return remind(tx, deps, account, now, due, 'termination.reminder', () =>
      terminationReminderMail({
        locale: account.locale,
        kindLabel: TERMINATION_KIND_LABELS[account.locale][t.kind],
        cancellable: customerMayCancel(t),
        reason: t.reason,
        effectiveAt: at,
        now,
        suspended: account.status === 'suspended',
        backupsGoneBy: backupsGoneBy(at, deps.config.BACKUP_RETENTION_DAYS),
        supportEmail: deps.config.SUPPORT_EMAIL,
      }),
    );
  });
}

/**
 * Sends the due reminder of the contract's end, once. None while a termination is pending that
 * takes effect first: the account ends then, and its own reminders say so.
 */
export async function remindContractEnd(deps: Deps, uid: string): Promise<string[]> {
  return deps.db.runTransaction(async (tx) => {
    const account = await findAccount(deps.db, uid, tx);
    const now = deps.clock.now();
    const endsAt = account?.contract?.endsAt?.toDate();
    if (!account || !endsAt || account.status === 'terminated') return [];
    if (account.termination && account.termination.effectiveAt.toMillis() <= endsAt.getTime()) return [];
    const due = dueReminder('contract', endsAt, now, deps.config.CONTRACT_REMINDER_DAYS, account.reminders ?? []);
    if (!due) return [];
    return remind(tx, deps, account, now, due, 'contract.reminder', () =>
      contractReminderMail({ locale: account.locale, endsAt, now, supportEmail: deps.config.SUPPORT_EMAIL }),
    );
  });
}

/** How many days before its due date an open invoice of a terminating account is reminded of (clause 3.2(b)). */
export const INVOICE_REMINDER_DAYS = 3;

/**
 * Terminating accounts with an open invoice due by `now` + 3 days (the earliest unpaid due date
 * says so with no read of the invoices). Index: accounts (status, billing.earliestUnpaidDueAt).
 */
export function invoiceReminderCandidates(deps: Deps, now: Date): Query {
  return accountsCollection(deps.db)
    .where('status', '==', 'terminating')
    .where('billing.earliestUnpaidDueAt', '<=', Timestamp.fromMillis(now.getTime() + INVOICE_REMINDER_DAYS * DAY_MS))
    .orderBy('billing.earliestUnpaidDueAt');
}

/**
 * While an account is terminating, mails one reminder per open invoice falling due within 3 days:
 * unpaid after its due date, it locks retrieval for the rest of the notice period (clause 3.2(b)).
 * Each goes out once, keyed `invoice:<invoiceId>:<dueAt ms>` in the account's `reminders` in the
 * transaction that enqueues it; an invoice already past due gets none (its own mail said so).
 * @returns the outbox ids.
 */
export async function remindInvoices(deps: Deps, uid: string): Promise<string[]> {
  return deps.db.runTransaction(async (tx) => {
    const account = await findAccount(deps.db, uid, tx);
    const now = deps.clock.now();
    const effectiveAt = account?.termination?.effectiveAt.toDate();
    if (!account || !effectiveAt || effectiveStatus(account, now) !== 'terminating') return [];
    const open = await tx.get(openInvoicesQuery(deps.db, uid));
    const sent = account.reminders ?? [];
    const due = open.docs
      .map((d) => ({ invoiceId: d.id, invoice: d.data() as InvoiceDoc }))
      .map(({ invoiceId, invoice }) => ({ invoiceId, invoice, key: `invoice:${invoiceId}:${invoice.dueAt.toMillis()}` }))
      .filter(({ invoice, key }) => {
        const until = invoice.dueAt.toMillis() - now.getTime();
        return until > 0 && until <= INVOICE_REMINDER_DAYS * DAY_MS && !sent.includes(key);
      });
    if (due.length === 0) return [];
    updateAccount(tx, deps.db, uid, { reminders: [...keep(sent, now), ...due.map((d) => d.key)] });
    return due.flatMap(({ invoiceId, invoice }) =>
      mailOwner(tx, deps, account, now, 'billing.reminder', invoiceReminderMail({
        locale: account.locale,
        invoiceId,
        amount: invoice.amount,
        dueAt: invoice.dueAt.toDate(),
        effectiveAt,
        supportEmail: deps.config.SUPPORT_EMAIL,
      })),
    );
  });
}
