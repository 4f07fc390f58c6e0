import { z } from 'zod';
import { actorOf } from '../accounts/activity-log';
import { assertNotTerminated } from '../accounts/machine';
import type { AccountDoc } from '../accounts/model';
import { readAccount } from '../accounts/repository';
import { applyChange } from '../accounts/changes';
import { accountResult, type AccountView } from '../accounts/view';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import { iso } from '../shared/time';
import { effectiveAtInput } from '../termination/dates';
import { targetUid } from '../shared/input';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';
import { invalidArgument } from '../shared/errors';

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
    const current = await readAccount(deps.db, request.uid, tx);
    assertNotTerminated(current, now);
    const previous = current.contract.endsAt;
    if ((previous?.toMillis() ?? null) === (request.endsAt?.getTime() ?? null)) return current;
    const endsAt = request.endsAt && Timestamp.fromDate(request.endsAt);
    // Not a status transition (the sweep terminates at endsAt): a plain change of the account.
    const patch = { contract: { ...current.contract, endsAt }, updatedAt: Timestamp.fromDate(now) };
    const activity = [{ actor: actorOf(caller), action: 'contract.set', details: { endsAt: iso(endsAt), previousEndsAt: iso(previous) } }];
    applyChange(tx, deps, current, { patch, activity, mails: [] }, now);
    return { ...current, ...patch };
  });
  deps.log.log('INFO', 'contract.set', { uid: request.uid, endsAt: request.endsAt, by: caller.uid });
  return accountResult(deps, account);
}

/** `adminSetContract({uid, endsAt})` → Account. Admins only. */
export const adminSetContractSpec: SignedInCallableSpec<AdminSetContractInput, AccountView, z.input<typeof input>> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminSetContract(deps, caller, request),
};
