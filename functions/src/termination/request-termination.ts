import { z } from 'zod';
import { actorOf } from '../accounts/activity-log';
import { loadAccount } from '../accounts/load';
import { requestTermination as terminationRequested, settingsOf } from '../accounts/machine';
import { readAccount } from '../accounts/repository';
import { applyChange } from '../accounts/changes';
import { accountResult, type AccountView } from '../accounts/view';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { customerEffectiveAt, effectiveAtInput } from './dates';
import { argumentsOrNone, optional, reasonText } from '../shared/input';
import { MAX_TERMINATION_REASON_CHARS } from './schema';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';

const input = argumentsOrNone(
  z
    .object({
      effectiveAt: optional(effectiveAtInput),
      reason: optional(reasonText(MAX_TERMINATION_REASON_CHARS)),
    })
    .strict(),
);
type RequestTerminationInput = z.output<typeof input>;

/**
 * Agreement clause 3.1(a): the customer terminates for convenience. The date is theirs to pick,
 * `TERMINATION_MIN_DAYS`..`TERMINATION_MAX_DAYS` Taipei days ahead (default
 * `TERMINATION_DEFAULT_DAYS`, at 00:00 Taipei time); until then the content stays and can be
 * retrieved (clause 3.2(b)), and the customer may cancel. Only an `active` account can start one,
 * checked in the transaction, so two requests at once schedule one termination and one notice.
 */
export async function requestTermination(deps: Deps, caller: Caller, request: RequestTerminationInput): Promise<AccountView> {
  const now = deps.clock.now();
  const effectiveAt = customerEffectiveAt(now, request.effectiveAt, {
    minDays: deps.config.TERMINATION_MIN_DAYS,
    maxDays: deps.config.TERMINATION_MAX_DAYS,
    defaultDays: deps.config.TERMINATION_DEFAULT_DAYS,
  });
  await loadAccount(deps, caller, 'requestTermination');
  const started = await deps.db.runTransaction(async (tx) => {
    const account = await readAccount(deps.db, caller.uid, tx);
    const step = terminationRequested(account, { effectiveAt, reason: request.reason, actor: actorOf(caller) }, now, settingsOf(deps.config));
    return { account: step.account, mailIds: applyChange(tx, deps, account, step, now) };
  });
  deps.log.log('INFO', 'termination.requested', { uid: caller.uid, effectiveAt });
  await deliverNow(deps, started.mailIds);
  return accountResult(deps, started.account);
}

/** `requestTermination({effectiveAt?, reason?})` → Account. Signed in and verified. */
export const requestTerminationSpec: SignedInCallableSpec<RequestTerminationInput, AccountView, z.input<typeof input>> = {
  auth: 'required',
  input,
  handler: (deps, request, { caller }) => requestTermination(deps, caller, request),
};
