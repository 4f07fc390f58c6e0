import { getDeps } from '../../src/deps';
import type { AccountDoc } from '../../src/accounts/model';
import type { AccountView } from '../../src/accounts/view';
import { newAccountDoc } from '../../src/accounts/provision';
import { createClient, uniqueEmail, type TestClient } from '../support/client';
import type { LocalFunctions } from '../support/local';
import { sentTo, type CapturedMail } from '../support/maildev';
import { staffUser, verifiedUser, waitForOutboxMail } from '../incidents/helpers';
import type { Caller } from '../../src/shared/caller';

export { callError, call, staffUser, verifiedUser } from '../incidents/helpers';

export const db = () => getDeps().db;
export const SUPPORT = 'orderpally.service@17.live';

/** An ISO-8601 UTC string as results carry them. */
export const isoString: unknown = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/** A verified customer with an account document (in `locale`), signed in on `client`. */
export async function customer(client: TestClient, locale: 'zh-TW' | 'en' = 'zh-TW', tag = 'customer') {
  const user = await verifiedUser(client, tag);
  await client.call('getAccount');
  if (locale === 'en') await db().collection('accounts').doc(user.uid).update({ locale: 'en' });
  return user;
}

/** A second client app, signed in as a staff member with the `admin` role, for one test file. */
export function useAdmin(local: LocalFunctions) {
  let session: { client: TestClient; uid: string; token: string } | undefined;
  beforeAll(async () => {
    const client = createClient(local.server.port);
    session = { client, ...(await staffUser(client, 'admin')) };
  });
  afterAll(async () => {
    await session?.client.close();
  });
  const current = () => {
    if (!session) throw new Error('useAdmin: used before beforeAll ran');
    return session;
  };
  return {
    call: <T = AccountView>(name: string, data?: unknown) => current().client.call<T>(name, data),
    get uid() {
      return current().uid;
    },
    get token() {
      return current().token;
    },
  };
}

/** The stored account. */
export async function accountOf(uid: string): Promise<AccountDoc> {
  return (await db().collection('accounts').doc(uid).get()).data() as AccountDoc;
}

/** Activity entries of an account, oldest first. */
export async function activityOf(uid: string): Promise<Array<{ action: string; actor: { uid: string | null; role: string }; details: Record<string, unknown> }>> {
  const snap = await db().collection('accounts').doc(uid).collection('activity').orderBy('at').get();
  return snap.docs.map((d) => d.data() as { action: string; actor: { uid: string | null; role: string }; details: Record<string, unknown> });
}

/** The actions of an account's activity, oldest first, without the account's creation. */
export async function actionsOf(uid: string): Promise<string[]> {
  return (await activityOf(uid)).map((e) => e.action).filter((a) => a !== 'account.created' && a !== 'account.viewed');
}

/** Kinds of the outbox messages about an account, sorted. */
export async function outboxKinds(uid: string): Promise<string[]> {
  const snap = await db().collection('mail').where('related', '==', `accounts/${uid}`).get();
  return snap.docs.map((d) => d.get('kind') as string).sort();
}

/** Waits for a message to `email` whose subject contains `subject` to reach MailDev. */
export async function mailFor(uid: string, email: string, subject: string): Promise<CapturedMail> {
  const [mail] = await waitForOutboxMail((m) => sentTo(m, email) && m.subject.includes(subject), [`accounts/${uid}`]);
  if (!mail) throw new Error(`no mail "${subject}" for ${email}`);
  return mail;
}

/** A staff caller as the callable layer would build it, for calling use cases directly. */
export function adminCaller(uid = 'staff-admin'): Caller {
  return { uid, email: null, emailVerified: true, signInProvider: 'password', role: 'admin', via: 'idToken' };
}

/** A customer caller for `uid`, for calling use cases directly. */
export function customerCaller(uid: string): Caller {
  return { uid, email: null, emailVerified: true, signInProvider: 'password', role: null, via: 'idToken' };
}

let seeded = 0;

/** Writes a fresh active account (no Auth user) created at `now`, for use-case tests with a fixed clock. */
export async function seedAccount(now: Date, overrides: Partial<AccountDoc> = {}): Promise<AccountDoc> {
  seeded += 1;
  const uid = `seed-${process.pid}-${Date.now()}-${seeded}`;
  const doc = { ...newAccountDoc({ uid, email: uniqueEmail('seeded'), displayName: null, providerIds: ['password'], emailVerified: true }, now), ...overrides };
  await db().collection('accounts').doc(uid).set(doc);
  return doc;
}
