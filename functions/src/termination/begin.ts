import type { DocumentReference, Transaction } from 'firebase-admin/firestore';
import type { AccountDoc, TerminationKind } from '../accounts/model';
import { recordActivity, type Actor } from '../activity/record';
import type { Deps } from '../deps';
import { enqueueMail, isSafeAddress } from '../mail/outbox';
import { terminationNoticeMail } from '../mail/templates/termination-notice';
import { Timestamp } from '../shared/firestore-values';

const DAY_MS = 86_400_000;

/**
 * When the last backup that may hold content as of `at` is gone: exports are kept
 * `retentionDays` (clause 5.4) and the bucket's lifecycle rule deletes them one day later, which
 * Cloud Storage may carry out up to a day after that.
 */
export function backupsGoneBy(at: Date, retentionDays: number): Date {
  return new Date(at.getTime() + (retentionDays + 2) * DAY_MS);
}

/** A termination to start, as decided by the use case that starts it. */
export interface TerminationStart {
  readonly kind: TerminationKind;
  readonly initiatedBy: 'customer' | 'provider';
  readonly reason: string;
  /** When it takes effect; null (or a time not after `now`) terminates at once. */
  readonly effectiveAt: Date | null;
  readonly actor: Actor;
  /** Extra details for the activity entry (a breach id, …). */
  readonly details?: Record<string, unknown>;
}

/** What `beginTermination` wrote. */
export interface TerminationStarted {
  /** The account as it is after the transaction commits. */
  readonly account: AccountDoc;
  /** True when the account is `terminated` now: finalisation (content destruction) is due. */
  readonly immediate: boolean;
  /** Outbox ids of the notice (none when the account has no usable address). */
  readonly mailIds: string[];
}

/**
 * Starts a termination inside the caller's transaction (every path of clause 3.1 goes through
 * here): sets `termination`, the status (`terminating`, or `terminated` when immediate; a
 * suspended account stays suspended until its date), logs `termination.scheduled` or
 * `termination.effective`, and puts the notice in the outbox. The caller has read `account` in
 * `tx` and checked that this termination is allowed; all of `tx`'s reads must be done.
 * Content is not touched: `processLifecycle` destroys it (DESIGN §4), resumably.
 */
export function beginTermination(
  tx: Transaction,
  deps: Deps,
  ref: DocumentReference,
  account: AccountDoc,
  start: TerminationStart,
  now: Date,
): TerminationStarted {
  const immediate = start.effectiveAt === null || start.effectiveAt.getTime() <= now.getTime();
  const effectiveAt = immediate ? now : (start.effectiveAt);
  const termination: NonNullable<AccountDoc['termination']> = {
    kind: start.kind,
    initiatedBy: start.initiatedBy,
    reason: start.reason,
    noticeAt: Timestamp.fromDate(now),
    effectiveAt: Timestamp.fromDate(effectiveAt),
    contentDestroyedAt: null,
  };
  const status: AccountDoc['status'] = immediate ? 'terminated' : account.status === 'suspended' ? 'suspended' : 'terminating';
  const updatedAt = Timestamp.fromDate(now);
  tx.update(ref, { status, termination, updatedAt });
  recordActivity(tx, deps.db, account.uid, now, {
    actor: start.actor,
    action: immediate ? 'termination.effective' : 'termination.scheduled',
    details: {
      kind: start.kind,
      initiatedBy: start.initiatedBy,
      reason: start.reason,
      effectiveAt: effectiveAt.toISOString(),
      ...start.details,
    },
  });
  const mailIds: string[] = [];
  if (account.email && isSafeAddress(account.email)) {
    const notice = terminationNoticeMail({
      locale: account.locale,
      kind: start.kind,
      initiatedBy: start.initiatedBy,
      reason: start.reason,
      noticeAt: now,
      effectiveAt,
      immediate,
      backupsGoneBy: backupsGoneBy(effectiveAt, deps.config.BACKUP_RETENTION_DAYS),
      supportEmail: deps.config.SUPPORT_EMAIL,
    });
    mailIds.push(enqueueMail(tx, deps.db, now, { kind: 'termination.notice', to: account.email, related: `accounts/${account.uid}`, ...notice }));
  }
  return { account: { ...account, status, termination, updatedAt }, immediate, mailIds };
}
