import type { Transaction } from 'firebase-admin/firestore';
import type { AccountDoc } from '../accounts/model';
import type { Deps } from '../deps';
import { enqueueMail, isSafeAddress } from '../mail/outbox';
import { contractReminderMail, terminationReminderMail } from '../mail/templates/lifecycle';
import type { RenderedMail } from '../mail/templates/render';
import { backupsGoneBy } from '../termination/begin';

const DAY_MS = 86_400_000;

/** Days before the termination date that the customer is reminded (DESIGN §4). */
export const TERMINATION_REMINDER_DAYS = [7, 1] as const;
/** Days before the contract's end that the customer is reminded. */
export const CONTRACT_REMINDER_DAYS = [30, 7] as const;

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
  const ref = deps.db.collection('accounts').doc(account.uid);
  tx.update(ref, { reminders: [...keep(account.reminders ?? [], now), ...due.keys] });
  if (!account.email || !isSafeAddress(account.email)) return [];
  return [enqueueMail(tx, deps.db, now, { kind, to: account.email, related: `accounts/${account.uid}`, ...mail() })];
}

/**
 * Sends the due reminder of the account's pending termination, once (the keys are written in the
 * transaction that enqueues the mail). @returns the outbox ids (none when nothing was due).
 */
export async function remindTermination(deps: Deps, uid: string): Promise<string[]> {
  const ref = deps.db.collection('accounts').doc(uid);
  return deps.db.runTransaction(async (tx) => {
    const account = (await tx.get(ref)).data() as AccountDoc | undefined;
    const now = deps.clock.now();
    const t = account?.termination;
    if (!account || !t || (account.status !== 'terminating' && account.status !== 'suspended')) return [];
    const at = t.effectiveAt.toDate();
    const due = dueReminder('termination', at, now, TERMINATION_REMINDER_DAYS, account.reminders ?? []);
    if (!due) return [];
    return remind(tx, deps, account, now, due, 'termination.reminder', () =>
      terminationReminderMail({
        locale: account.locale,
        kind: t.kind,
        initiatedBy: t.initiatedBy,
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
  const ref = deps.db.collection('accounts').doc(uid);
  return deps.db.runTransaction(async (tx) => {
    const account = (await tx.get(ref)).data() as AccountDoc | undefined;
    const now = deps.clock.now();
    const endsAt = account?.contract?.endsAt?.toDate();
    if (!account || !endsAt || account.status === 'terminated') return [];
    if (account.termination && account.termination.effectiveAt.toMillis() <= endsAt.getTime()) return [];
    const due = dueReminder('contract', endsAt, now, CONTRACT_REMINDER_DAYS, account.reminders ?? []);
    if (!due) return [];
    return remind(tx, deps, account, now, due, 'contract.reminder', () =>
      contractReminderMail({ locale: account.locale, endsAt, now, supportEmail: deps.config.SUPPORT_EMAIL }),
    );
  });
}
