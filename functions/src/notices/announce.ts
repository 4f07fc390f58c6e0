import type { z } from 'zod';
import { createHash } from 'node:crypto';
import type { Transaction } from 'firebase-admin/firestore';
import type { Actor } from '../accounts/activity-log';
import { actorOf } from '../accounts/activity-log';
import { accountsCollection } from '../accounts/repository';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import { taipeiDaysBetween } from '../shared/taipei';
import { assertNoticeMonths } from '../termination/dates';
import { advanceFanout, fanoutId, type FanoutLimits } from './fanout';
import { forgetServiceNotices } from './list';
import type { AuditDoc, FanoutDoc, FanoutRound, ServiceNoticeDoc } from './model';
import { announceInput, type AnnounceInput } from './schema';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';

/** What `adminAnnounceServiceChange` returns. */
export interface Announced {
  noticeId: string;
  /** Accounts the notice is mailed to (not terminated when it was announced). */
  recipients: number;
}

/** Accounts a notice goes to: every one not terminated. */
export async function countRecipients(deps: Deps): Promise<number> {
  const snap = await accountsCollection(deps.db).where('status', 'in', ['active', 'suspended', 'terminating']).count().get();
  return snap.data().count;
}

/** Writes an audit entry (staff actions that concern no single account) in `tx`. */
export function recordAudit(tx: Transaction, deps: Deps, at: Date, actor: Actor, action: string, details: Record<string, unknown>): void {
  const entry: AuditDoc = { at: Timestamp.fromDate(at), actor: { uid: actor.uid, role: actor.role }, action, details };
  tx.create(deps.db.collection('auditLog').doc(), entry);
}

/** Creates the fan-out of one round of a notice in `tx`. */
export function createFanout(tx: Transaction, deps: Deps, noticeId: string, round: FanoutRound, expected: number, at: Date): void {
  const now = Timestamp.fromDate(at);
  const doc: FanoutDoc = { noticeId, round, state: 'running', cursor: null, expected, queued: 0, skipped: 0, posted: 0, startedAt: now, updatedAt: now, finishedAt: null, leaseUntil: null };
  tx.create(deps.db.collection('noticeFanouts').doc(fanoutId(noticeId, round)), doc);
}

/**
 * Clause 2.1/2.2: staff announce a service change, a discontinuation or an SLA change. Without an
 * exemption the effective date must be at least SERVICE_NOTICE_MIN_MONTHS (one) calendar months
 * away (Taipei calendar; a setting of its own, apart from the provider's termination notice); with one of the three exemptions the clause
 * names, sooner is allowed and the exemption and its justification are published with it.
 * The notice is stored and audited in one transaction, then mailed to every account that is not
 * terminated by a resumable fan-out (this request starts it, `sendServiceNotices` finishes it).
 * With `idempotencyKey`, a retried call returns the first call's notice and sends nothing again.
 * `firstStep` bounds the fan-out work done before answering.
 */
export async function announceServiceChange(deps: Deps, caller: Caller, input: AnnounceInput, firstStep: Partial<FanoutLimits> = { maxMs: 20_000 }): Promise<Announced> {
  const now = deps.clock.now();
  if (!input.exemption) assertNoticeMonths(now, input.effectiveAt, deps.config.SERVICE_NOTICE_MIN_MONTHS);
  const noticeId = input.idempotencyKey
    ? `k-${createHash('sha256').update(input.idempotencyKey).digest('hex').slice(0, 32)}`
    : deps.db.collection('serviceNotices').doc().id;
  const expected = await countRecipients(deps);
  const noticeRef = deps.db.collection('serviceNotices').doc(noticeId);
  const fanoutRef = deps.db.collection('noticeFanouts').doc(fanoutId(noticeId, 'announcement'));
  const result = await deps.db.runTransaction(async (tx) => {
    const existing = await tx.get(fanoutRef);
    if (existing.exists) return { noticeId, recipients: (existing.data() as FanoutDoc).expected, created: false };
    const notice: ServiceNoticeDoc = {
      title: input.title,
      body: input.body,
      kind: input.kind,
      effectiveAt: Timestamp.fromDate(input.effectiveAt),
      announcedAt: Timestamp.fromDate(now),
      noticeDays: taipeiDaysBetween(now, input.effectiveAt),
      exemption: input.exemption ?? null,
      justification: input.justification ?? null,
      status: 'announced',
      withdrawnAt: null,
      withdrawalReason: null,
    };
    tx.create(noticeRef, notice);
    createFanout(tx, deps, noticeId, 'announcement', expected, now);
    recordAudit(tx, deps, now, actorOf(caller), 'serviceNotice.announced', {
      noticeId,
      kind: input.kind,
      title: input.title,
      effectiveAt: input.effectiveAt.toISOString(),
      noticeDays: notice.noticeDays,
      exemption: notice.exemption,
      recipients: expected,
    });
    return { noticeId, recipients: expected, created: true };
  });
  if (result.created) forgetServiceNotices(deps);
  deps.log.log('INFO', 'notice.announced', { noticeId, created: result.created, recipients: result.recipients, by: caller.uid });
  // Start mailing now; a large fan-out continues in sendServiceNotices.
  if (result.created) await advanceFanout(deps, fanoutId(noticeId, 'announcement'), firstStep);
  return { noticeId: result.noticeId, recipients: result.recipients };
}

/** `adminAnnounceServiceChange({title, body, kind, effectiveAt, exemption?, justification?, idempotencyKey?})` (admin). */
export const adminAnnounceServiceChangeSpec: SignedInCallableSpec<AnnounceInput, Announced, z.input<typeof announceInput>> = {
  auth: 'required',
  roles: ['admin'],
  input: announceInput,
  handler: (deps, input, { caller }) => announceServiceChange(deps, caller, input),
};
