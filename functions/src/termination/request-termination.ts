import { z } from 'zod';
import { accountResult } from '../accounts/admin-get-account';
import { effectiveStatus } from '../accounts/effective-status';
import { loadAccount } from '../accounts/load';
import type { AccountDoc } from '../accounts/model';
import type { AccountView } from '../accounts/view';
import { actorOf } from '../activity/record';
import type { Deps } from '../deps';
import type { Caller } from '../http/auth';
import type { CallableSpec } from '../http/callable';
import { AppError } from '../http/errors';
import { deliverNow } from '../incidents/deliver-now';
import { beginTermination } from './begin';
import { customerEffectiveAt, effectiveAtInput } from './dates';
import { MAX_TERMINATION_REASON_CHARS, argumentsOrNone, optional, reasonText } from './schema';

/** The reason recorded when the customer gives none. */
export const DEFAULT_CUSTOMER_REASON = 'Requested by the customer';

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
  const ref = deps.db.collection('accounts').doc(caller.uid);
  const started = await deps.db.runTransaction(async (tx) => {
    const account = (await tx.get(ref)).data() as AccountDoc;
    // An account whose contract has ended counts as terminated before the sweep says so (clause 3.1(c)).
    const status = effectiveStatus(account, now);
    if (status !== 'active') {
      throw new AppError('FAILED_PRECONDITION', 'NOT_ACTIVE', `Only an active account can be terminated by its owner; this one is ${status}.`, {
        status,
      });
    }
    return beginTermination(
      tx,
      deps,
      ref,
      account,
      { kind: 'convenience', initiatedBy: 'customer', reason: request.reason ?? DEFAULT_CUSTOMER_REASON, effectiveAt, actor: actorOf(caller) },
      now,
    );
  });
  deps.log.log('INFO', 'termination.requested', { uid: caller.uid, effectiveAt });
  await deliverNow(deps, started.mailIds);
  return accountResult(deps, started.account);
}

/** `requestTermination({effectiveAt?, reason?})` → Account. Signed in and verified. */
export const requestTerminationSpec: CallableSpec<RequestTerminationInput, AccountView> = {
  auth: 'required',
  input,
  handler: (deps, request, { caller }) => requestTermination(deps, caller as Caller, request),
};
