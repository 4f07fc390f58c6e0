import { z } from 'zod';
import { actorOf } from '../accounts/activity-log';
import { assertNotTerminated } from '../accounts/machine';
import { findAccount, readAccount } from '../accounts/repository';
import { beginTermination } from '../accounts/changes';
import { accountResult, type AccountView } from '../accounts/view';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { finaliseAccount } from '../lifecycle/finalise';
import { startOfTaipeiDay } from '../shared/taipei';
import { assertNoticeMonths, effectiveAtInput, noticeEarliest } from './dates';
import { optional, reasonText, targetUid } from '../shared/input';
import { MAX_TERMINATION_REASON_CHARS } from './schema';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';
import { invalidArgument } from '../shared/errors';

/** Kinds staff may start; `contract-end` belongs to processLifecycle (clause 3.1(c)). */
export const STAFF_TERMINATION_KINDS = ['convenience', 'cause', 'legal', 'partner'] as const;

const input = z
  .object({
    uid: targetUid,
    kind: z.enum(STAFF_TERMINATION_KINDS, { error: 'must be convenience, cause, legal or partner' }),
    reason: reasonText(MAX_TERMINATION_REASON_CHARS),
    effectiveAt: optional(effectiveAtInput),
    immediate: optional(z.boolean({ error: 'must be true or false' })),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'convenience') {
      if (v.immediate) {
        ctx.addIssue({ code: 'custom', path: ['immediate'], message: 'a termination for convenience needs one calendar month of notice (clause 3.1(a)) and cannot be immediate' });
      }
    } else if (v.immediate && v.effectiveAt) {
      ctx.addIssue({ code: 'custom', path: ['effectiveAt'], message: 'must be absent when immediate is true' });
    } else if (!v.immediate && !v.effectiveAt) {
      ctx.addIssue({ code: 'custom', path: ['effectiveAt'], message: `is required for a termination for ${v.kind}, unless immediate is true` });
    }
  });
type AdminTerminateInput = z.output<typeof input>;

/**
 * When a staff termination takes effect (null: at once). For convenience, `noticeMonths`
 * (PROVIDER_TERMINATION_NOTICE_MIN_MONTHS) calendar months of Taipei notice at least (clause
 * 3.1(a)), by default 00:00 Taipei on the first day allowed; for
 * cause, legal or partner reasons, at once (clause 3.1(b)) or at a future instant.
 * @throws AppError INVALID_ARGUMENT for too short a notice (`details.earliest`) or a past date.
 */
export function staffEffectiveAt(now: Date, request: Pick<AdminTerminateInput, 'kind' | 'effectiveAt' | 'immediate'>, noticeMonths: number): Date | null {
  if (request.kind === 'convenience') {
    const at = request.effectiveAt ?? startOfTaipeiDay(noticeEarliest(now, noticeMonths));
    assertNoticeMonths(now, at, noticeMonths);
    return at;
  }
  if (request.immediate) return null;
  const at = request.effectiveAt as Date;
  if (at.getTime() <= now.getTime()) {
    throw invalidArgument('Invalid request: data.effectiveAt: must be in the future; to terminate now, send immediate: true instead.', {
      now: now.toISOString(),
    });
  }
  return at;
}

/**
 * OrderPally terminates an account (clause 3.1(a) convenience with notice; 3.1(b)(i) cause;
 * 3.1(b)(ii)(B) partner; 3.1(b)(ii)(C) legal). A pending termination is replaced, and the activity
 * entry says what it replaced. An immediate termination is finalised at once (sign-in ends, keys
 * are revoked, content destroyed: `finaliseAccount`); what does not finish within
 * FINALISE_WAIT_MS is completed by `processLifecycle` (DESIGN §4), resumably.
 */
export async function adminTerminateAccount(deps: Deps, caller: Caller, request: AdminTerminateInput): Promise<AccountView> {
  const now = deps.clock.now();
  const effectiveAt = staffEffectiveAt(now, request, deps.config.PROVIDER_TERMINATION_NOTICE_MIN_MONTHS);
  const started = await deps.db.runTransaction(async (tx) => {
    const account = await readAccount(deps.db, request.uid, tx);
    assertNotTerminated(account, now);
    const previous = account.termination;
    const replaced = previous && {
      kind: previous.kind,
      initiatedBy: previous.initiatedBy,
      reason: previous.reason,
      effectiveAt: previous.effectiveAt.toDate().toISOString(),
    };
    return beginTermination(
      tx,
      deps,
      account,
      { kind: request.kind, initiatedBy: 'provider', reason: request.reason, effectiveAt, actor: actorOf(caller), details: replaced ? { replaced } : {} },
      now,
    );
  });
  deps.log.log('INFO', 'termination.by_staff', { uid: request.uid, kind: request.kind, immediate: started.immediate, by: caller.uid });
  await deliverNow(deps, started.mailIds);
  if (!started.immediate) return accountResult(deps, started.account);
  await finaliseSoon(deps, request.uid);
  const after = await findAccount(deps.db, request.uid);
  return accountResult(deps, after ?? started.account);
}

/** How long an immediate termination waits for its finalisation before answering. */
export const FINALISE_WAIT_MS = 20_000;

/**
 * Finalises an immediately terminated account now, for up to FINALISE_WAIT_MS. Never throws: the
 * account is already `terminated` (its rights have ended), and `processLifecycle` resumes any
 * finalisation that fails or outlasts the wait (its lease then runs out).
 */
async function finaliseSoon(deps: Deps, uid: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'waited'>((resolve) => {
    timer = setTimeout(() => resolve('waited'), FINALISE_WAIT_MS);
  });
  const work = finaliseAccount(deps, uid).then((result) => deliverNow(deps, result.mailIds)).catch((error: unknown) => {
    deps.log.log('WARNING', 'lifecycle.finalise_soon_failed', { uid, error: error instanceof Error ? error.message : String(error) });
  });
  if ((await Promise.race([work, waited])) === 'waited') deps.log.log('INFO', 'lifecycle.finalise_continues', { uid });
  clearTimeout(timer);
}

/** `adminTerminateAccount({uid, kind, reason, effectiveAt?, immediate?})` → Account. Admins only. */
export const adminTerminateAccountSpec: SignedInCallableSpec<AdminTerminateInput, AccountView, z.input<typeof input>> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminTerminateAccount(deps, caller, request),
};
