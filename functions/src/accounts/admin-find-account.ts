import type { UserRecord } from 'firebase-admin/auth';
import { z } from 'zod';
import type { Deps } from '../deps';
import type { Caller } from '../shared/caller';
import { isSafeAddress } from '../shared/email';
import { singleLineText, targetUid } from '../shared/input';
import { iso } from '../shared/time';
import type { SignedInCallableSpec } from '../spec';
import type { AccountDoc, AccountStatus } from './model';
import { accountsCollection, findAccount } from './repository';

/** One account that matched, enough for staff to pick it and open it with `adminGetAccount`. */
export interface FoundAccount {
  uid: string;
  /** The Firebase Auth sign-in address (the account's, when its Auth user is gone). */
  email: string | null;
  /** The confirmed contact address, or null. */
  contactEmail: string | null;
  displayName: string | null;
  /** Null for a user who signed up but whose account was never provisioned (no function called yet). */
  status: AccountStatus | null;
  createdAt: string | null;
}

const input = z.object({ query: singleLineText(320) }).strict();
type FindInput = z.output<typeof input>;

/** The Auth user with sign-in address `email`, or null when there is none (or Auth finds the address invalid). */
async function authUserByEmail(deps: Deps, email: string): Promise<UserRecord | null> {
  try {
    return await deps.auth.getUserByEmail(email);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'auth/user-not-found' || code === 'auth/invalid-email') return null;
    throw error;
  }
}

/** The Auth user `uid`, or null when there is none (a terminated account's user may be gone). */
async function authUser(deps: Deps, uid: string): Promise<UserRecord | null> {
  try {
    return await deps.auth.getUser(uid);
  } catch (error) {
    if ((error as { code?: string }).code === 'auth/user-not-found') return null;
    throw error;
  }
}

/** Uids of accounts whose sign-in or confirmed contact address is `lower` (stored lower-cased, or as typed). */
async function accountsByEmail(deps: Deps, typed: string, lower: string): Promise<string[]> {
  const accounts = accountsCollection(deps.db);
  const spellings = [...new Set([typed, lower])];
  const snaps = await Promise.all([
    accounts.where('contactEmailKey', '==', lower).select().get(),
    accounts.where('contactEmail', 'in', spellings).select().get(),
    accounts.where('email', 'in', spellings).select().get(),
  ]);
  return snaps.flatMap((s) => s.docs.map((d) => d.id));
}

/**
 * Staff look an account up by uid or by email (clause 1.1(b): reading accounts is for staff
 * only). An address is matched without regard to case against the Firebase Auth sign-in address
 * and the confirmed `contactEmail`; anything else is tried as a uid. No match is an empty list,
 * not an error. Opening one of them (`adminGetAccount`) is what gets logged on the account.
 */
export async function adminFindAccount(deps: Deps, caller: Caller, { query }: FindInput): Promise<{ accounts: FoundAccount[] }> {
  const lower = query.toLowerCase();
  const asEmail = isSafeAddress(query);
  const [byAuth, byStore] = await Promise.all([
    asEmail ? authUserByEmail(deps, lower) : null,
    asEmail ? accountsByEmail(deps, query, lower) : [],
  ]);
  const uids = [...new Set([...(byAuth ? [byAuth.uid] : []), ...byStore, ...(!asEmail && targetUid.safeParse(query).success ? [query] : [])])];
  const found = await Promise.all(uids.map(async (uid): Promise<FoundAccount | null> => {
    const [account, user] = await Promise.all([findAccount(deps.db, uid), uid === byAuth?.uid ? byAuth : authUser(deps, uid)]);
    if (!account && !user) return null;
    return toFound(uid, account, user);
  }));
  const accounts = found.filter((a): a is FoundAccount => a !== null).sort((a, b) => a.uid.localeCompare(b.uid));
  deps.log.log('INFO', 'account.searched', { by: caller.uid, role: caller.role, byEmail: asEmail, matches: accounts.length });
  return { accounts };
}

function toFound(uid: string, account: AccountDoc | undefined, user: UserRecord | null): FoundAccount {
  const created = user ? new Date(user.metadata.creationTime).toISOString() : null;
  return {
    uid,
    email: user?.email ?? account?.email ?? null,
    contactEmail: account?.contactEmail ?? null,
    displayName: account?.displayName ?? user?.displayName ?? null,
    status: account?.status ?? null,
    createdAt: account ? iso(account.createdAt) : created,
  };
}

/** `adminFindAccount({query})` → `{accounts: [{uid, email, contactEmail, displayName, status, createdAt}]}`. Support or admin. */
export const adminFindAccountSpec: SignedInCallableSpec<FindInput, { accounts: FoundAccount[] }, z.input<typeof input>> = {
  auth: 'required',
  roles: ['support', 'admin'],
  input,
  handler: (deps, request, { caller }) => adminFindAccount(deps, caller, request),
};
