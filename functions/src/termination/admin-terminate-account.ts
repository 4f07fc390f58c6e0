import { z } from 'zod';
import { accountResult, assertNotTerminated, readTargetAccount } from '../accounts/admin-get-account';
import type { AccountView } from '../accounts/view';
import { actorOf } from '../activity/record';
import type { Deps } from '../deps';
import type { Caller } from '../http/auth';
import type { CallableSpec } from '../http/callable';
import { invalidArgument } from '../http/errors';
import { deliverNow } from '../incidents/deliver-now';
import { oneMonthNoticeDate, startOfTaipeiDay } from '../shared/taipei';
import { beginTermination } from './begin';
import { assertOneMonthNotice, effectiveAtInput } from './dates';
import { MAX_TERMINATION_REASON_CHARS, optional, reasonText, targetUid } from './schema';

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
 * When a staff termination takes effect (null: at once). For convenience, one calendar month of
 * Taipei notice at least (clause 3.1(a)), by default 00:00 Taipei on the first day allowed; for
 * cause, legal or partner reasons, at once (clause 3.1(b)) or at a future instant.
 * @throws AppError INVALID_ARGUMENT for too short a notice (`details.earliest`) or a past date.
 */
export function staffEffectiveAt(now: Date, request: Pick<AdminTerminateInput, 'kind' | 'effectiveAt' | 'immediate'>): Date | null {
  if (request.kind === 'convenience') {
    const at = request.effectiveAt ?? startOfTaipeiDay(oneMonthNoticeDate(now));
    assertOneMonthNotice(now, at);
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
 * entry says what it replaced. An immediate termination leaves the account `terminated` with its
 * content still there: `processLifecycle` destroys it (DESIGN §4), resumably.
 */
export async function adminTerminateAccount(deps: Deps, caller: Caller, request: AdminTerminateInput): Promise<AccountView> {
  const now = deps.clock.now();
  const effectiveAt = staffEffectiveAt(now, request);
  const started = await deps.db.runTransaction(async (tx) => {
    const { ref, account } = await readTargetAccount(tx, deps, request.uid);
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
      ref,
      account,
      { kind: request.kind, initiatedBy: 'provider', reason: request.reason, effectiveAt, actor: actorOf(caller), details: replaced ? { replaced } : {} },
      now,
    );
  });
  deps.log.log('INFO', 'termination.by_staff', { uid: request.uid, kind: request.kind, immediate: started.immediate, by: caller.uid });
  await deliverNow(deps, started.mailIds);
  return accountResult(deps, started.account);
}

/** `adminTerminateAccount({uid, kind, reason, effectiveAt?, immediate?})` → Account. Admins only. */
export const adminTerminateAccountSpec: CallableSpec<AdminTerminateInput, AccountView> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminTerminateAccount(deps, caller as Caller, request),
};
