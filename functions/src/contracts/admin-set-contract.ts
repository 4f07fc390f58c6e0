import { z } from 'zod';
import { accountResult, assertNotTerminated, readTargetAccount } from '../accounts/admin-get-account';
import type { AccountDoc } from '../accounts/model';
import type { AccountView } from '../accounts/view';
import { actorOf, recordActivity } from '../activity/record';
import type { Deps } from '../deps';
import type { Caller } from '../http/auth';
import type { CallableSpec } from '../http/callable';
import { invalidArgument } from '../http/errors';
import { Timestamp } from '../shared/firestore-values';
import { iso } from '../shared/time';
import { effectiveAtInput } from '../termination/dates';
import { targetUid } from '../termination/schema';

const input = z
  .object({
    uid: targetUid,
    // Required, so that clearing the end date is always an explicit null, never a forgotten field.
    endsAt: effectiveAtInput.nullable(),
  })
  .strict();
type AdminSetContractInput = z.output<typeof input>;

/**
 * Agreement clause 3.1(c): staff set (or clear, with null) when the customer's contract ends.
 * `processLifecycle` terminates the account at that instant and mails the reminders before it;
 * here only the date is stored, with a `contract.set` activity entry. A date must be in the
 * future; setting the date it already has writes nothing.
 */
export async function adminSetContract(deps: Deps, caller: Caller, request: AdminSetContractInput): Promise<AccountView> {
  const now = deps.clock.now();
  if (request.endsAt && request.endsAt.getTime() <= now.getTime()) {
    throw invalidArgument('Invalid request: data.endsAt: must be in the future (or null to clear it).', { now: now.toISOString() });
  }
  const account = await deps.db.runTransaction(async (tx): Promise<AccountDoc> => {
    const { ref, account: current } = await readTargetAccount(tx, deps, request.uid);
    assertNotTerminated(current, now);
    const previous = current.contract.endsAt;
    if ((previous?.toMillis() ?? null) === (request.endsAt?.getTime() ?? null)) return current;
    const endsAt = request.endsAt && Timestamp.fromDate(request.endsAt);
    const updatedAt = Timestamp.fromDate(now);
    tx.update(ref, { 'contract.endsAt': endsAt, updatedAt });
    recordActivity(tx, deps.db, current.uid, now, {
      actor: actorOf(caller),
      action: 'contract.set',
      details: { endsAt: iso(endsAt), previousEndsAt: iso(previous) },
    });
    return { ...current, contract: { ...current.contract, endsAt }, updatedAt };
  });
  deps.log.log('INFO', 'contract.set', { uid: request.uid, endsAt: request.endsAt, by: caller.uid });
  return accountResult(deps, account);
}

/** `adminSetContract({uid, endsAt})` → Account. Admins only. */
export const adminSetContractSpec: CallableSpec<AdminSetContractInput, AccountView> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminSetContract(deps, caller as Caller, request),
};
