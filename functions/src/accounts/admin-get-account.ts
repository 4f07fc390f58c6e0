import { z } from 'zod';
import { actorOf, recordActivity } from './activity-log';
import type { Deps } from '../deps';
import { iso } from '../shared/time';
import { targetUid } from '../shared/input';
import type { BreachDoc } from './model';
import { readAccount, recordsOf } from './repository';
import { accountResult, type AccountView } from './view';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';

/** An open breach as staff see it (clause 3.1(b)(i)). */
export interface BreachView {
  breachId: string;
  description: string;
  notifiedAt: string;
  cureBy: string;
  status: BreachDoc['status'];
}

/** What `adminGetAccount` returns: the customer's Account plus the open breaches. */
export interface StaffAccountView extends AccountView {
  breaches: BreachView[];
}

const input = z.object({ uid: targetUid }).strict();
type AdminGetAccountInput = z.output<typeof input>;

/**
 * A staff member looks at an account. The look is itself logged on the account (clause 1.1(b):
 * nobody reaches an account without authorisation, and the owner can see who did).
 */
export async function adminGetAccount(deps: Deps, caller: Caller, request: AdminGetAccountInput): Promise<StaffAccountView> {
  const { account, breaches } = await deps.db.runTransaction(async (tx) => {
    const account = await readAccount(deps.db, request.uid, tx);
    const open = await tx.get(recordsOf(deps.db, request.uid, 'breaches').where('status', '==', 'open'));
    recordActivity(tx, deps.db, request.uid, deps.clock.now(), { actor: actorOf(caller), action: 'account.viewed', details: {} });
    return { account, breaches: open.docs.map((d) => ({ id: d.id, doc: d.data() as BreachDoc })) };
  });
  const view = await accountResult(deps, account);
  return {
    ...view,
    breaches: breaches
      .sort((a, b) => a.doc.cureBy.toMillis() - b.doc.cureBy.toMillis())
      .map(({ id, doc }) => ({ breachId: id, description: doc.description, notifiedAt: iso(doc.notifiedAt), cureBy: iso(doc.cureBy), status: doc.status })),
  };
}

/** `adminGetAccount({uid})` → the Account with its open breaches. Admins only. */
export const adminGetAccountSpec: SignedInCallableSpec<AdminGetAccountInput, StaffAccountView> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminGetAccount(deps, caller, request),
};
