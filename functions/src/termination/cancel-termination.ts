import { z } from 'zod';
import { actorOf } from '../accounts/activity-log';
import { loadAccount } from '../accounts/load';
import { cancelTermination as terminationCancelled, settingsOf } from '../accounts/machine';
import { readAccount } from '../accounts/repository';
import { applyChange } from '../accounts/changes';
import { accountResult, type AccountView } from '../accounts/view';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import type { Caller } from '../shared/caller';
import { argumentsOrNone } from '../shared/input';
import type { SignedInCallableSpec } from '../spec';

const input = argumentsOrNone(z.object({}).strict());
type CancelTerminationInput = z.output<typeof input>;

/**
 * The customer takes back their termination for convenience before its date: the account is
 * `active` again, `termination` is cleared, the activity log says so and a confirmation is mailed,
 * all in one transaction (so a cancel racing a request leaves a consistent log). Refused, with the
 * machine's reasons, unless it is their own termination and its date has not come.
 */
export async function cancelTermination(deps: Deps, caller: Caller): Promise<AccountView> {
  await loadAccount(deps, caller, 'cancelTermination');
  const { account, mailIds } = await deps.db.runTransaction(async (tx) => {
    const current = await readAccount(deps.db, caller.uid, tx);
    const now = deps.clock.now();
    const step = terminationCancelled(current, actorOf(caller), now, settingsOf(deps.config));
    return { account: step.account, mailIds: applyChange(tx, deps, current, step, now) };
  });
  deps.log.log('INFO', 'termination.cancelled', { uid: caller.uid });
  await deliverNow(deps, mailIds);
  return accountResult(deps, account);
}

/** `cancelTermination()` → Account. Signed in and verified. */
export const cancelTerminationSpec: SignedInCallableSpec<CancelTerminationInput, AccountView, z.input<typeof input>> = {
  auth: 'required',
  input,
  handler: (deps, _request, { caller }) => cancelTermination(deps, caller),
};
