import { randomUUID } from 'node:crypto';
import { getApps, initializeApp } from 'firebase-admin/app';
import { getFirestore, Timestamp, type DocumentReference, type Firestore } from 'firebase-admin/firestore';
import type { AccountDoc, BreachDoc } from '../../src/accounts/model';
import { newAccountDoc } from '../../src/accounts/provision';
import { breachDeadlineRef } from '../../src/breaches/deadlines';
import { loadConfig, type Config } from '../../src/config';
import { createDeps, getDeps, type Deps } from '../../src/deps';
import { fixedClock } from '../../src/shared/clock';
import { createLogger, type Logger, type Severity } from '../../src/shared/log';
import { uniqueEmail } from '../support/client';
import { PROJECT_ID } from '../support/server';

const APP_NAME = 'lifecycle-tests';
let databases = 0;

/**
 * A Firestore database of its own on the same emulator (named databases), so a sweep with a
 * clock months ahead sees only this test's accounts, never another test's or another file's.
 */
export function isolatedDb(): Firestore {
  const app = getApps().find((a) => a.name === APP_NAME) ?? initializeApp({ projectId: PROJECT_ID }, APP_NAME);
  databases += 1;
  const db = getFirestore(app, `lc-${process.pid}-${databases}-${randomUUID().slice(0, 8)}`);
  db.settings({ ignoreUndefinedProperties: true });
  return db;
}

/** Deps on `db` with a clock the test moves; config overrides for the escalation mode etc.; `log` to read what was logged. */
export function depsAt(db: Firestore, start: Date, config: Partial<Config> = {}, log?: Logger): Deps & { clock: ReturnType<typeof fixedClock> } {
  const clock = fixedClock(start);
  const deps = createDeps({ ...loadConfig(), ...config }, { db, clock, auth: getDeps().auth, ...(log ? { log } : {}) });
  // deps.clock answers the override: this same clock, whose `set` moves time.
  return deps as Deps & { clock: ReturnType<typeof fixedClock> };
}

export const DAY = 86_400_000;
export const MINUTE = 60_000;
/** 2026-03-02 09:00 in Taipei: where fixed-clock tests start (each on a database of its own). */
export const T0 = new Date('2026-03-02T01:00:00.000Z');
export const plus = (at: Date, ms: number): Date => new Date(at.getTime() + ms);

/** A logger that keeps every line it is given, parsed, for assertions on what was logged. */
export function capturedLog(): Logger & { lines: Array<Record<string, unknown> & { severity: Severity; message: string }> } {
  const lines: Array<Record<string, unknown> & { severity: Severity; message: string }> = [];
  const log = createLogger('DEBUG', (line) => {
    lines.push(JSON.parse(line) as (typeof lines)[number]);
  });
  return Object.assign(log, { lines });
}

/**
 * An open breach of `uid` written as `adminRecordBreach` writes it: the breach and its trusted
 * deadline (breaches/deadlines.ts), unless `withDeadline` is false (a breach from before
 * deadlines existed).
 */
export async function seedBreach(db: Firestore, uid: string, overrides: Partial<BreachDoc> = {}, { withDeadline = true } = {}): Promise<string> {
  const ref = db.collection('accounts').doc(uid).collection('breaches').doc();
  const breach: BreachDoc = {
    description: 'Selling counterfeit goods',
    notifiedAt: Timestamp.fromDate(T0),
    cureBy: Timestamp.fromDate(plus(T0, 30 * DAY)),
    status: 'open',
    uid,
    resolvedAt: null,
    note: null,
    ...overrides,
  };
  const batch = db.batch().set(ref, breach);
  if (withDeadline && breach.status === 'open') batch.set(breachDeadlineRef(db, uid, ref.id), { uid, breachId: ref.id, cureBy: breach.cureBy });
  await batch.commit();
  return ref.id;
}

/** The account's breach `id`'s status. */
export async function breachStatus(db: Firestore, uid: string, id: string): Promise<string> {
  return (await db.doc(`accounts/${uid}/breaches/${id}`).get()).get('status') as string;
}

/** A pending termination as `beginTermination` stores it. */
export function termination(effectiveAt: Date, overrides: Partial<NonNullable<AccountDoc['termination']>> = {}): NonNullable<AccountDoc['termination']> {
  return {
    kind: 'convenience',
    initiatedBy: 'customer',
    reason: 'Requested by the customer',
    noticeAt: Timestamp.fromMillis(effectiveAt.getTime() - 30 * DAY),
    effectiveAt: Timestamp.fromDate(effectiveAt),
    contentDestroyedAt: null,
    ...overrides,
  };
}

/** Writes `accounts/{uid}` (a new uid unless given) as provisioning does, with `overrides`. */
export async function seedAccount(db: Firestore, overrides: Partial<AccountDoc> = {}): Promise<AccountDoc> {
  const uid = overrides.uid ?? `u${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  const account: AccountDoc = {
    ...newAccountDoc(
      { uid, email: uniqueEmail('lifecycle'), displayName: null, providerIds: ['password'], emailVerified: true, locale: 'zh-TW' },
      plus(T0, -90 * DAY),
    ),
    ...overrides,
  };
  await db.collection('accounts').doc(uid).set(account);
  return account;
}

/**
 * Customer content, including documents under ancestors that do not exist and a collection named
 * like a reserved one below the first level (content too): paths relative to the account.
 */
export const CONTENT_PATHS = [
  'stores/s1',
  'stores/s1/products/p1',
  'stores/s1/products/p1/variants/v1',
  'stores/s1/products/p1/variants/v1/images/i1',
  'stores/ghost/products/p9/variants/v9/images/i9',
  'orders/o1',
  'orders/o1/invoices/copy',
  'settings/main',
];

/** Records that outlive the account (DESIGN §3): paths relative to the account. */
export const RECORD_PATHS = ['invoices/inv1', 'breaches/b-old', 'activity/a-old', 'recordRequests/REC-2026-000001'];

/** Writes the content and records above, and one live API key `k1`, under `accounts/{uid}`. */
export async function seedTree(db: Firestore, uid: string): Promise<void> {
  const account = db.collection('accounts').doc(uid);
  const writer = db.bulkWriter({ throttling: false });
  for (const path of [...CONTENT_PATHS, ...RECORD_PATHS]) void writer.set(db.doc(`${account.path}/${path}`), { path, at: Timestamp.fromDate(T0) });
  void writer.set(account.collection('apiKeys').doc('k1'), { label: 'pos', hash: 'h', prefix: 'opk_ab12', createdAt: Timestamp.fromDate(T0), lastUsedAt: null, revokedAt: null });
  await writer.close();
}

/**
 * Every existing document under `accounts/{uid}` at any depth, relative paths, sorted; activity
 * entries written by the code under test are left out (actionsOf checks those).
 */
export async function treeOf(db: Firestore, uid: string): Promise<string[]> {
  const root = db.collection('accounts').doc(uid);
  const found: string[] = [];
  const walk = async (ref: DocumentReference): Promise<void> => {
    for (const collection of await ref.listCollections()) {
      for (const doc of await collection.listDocuments()) {
        const path = doc.path.slice(root.path.length + 1);
        const seeded = !path.startsWith('activity/') || RECORD_PATHS.includes(path);
        if (seeded && (await doc.get()).exists) found.push(path);
        await walk(doc);
      }
    }
  };
  await walk(root);
  return found.sort();
}

/** The account's activity actions, sorted (a fixed clock gives entries of one step the same time). */
export async function actionsOf(db: Firestore, uid: string): Promise<string[]> {
  const snap = await db.collection('accounts').doc(uid).collection('activity').get();
  return snap.docs.map((d) => d.get('action') as string | undefined).filter((a): a is string => a !== undefined).sort();
}

/** Outbox messages about the account, by kind. */
export async function outboxOf(db: Firestore, uid: string, kind?: string): Promise<Array<Record<string, unknown>>> {
  let query = db.collection('mail').where('related', '==', `accounts/${uid}`);
  if (kind) query = query.where('kind', '==', kind);
  return (await query.get()).docs.map((d) => d.data());
}

/** The stored account. */
export async function accountOf(db: Firestore, uid: string): Promise<AccountDoc & Record<string, unknown>> {
  return (await db.collection('accounts').doc(uid).get()).data() as AccountDoc & Record<string, unknown>;
}

/** A real Auth emulator user and an ID token it signed in with (REST, as a client SDK would). */
export async function authUser(): Promise<{ uid: string; email: string; token: string }> {
  const email = uniqueEmail('lifecycle-auth');
  const password = 'correct horse battery';
  const { uid } = await getDeps().auth.createUser({ email, password, emailVerified: true });
  const response = await fetch(`http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=fake-api-key`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password, returnSecureToken: true }),
  });
  const body = (await response.json()) as { idToken?: string };
  if (!body.idToken) throw new Error(`sign-in failed: ${JSON.stringify(body)}`);
  return { uid, email, token: body.idToken };
}

/** The auth error code verifying `token` (with the revocation check) fails with, or null if it passes. */
export async function tokenRefusal(token: string): Promise<string | null> {
  try {
    await getDeps().auth.verifyIdToken(token, true);
    return null;
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
}
