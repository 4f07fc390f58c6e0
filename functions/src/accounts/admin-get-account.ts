import type { DocumentReference, Transaction } from 'firebase-admin/firestore';
import { z } from 'zod';
import { actorOf, recordActivity } from '../activity/record';
import { loadDueInvoices } from '../billing/due';
import type { Deps } from '../deps';
import type { Caller } from '../http/auth';
import type { CallableSpec } from '../http/callable';
import { AppError } from '../http/errors';
import { enqueueMail, isSafeAddress } from '../mail/outbox';
import type { RenderedMail } from '../mail/templates/render';
import { iso } from '../shared/time';
import { targetUid } from '../termination/schema';
import { effectiveStatus } from './effective-status';
import type { AccountDoc, BreachDoc } from './model';
import { toAccountView, type AccountView } from './view';

/** The account a staff action is about, read in the action's transaction. */
export interface TargetAccount {
  readonly ref: DocumentReference;
  readonly account: AccountDoc;
}

/**
 * Reads `accounts/{uid}` for a staff action inside `tx`.
 * @throws AppError NOT_FOUND `ACCOUNT_NOT_FOUND` when it does not exist.
 */
export async function readTargetAccount(tx: Transaction, deps: Deps, uid: string): Promise<TargetAccount> {
  const ref = deps.db.collection('accounts').doc(uid);
  const snap = await tx.get(ref);
  if (!snap.exists) throw new AppError('NOT_FOUND', 'ACCOUNT_NOT_FOUND', `No account ${uid} exists.`, { uid });
  return { ref, account: snap.data() as AccountDoc };
}

/**
 * True once the account's rights have ended (clause 3.2(a)): it is `terminated`, or its
 * termination date or contract end (clause 3.1(c)) has passed and `processLifecycle` has not
 * marked it yet. Staff cannot bring such an account back by moving a date.
 */
export function terminationTookEffect(account: AccountDoc, now: Date): boolean {
  return effectiveStatus(account, now) === 'terminated';
}

/** @throws AppError FAILED_PRECONDITION `ALREADY_TERMINATED` once the termination took effect. */
export function assertNotTerminated(account: AccountDoc, now: Date): void {
  if (!terminationTookEffect(account, now)) return;
  throw new AppError('FAILED_PRECONDITION', 'ALREADY_TERMINATED', `Account ${account.uid} is already terminated.`, {
    uid: account.uid,
    status: account.status,
    effectiveAt: iso(account.termination?.effectiveAt ?? null),
    contractEndsAt: iso(account.contract.endsAt),
  });
}

/**
 * Puts a message to the account's owner in the outbox, in `tx`, when the account has an address
 * that can go into a header. The mail is `related` to the account, for the outbox's records.
 * @returns the outbox ids (empty when there is no usable address).
 */
export function mailOwner(tx: Transaction, deps: Deps, account: AccountDoc, now: Date, kind: string, mail: RenderedMail): string[] {
  if (!account.email || !isSafeAddress(account.email)) return [];
  return [enqueueMail(tx, deps.db, now, { kind, to: account.email, related: `accounts/${account.uid}`, ...mail })];
}

/** The Account view of a just-written account, with its amounts due as of now. */
export async function accountResult(deps: Deps, account: AccountDoc): Promise<AccountView> {
  const now = deps.clock.now();
  return toAccountView(account, await loadDueInvoices(deps.db, account.uid, now), now);
}

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
    const target = await readTargetAccount(tx, deps, request.uid);
    const open = await tx.get(target.ref.collection('breaches').where('status', '==', 'open'));
    recordActivity(tx, deps.db, request.uid, deps.clock.now(), { actor: actorOf(caller), action: 'account.viewed', details: {} });
    return { account: target.account, breaches: open.docs.map((d) => ({ id: d.id, doc: d.data() as BreachDoc })) };
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
export const adminGetAccountSpec: CallableSpec<AdminGetAccountInput, StaffAccountView> = {
  auth: 'required',
  roles: ['admin'],
  input,
  handler: (deps, request, { caller }) => adminGetAccount(deps, caller as Caller, request),
};
