import { Timestamp } from 'firebase-admin/firestore';
import type { AccountDoc } from '../../src/accounts/model';
import { getDeps } from '../../src/deps';
import { rawCall, uniqueEmail } from '../support/client';
import { accountFingerprint } from '../support/fingerprint';
import type { LocalFunctions } from '../support/local';
import { PROJECT_ID } from '../support/server';
import type { InvoiceView } from '../../src/billing/schema';

export const PASSWORD = 'correct horse battery';
const DAY_MS = 86_400_000;
const db = () => getDeps().db;

export type RawAnswer = Awaited<ReturnType<typeof rawCall>>;

/**
 * Signs in through the Auth emulator's REST API and returns the ID token. Unlike the client SDK
 * this keeps no signed-in state, so many users can act at once.
 */
export async function signIn(email: string, password = PASSWORD): Promise<{ uid: string; token: string }> {
  const response = await fetch(
    `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=fake-api-key`,
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password, returnSecureToken: true }) },
  );
  const body = (await response.json()) as { localId?: string; idToken?: string; error?: unknown };
  if (!response.ok || !body.localId || !body.idToken) throw new Error(`sign-in failed for ${email}: ${JSON.stringify(body)}`);
  return { uid: body.localId, token: body.idToken };
}

/** POSTs `data` to a callable with the caller's ID token, over plain HTTP. */
export function callAs(baseUrl: string, name: string, token: string | null, data: unknown): Promise<RawAnswer> {
  return rawCall(`${baseUrl}/${name}`, { body: JSON.stringify({ data }), headers: token ? { Authorization: `Bearer ${token}` } : {} });
}

/** Like callAs, but returns the result and throws with the answer when it is not a 200. */
export async function resultOf<T>(baseUrl: string, name: string, token: string, data: unknown): Promise<T> {
  const answer = await callAs(baseUrl, name, token, data);
  if (answer.status !== 200) throw new Error(`${name} answered ${answer.status}: ${answer.text}`);
  return answer.json?.result as T;
}

/** A verified email+password customer whose account document exists (getAccount provisions it, as on first use). */
export async function customer(baseUrl: string, tag = 'billing'): Promise<{ uid: string; email: string; token: string }> {
  const email = uniqueEmail(tag);
  await getDeps().auth.createUser({ email, password: PASSWORD, emailVerified: true });
  const { uid, token } = await signIn(email);
  await resultOf(baseUrl, 'getAccount', token, null);
  return { uid, email, token };
}

/** A verified staff member with the `role` claim, and a token that carries it. */
export async function staff(role: 'admin' | 'support' = 'admin'): Promise<{ uid: string; token: string }> {
  const email = uniqueEmail(role);
  const user = await getDeps().auth.createUser({ email, password: PASSWORD, emailVerified: true });
  await getDeps().auth.setCustomUserClaims(user.uid, { role });
  return signIn(email);
}

/** An ISO date-time `days` from now (negative: in the past), whole seconds. */
export function daysFromNow(days: number): string {
  return new Date(Math.floor((Date.now() + days * DAY_MS) / 1000) * 1000).toISOString();
}

let invoiceCounter = 0;

/** A unique invoice id. */
export function invoiceId(tag = 'INV'): string {
  invoiceCounter += 1;
  return `${tag}-${process.pid}-${Date.now()}-${invoiceCounter}`;
}

/** `adminRecordInvoice` data for `uid`: 1,200 TWD issued 30 days before it is due `dueInDays` from now. */
export function invoiceData(uid: string, dueInDays: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { uid, invoiceId: invoiceId(), amount: 1200, currency: 'TWD', issuedAt: daysFromNow(dueInDays - 30), dueAt: daysFromNow(dueInDays), ...overrides };
}

/** The stored account document. */
export async function accountDoc(uid: string): Promise<AccountDoc> {
  const snap = await db().collection('accounts').doc(uid).get();
  if (!snap.exists) throw new Error(`no account ${uid}`);
  return snap.data() as AccountDoc;
}

/** Activity entries of `uid` whose action starts with `prefix`, oldest first. */
export async function activity(uid: string, prefix: string): Promise<Array<{ action: string; actor: unknown; details: Record<string, unknown> }>> {
  const snap = await db().collection('accounts').doc(uid).collection('activity').orderBy('at', 'asc').get();
  return snap.docs
    .map((d) => d.data() as { action: string; actor: unknown; details: Record<string, unknown> })
    .filter((e) => e.action.startsWith(prefix));
}

/**
 * Every document under accounts/{uid} (any depth) with its update time: equal before and after
 * a call exactly when the call wrote nothing there.
 */
export function fingerprint(uid: string): Promise<string> {
  return accountFingerprint(uid);
}

/**
 * Puts the account in a lifecycle state by writing its status directly, as the staff functions
 * would leave it, without disabling the Auth user (so its token still reaches our checks).
 */
export async function setStatus(uid: string, status: 'active' | 'terminating' | 'suspended' | 'terminated'): Promise<void> {
  const now = Date.now();
  const inAYear = Timestamp.fromMillis(now + 365 * DAY_MS);
  await db().collection('accounts').doc(uid).update({
    status,
    termination:
      status === 'terminating' || status === 'terminated'
        ? { kind: 'convenience', initiatedBy: 'customer', reason: 'test', noticeAt: Timestamp.fromMillis(now), effectiveAt: status === 'terminated' ? Timestamp.fromMillis(now) : inAYear, contentDestroyedAt: null }
        : null,
    suspension: status === 'suspended' ? { reason: 'test', since: Timestamp.fromMillis(now), note: '' } : null,
  });
}

export { PROJECT_ID };

/**
 * `call(name, data)` as an admin who signs in once for the test file (in its `beforeAll`), on
 * `local`'s functions; resolves to the result, rejects with the error body.
 */
export function adminCaller(local: LocalFunctions): <T = InvoiceView>(name: string, data: unknown) => Promise<T> {
  let token = '';
  beforeAll(async () => {
    token = (await staff('admin')).token;
  });
  return <T = InvoiceView>(name: string, data: unknown) => resultOf<T>(local.server.baseUrl, name, token, data);
}
