import { backupsGoneBy } from '../backups/retention';
import type { Config } from '../config';
import { accountReinstatedMail, accountSuspendedMail } from '../mail/templates/account-status';
import { contentDestroyedMail } from '../mail/templates/lifecycle';
import type { RenderedMail } from '../mail/templates/render';
import { terminationCancelledMail, terminationWithdrawnMail } from '../mail/templates/termination-change';
import { terminationNoticeMail } from '../mail/templates/termination-notice';
import { AppError } from '../shared/errors';
import { Timestamp } from '../shared/firestore-values';
import { iso } from '../shared/time';
import { SYSTEM_ACTOR, type ActivityEntry, type Actor } from './activity-log';
import { effectiveStatus } from './effective-status';
import { customerMayCancel, TERMINATION_KIND_LABELS } from './termination-labels';
import type { AccountDoc, AccountStatus, Termination, TerminationKind } from './model';

/**
 * The account lifecycle of DESIGN §4 as a table: for each event, the statuses it may start from
 * and the statuses each may lead to. Whatever is not here is refused. Every function below builds
 * its result through `transition`, which holds it against this table.
 */
export const TRANSITIONS = {
  /** The customer's termination for convenience, dated (clause 3.1(a)). */
  requestTermination: { active: ['terminating'] },
  /**
   * OrderPally's termination: staff (3.1(a) with notice, 3.1(b)), an uncured breach (3.1(b)(i)),
   * the contract's end (3.1(c)); dated or at once. It replaces a pending one; a suspended account
   * stays suspended until the date.
   */
  terminate: { active: ['terminating', 'terminated'], terminating: ['terminating', 'terminated'], suspended: ['suspended', 'terminated'] },
  /** The customer takes their own termination for convenience back before its date. */
  cancelTermination: { terminating: ['active'] },
  /** Staff suspend the account (clause 3.1(b)(ii)); a pending termination is kept. */
  suspend: { active: ['suspended'], terminating: ['suspended'] },
  /** Staff lift a suspension (a pending termination stays) and/or withdraw their termination. */
  reinstate: { suspended: ['active', 'terminating'], terminating: ['active'] },
  /** The termination date has come (clause 3.2(a)(i)): `processLifecycle` marks it. */
  takeEffect: { terminating: ['terminated'], suspended: ['terminated'] },
  /** The content is destroyed (clause 3.2(a)(ii)); the account stays, terminated, as a tombstone. */
  recordDestroyed: { terminated: ['terminated'] },
} as const satisfies Record<string, Partial<Record<AccountStatus, readonly AccountStatus[]>>>;

/** Something that may change an account's status. */
export type AccountEvent = keyof typeof TRANSITIONS;

/** Whether the table lets `event` move an account from `from` to `to`. */
export function allowed(event: AccountEvent, from: AccountStatus, to: AccountStatus): boolean {
  const targets: Partial<Record<AccountStatus, readonly AccountStatus[]>> = TRANSITIONS[event];
  return targets[from]?.includes(to) ?? false;
}

/** Fields of `accounts/{uid}` a change writes (top-level fields replace the stored ones). */
export type AccountPatch = Partial<AccountDoc>;

/** A mail to the account's owner; the applier sends it when the account has a usable address. */
export interface OwnerMail {
  readonly kind: string;
  readonly mail: RenderedMail;
}

/** A change of one account: what to write, what to log, what to mail, in this order. */
export interface AccountChange {
  readonly patch: AccountPatch;
  readonly activity: readonly ActivityEntry[];
  readonly mails: readonly OwnerMail[];
}

/** A status transition the table allows, with the account as it is once applied. */
export interface Transition extends AccountChange {
  readonly event: AccountEvent;
  readonly from: AccountStatus;
  readonly to: AccountStatus;
  readonly account: AccountDoc;
}

/** What the transitions take from the configuration. */
export interface MachineSettings {
  readonly supportEmail: string;
  /** Days backups are kept (clause 5.4), for the dates the notices give. */
  readonly backupRetentionDays: number;
}

/** The settings from the configuration. */
export function settingsOf(config: Pick<Config, 'SUPPORT_EMAIL' | 'BACKUP_RETENTION_DAYS'>): MachineSettings {
  return { supportEmail: config.SUPPORT_EMAIL, backupRetentionDays: config.BACKUP_RETENTION_DAYS };
}

function transition(event: AccountEvent, account: AccountDoc, change: AccountChange): Transition {
  const to = change.patch.status ?? account.status;
  if (!allowed(event, account.status, to)) throw new Error(`${event} may not move an account from ${account.status} to ${to} (DESIGN §4)`);
  return { ...change, event, from: account.status, to, account: { ...account, ...change.patch } };
}

/**
 * True once the account's rights have ended (clause 3.2(a)): it is `terminated`, or its
 * termination date or contract end (clause 3.1(c)) has passed and `processLifecycle` has not
 * marked it yet. Staff cannot bring such an account back by moving a date.
 */
export function terminationTookEffect(account: AccountDoc, now: Date): boolean {
  return effectiveStatus(account, now) === 'terminated';
}

/** @throws AppError `ALREADY_TERMINATED` once the termination took effect. */
export function assertNotTerminated(account: AccountDoc, now: Date): void {
  if (!terminationTookEffect(account, now)) return;
  throw new AppError('ALREADY_TERMINATED', `Account ${account.uid} is already terminated.`, {
    uid: account.uid,
    status: account.status,
    effectiveAt: iso(account.termination?.effectiveAt ?? null),
    contractEndsAt: iso(account.contract.endsAt),
  });
}

/** A termination to start, as decided by the use case that starts it. */
export interface TerminationStart {
  readonly kind: TerminationKind;
  readonly initiatedBy: 'customer' | 'provider';
  readonly reason: string;
  /** When it takes effect; null (or a time not after `now`) terminates at once. */
  readonly effectiveAt: Date | null;
  readonly actor: Actor;
  /** Extra details for the activity entry (a breach id, what it replaced, …). */
  readonly details?: Record<string, unknown>;
}

function startTermination(event: 'terminate' | 'requestTermination', account: AccountDoc, start: TerminationStart, now: Date, settings: MachineSettings): Transition {
  const effectiveAt = start.effectiveAt !== null && start.effectiveAt.getTime() > now.getTime() ? start.effectiveAt : now;
  const immediate = effectiveAt === now;
  const termination: Termination = {
    kind: start.kind,
    initiatedBy: start.initiatedBy,
    reason: start.reason,
    noticeAt: Timestamp.fromDate(now),
    effectiveAt: Timestamp.fromDate(effectiveAt),
    contentDestroyedAt: null,
  };
  const status: AccountStatus = immediate ? 'terminated' : account.status === 'suspended' ? 'suspended' : 'terminating';
  const { kind, initiatedBy, reason } = start;
  return transition(event, account, {
    patch: { status, termination, updatedAt: Timestamp.fromDate(now) },
    activity: [
      {
        actor: start.actor,
        action: immediate ? 'termination.effective' : 'termination.scheduled',
        details: { kind, initiatedBy, reason, effectiveAt: effectiveAt.toISOString(), ...start.details },
      },
    ],
    mails: [
      {
        kind: 'termination.notice',
        mail: terminationNoticeMail({
          locale: account.locale,
          kindLabel: TERMINATION_KIND_LABELS[account.locale][kind],
          initiatedBy,
          cancellable: customerMayCancel({ kind, initiatedBy }),
          reason,
          noticeAt: now,
          effectiveAt,
          immediate,
          backupsGoneBy: backupsGoneBy(effectiveAt, settings.backupRetentionDays),
          supportEmail: settings.supportEmail,
        }),
      },
    ],
  });
}

/**
 * OrderPally terminates the account (every path of clause 3.1 but the customer's own): sets
 * `termination` and the status (`terminating`, `terminated` when immediate, or still `suspended`
 * until the date), logs `termination.scheduled` or `termination.effective`, and gives notice.
 * Content is not touched: `processLifecycle` destroys it (DESIGN §4), resumably.
 * @throws AppError `ALREADY_TERMINATED` when the account is terminated.
 */
export function terminate(account: AccountDoc, start: TerminationStart, now: Date, settings: MachineSettings): Transition {
  if (account.status === 'terminated') assertNotTerminated(account, now);
  return startTermination('terminate', account, start, now, settings);
}

/** The reason recorded when the customer gives none. */
export const DEFAULT_CUSTOMER_REASON = 'Requested by the customer';

/**
 * The customer terminates for convenience (clause 3.1(a)), at a date already checked to be ahead.
 * @throws AppError `NOT_ACTIVE` unless the account is active at `now` (a contract that has ended
 *   counts as terminated before the sweep says so, clause 3.1(c)).
 */
export function requestTermination(account: AccountDoc, request: { effectiveAt: Date; reason?: string; actor: Actor }, now: Date, settings: MachineSettings): Transition {
  const status = effectiveStatus(account, now);
  if (status !== 'active') {
    throw new AppError('NOT_ACTIVE', `Only an active account can be terminated by its owner; this one is ${status}.`, { status });
  }
  const start = { kind: 'convenience', initiatedBy: 'customer', reason: request.reason ?? DEFAULT_CUSTOMER_REASON, effectiveAt: request.effectiveAt, actor: request.actor } as const;
  return startTermination('requestTermination', account, start, now, settings);
}

/**
 * The customer takes back their termination for convenience (clause 3.1(a)) strictly before it
 * takes effect: the account is `active` again. Provider terminations are not theirs to cancel, and
 * from the date on the rights have ended (clause 3.2(a)).
 * @throws AppError `ACCOUNT_SUSPENDED`, `NO_TERMINATION`, `TERMINATION_EFFECTIVE` or `NOT_CANCELLABLE`.
 */
export function cancelTermination(account: AccountDoc, actor: Actor, now: Date, settings: MachineSettings): Transition {
  const t = account.termination;
  if (account.status === 'suspended') throw new AppError('ACCOUNT_SUSPENDED', 'This account is suspended; contact support.');
  if (!t) throw new AppError('NO_TERMINATION', 'This account has no termination to cancel.');
  if (account.status === 'terminated' || t.effectiveAt.toMillis() <= now.getTime()) {
    throw new AppError('TERMINATION_EFFECTIVE', 'The termination has already taken effect and can no longer be cancelled.', { effectiveAt: iso(t.effectiveAt) });
  }
  if (t.kind !== 'convenience' || t.initiatedBy !== 'customer') {
    throw new AppError('NOT_CANCELLABLE', 'This termination was decided by OrderPally and cannot be cancelled here; contact support.', { kind: t.kind, initiatedBy: t.initiatedBy });
  }
  return transition('cancelTermination', account, {
    patch: { status: 'active', termination: null, updatedAt: Timestamp.fromDate(now) },
    activity: [{ actor, action: 'termination.cancelled', details: { kind: t.kind, reason: t.reason, effectiveAt: iso(t.effectiveAt) } }],
    mails: [
      {
        kind: 'termination.cancelled',
        mail: terminationCancelledMail({ locale: account.locale, effectiveAt: t.effectiveAt.toDate(), cancelledAt: now, supportEmail: settings.supportEmail }),
      },
    ],
  });
}

/**
 * Staff suspend the account (clause 3.1(b)(ii)): an `active` or `terminating` account becomes
 * `suspended`, keeping a pending termination, which still takes effect on its date.
 * @returns null for an account already suspended: nothing to write.
 * @throws AppError `ALREADY_TERMINATED` once its rights have ended.
 */
export function suspend(account: AccountDoc, request: { reason: string; note: string; actor: Actor }, now: Date, settings: MachineSettings): Transition | null {
  if (account.status === 'suspended') return null;
  assertNotTerminated(account, now);
  const since = Timestamp.fromDate(now);
  const { reason, note } = request;
  const mail = accountSuspendedMail({
    locale: account.locale,
    reason,
    since: now,
    terminationEffectiveAt: account.termination?.effectiveAt.toDate() ?? null,
    supportEmail: settings.supportEmail,
  });
  return transition('suspend', account, {
    patch: { status: 'suspended', suspension: { reason, since, note }, updatedAt: since },
    activity: [{ actor: request.actor, action: 'account.suspended', details: { reason, note, previousStatus: account.status } }],
    mails: [{ kind: 'account.suspended', mail }],
  });
}

/**
 * Checks that staff may withdraw the account's pending termination: one OrderPally decided
 * (clause 3.1(a) with notice, 3.1(b)), strictly before its date. A customer's own termination is
 * theirs to cancel (`cancelTermination`), and a contract-end one follows `contract.endsAt`
 * (change that with `adminSetContract`).
 * @throws AppError `NO_TERMINATION`, `TERMINATION_EFFECTIVE` or `NOT_WITHDRAWABLE`.
 */
export function assertWithdrawable(account: AccountDoc, now: Date): Termination {
  const t = account.termination;
  if (!t) throw new AppError('NO_TERMINATION', `Account ${account.uid} has no termination to withdraw.`, { uid: account.uid });
  const details = { uid: account.uid, kind: t.kind, initiatedBy: t.initiatedBy, effectiveAt: iso(t.effectiveAt) };
  if (t.effectiveAt.toMillis() <= now.getTime()) {
    throw new AppError('TERMINATION_EFFECTIVE', 'The termination has already taken effect and can no longer be withdrawn.', details);
  }
  if (t.initiatedBy !== 'provider' || t.kind === 'contract-end') {
    const message =
      t.kind === 'contract-end'
        ? 'A contract-end termination follows contract.endsAt: change it with adminSetContract.'
        : 'This termination was requested by the customer: only they can cancel it (cancelTermination).';
    throw new AppError('NOT_WITHDRAWABLE', message, details);
  }
  return t;
}

/**
 * Staff lift a suspension (clause 3.1(b)(ii)): `active` again, or `terminating` while a termination
 * is pending (one whose date passed meanwhile stays: `processLifecycle` finalises it). With
 * `withdrawTermination`, their own pending termination is withdrawn too (suspended or not).
 * @returns null when there is nothing to change (not suspended, nothing to withdraw).
 * @throws AppError `ALREADY_TERMINATED`, or why the termination cannot be withdrawn.
 */
export function reinstate(account: AccountDoc, request: { note: string; withdrawTermination?: boolean; actor: Actor }, now: Date, settings: MachineSettings): Transition | null {
  if (account.status === 'terminated') {
    throw new AppError('ALREADY_TERMINATED', `Account ${account.uid} is already terminated.`, { uid: account.uid, status: account.status });
  }
  const withdrawn = request.withdrawTermination ? assertWithdrawable(account, now) : null;
  const wasSuspended = account.status === 'suspended';
  if (!wasSuspended && !withdrawn) return null;
  const termination = withdrawn ? null : account.termination;
  const status = termination ? 'terminating' : 'active';
  const { actor, note } = request;
  const { locale, suspension } = account;
  const { supportEmail } = settings;
  const activity: ActivityEntry[] = [];
  const mails: OwnerMail[] = [];
  if (wasSuspended) {
    const previous = suspension && { reason: suspension.reason, since: iso(suspension.since) };
    activity.push({ actor, action: 'account.reinstated', details: { note, status, suspension: previous } });
    const terminationEffectiveAt = termination?.effectiveAt.toDate() ?? null;
    mails.push({ kind: 'account.reinstated', mail: accountReinstatedMail({ locale, reinstatedAt: now, terminationEffectiveAt, supportEmail }) });
  }
  if (withdrawn) {
    const { kind, initiatedBy, reason } = withdrawn;
    const effectiveAt = withdrawn.effectiveAt.toDate();
    activity.push({ actor, action: 'termination.withdrawn', details: { note, kind, initiatedBy, reason, effectiveAt: effectiveAt.toISOString() } });
    mails.push({ kind: 'termination.withdrawn', mail: terminationWithdrawnMail({ locale, kindLabel: TERMINATION_KIND_LABELS[locale][kind], effectiveAt, withdrawnAt: now, supportEmail }) });
  }
  return transition('reinstate', account, { patch: { status, suspension: null, termination, updatedAt: Timestamp.fromDate(now) }, activity, mails });
}

/**
 * A pending termination whose date has come becomes `terminated`: rights end here (clause
 * 3.2(a)(i)), logged `termination.effective` by the system; the notice went out when it began.
 * @returns null when no termination is pending and due at `now`.
 */
export function takeEffect(account: AccountDoc, now: Date): Transition | null {
  const t = account.termination;
  const pending = account.status === 'terminating' || account.status === 'suspended';
  if (!t || t.contentDestroyedAt || !pending || t.effectiveAt.toMillis() > now.getTime()) return null;
  return transition('takeEffect', account, {
    patch: { status: 'terminated', updatedAt: Timestamp.fromDate(now) },
    activity: [
      { actor: SYSTEM_ACTOR, action: 'termination.effective', details: { kind: t.kind, initiatedBy: t.initiatedBy, reason: t.reason, effectiveAt: iso(t.effectiveAt) } },
    ],
    mails: [],
  });
}

/**
 * Records that the terminated account's content is gone (clause 3.2(a)(ii)): sets
 * `termination.contentDestroyedAt`, logs `content.destroyed` with the collections emptied and when
 * the last backup holding them is gone (clause 5.4), and sends the final notice.
 * @returns null unless the account is terminated and not recorded as destroyed yet.
 */
export function recordDestroyed(account: AccountDoc, collections: readonly string[], now: Date, settings: MachineSettings): Transition | null {
  const t = account.termination;
  if (account.status !== 'terminated' || !t || t.contentDestroyedAt) return null;
  const at = Timestamp.fromDate(now);
  // Backups taken up to the moment of destruction may hold the content (clause 5.4).
  const goneBy = backupsGoneBy(now, settings.backupRetentionDays);
  const mail = contentDestroyedMail({
    locale: account.locale,
    effectiveAt: t.effectiveAt.toDate(),
    destroyedAt: now,
    backupsGoneBy: goneBy,
    supportEmail: settings.supportEmail,
  });
  return transition('recordDestroyed', account, {
    patch: { termination: { ...t, contentDestroyedAt: at }, updatedAt: at },
    activity: [{ actor: SYSTEM_ACTOR, action: 'content.destroyed', details: { collections: [...collections], backupsGoneBy: goneBy.toISOString() } }],
    mails: [{ kind: 'content.destroyed', mail }],
  });
}
