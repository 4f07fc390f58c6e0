// Clause 3.2(a)(i): every right ends ON the termination date, not when processLifecycle next runs;
// until then the notice period is full use of the service, except that content is closed while an
// amount is due (3.2(b)(ii)). Proved as a client meets it (the Firebase JS SDK against the
// Firestore rules and our callables, plain HTTP for the export, API keys and blocking functions),
// with no sweep ever run, and at the exact instant with an injected clock.
import { Timestamp } from 'firebase-admin/firestore';
import { FirebaseError } from 'firebase/app';
import {
  collection,
  connectFirestoreEmulator,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  getFirestore,
  setDoc,
  setLogLevel,
  updateDoc,
  type Firestore,
} from 'firebase/firestore';
import type { AccountView } from '../../src/accounts/view';
import { listActivity } from '../../src/activity/list-activity';
import { authenticateApiKey } from '../../src/apikeys/authenticate';
import { generateApiKey } from '../../src/apikeys/key';
import { loadConfig } from '../../src/config';
import { exportContent } from '../../src/content/export-content';
import { getAccount } from '../../src/accounts/get-account';
import { createDeps } from '../../src/deps';
import { beforeSignIn } from '../../src/identity/before-sign-in';
import { fixedClock } from '../../src/shared/clock';
import { callWithKey } from '../apikeys/helpers';
import { fingerprint, invoiceData, staff } from '../billing/helpers';
import { exportUrl, get } from '../content/helpers';
import { emulatorBlockingToken } from '../support/blocking';
import { rawCall } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { accountOf, callError, customer, customerCaller, db, seedAccount } from './helpers';
import { AppError, type Reason } from '../../src/shared/errors';
import { DOWNLOAD_HTTP_CODE_OF, httpCodeOf } from '../../src/http/status';

setLogLevel('silent'); // permission-denied is the expected outcome of many calls here

const local = useLocalFunctions();
const MINUTE = 60_000;
let admin: { uid: string; token: string };
let firestore: Firestore | undefined;

beforeAll(async () => {
  admin = await staff('admin');
});

/** The client app's Firestore, on the emulator: requests carry the signed-in user's ID token, and the rules decide. */
function clientDb(): Firestore {
  if (!firestore) {
    firestore = getFirestore(local.client.app);
    const [host = '127.0.0.1', port] = (process.env.FIRESTORE_EMULATOR_HOST ?? '').split(':');
    connectFirestoreEmulator(firestore, host, Number(port));
  }
  return firestore;
}

/** 'allowed', or the Firestore error code the client got (permission-denied when the rules refuse). */
async function outcome(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
    return 'allowed';
  } catch (error) {
    if (error instanceof FirebaseError) return error.code;
    throw error;
  }
}

/** A staff call over HTTP that must succeed. */
async function staffCall(name: string, data: unknown): Promise<void> {
  const answer = await rawCall(`${local.server.baseUrl}/${name}`, { body: JSON.stringify({ data }), headers: { Authorization: `Bearer ${admin.token}` } });
  if (answer.status !== 200) throw new Error(`${name} answered ${answer.status}: ${answer.text}`);
}

/** As if the date had come: the pending termination's effectiveAt moves to `at`; nothing else changes, no sweep runs. */
async function terminationDateIs(uid: string, at: Date): Promise<void> {
  await db().collection('accounts').doc(uid).update({ 'termination.effectiveAt': Timestamp.fromDate(at) });
}

/** POSTs a beforeSignIn event for `uid` as the Auth emulator would. */
function signInEvent(uid: string) {
  const url = `${local.server.baseUrl}/beforeSignIn`;
  const jwt = emulatorBlockingToken(url, { event_type: 'beforeSignIn', sub: uid, sign_in_method: 'password', user_record: { uid, email_verified: true, provider_data: [] } });
  return rawCall(url, { body: JSON.stringify({ data: { jwt } }) });
}

describe('the termination date ends every right at once, with no processLifecycle run', () => {
  it('when the effectiveAt of a terminating account has passed and no sweep has run, then content, export, every callable, the API key and sign-in are refused, and nothing is written', async () => {
    const { uid, token } = await customer(local.client, 'zh-TW', 'ended');
    const { key, keyId } = await local.client.call<{ key: string; keyId: string }>('createApiKey', { label: 'pos' });
    await setDoc(doc(clientDb(), `accounts/${uid}/orders/o1`), { total: 1200 });
    await local.client.call('requestTermination', { reason: 'Closing the shop' });
    await terminationDateIs(uid, new Date(Date.now() - MINUTE));
    const before = await fingerprint(uid);

    const order = doc(clientDb(), `accounts/${uid}/orders/o1`);
    expect({
      read: await outcome(getDoc(order)),
      list: await outcome(getDocs(collection(clientDb(), `accounts/${uid}/orders`))),
      update: await outcome(updateDoc(order, { total: 1 })),
      create: await outcome(setDoc(doc(clientDb(), `accounts/${uid}/orders/o2`), { total: 5 })),
      delete: await outcome(deleteDoc(order)),
    }).toEqual({ read: 'permission-denied', list: 'permission-denied', update: 'permission-denied', create: 'permission-denied', delete: 'permission-denied' });

    const exported = await get(exportUrl(local.server.baseUrl), { Authorization: `Bearer ${token}` });
    expect([exported.status, (JSON.parse(exported.body.toString()) as { error: { details: { reason: string } } }).error.details.reason]).toEqual([410, 'ACCOUNT_TERMINATED']);

    const callables: Array<[string, unknown]> = [
      ['getAccount', null],
      ['listActivity', null],
      ['createApiKey', { label: 'after the date' }],
      ['listApiKeys', null],
      ['revokeApiKey', { keyId }],
      ['requestRecords', { scope: 'activity' }],
    ];
    for (const [name, data] of callables) {
      const error = await callError(() => local.client.call(name, data));
      expect({ name, code: error.code, reason: error.details?.reason }).toEqual({ name, code: 'functions/permission-denied', reason: 'ACCOUNT_TERMINATED' });
    }
    const again = await callError(() => local.client.call('requestTermination', null));
    expect(again.details).toMatchObject({ reason: 'NOT_ACTIVE', status: 'terminated' });
    expect((await callError(() => local.client.call('cancelTermination', null))).details?.reason).toBe('TERMINATION_EFFECTIVE');

    for (const name of ['getAccount', 'exportContent']) {
      const answer = name === 'exportContent'
        ? await get(exportUrl(local.server.baseUrl), { Authorization: `ApiKey ${key}` })
        : { status: (await callWithKey(local.server.baseUrl, name, key)).status };
      expect({ name, status: answer.status }).toEqual({ name, status: 401 });
    }
    expect((await callWithKey(local.server.baseUrl, 'getAccount', key)).json?.error?.details?.reason).toBe('API_KEY_ACCOUNT_INACTIVE');

    const signIn = await signInEvent(uid);
    expect([signIn.status, signIn.json?.error?.details?.reason]).toEqual([403, 'ACCOUNT_TERMINATED']);

    // No sweep ran: the stored status is still terminating, the content is still there, and no refused call wrote anything.
    expect((await accountOf(uid)).status).toBe('terminating');
    expect((await db().doc(`accounts/${uid}/orders/o1`).get()).data()).toEqual({ total: 1200 });
    expect(await fingerprint(uid)).toBe(before);
  }, 60_000);

  it('when the date passes while the owner is using the service, then the next write after it is refused, with no sweep', async () => {
    const { uid } = await customer(local.client, 'zh-TW', 'passing');
    await local.client.call('requestTermination', null);
    const effectiveAt = new Date(Date.now() + 2_000);
    await terminationDateIs(uid, effectiveAt);
    const order = doc(clientDb(), `accounts/${uid}/orders/o1`);
    expect(await outcome(setDoc(order, { total: 1200 }))).toBe('allowed');
    await new Promise((resolve) => setTimeout(resolve, effectiveAt.getTime() - Date.now() + 300));
    expect(await outcome(setDoc(order, { total: 1300 }))).toBe('permission-denied');
    expect(await outcome(getDoc(order))).toBe('permission-denied');
    expect((await callError(() => local.client.call('getAccount'))).details?.reason).toBe('ACCOUNT_TERMINATED');
    expect((await accountOf(uid)).status).toBe('terminating');
  });
});

describe('the notice period is full use of the service (clause 3.2)', () => {
  it('when a terminating account has nothing due before its date, then the owner reads, creates, changes and deletes content exactly as while active', async () => {
    const { uid, token } = await customer(local.client, 'zh-TW', 'notice');
    await setDoc(doc(clientDb(), `accounts/${uid}/orders/o1`), { total: 1200, status: 'paid' });
    const account = await local.client.call<AccountView>('requestTermination', null);
    expect(account.status).toBe('terminating');

    const orders = collection(clientDb(), `accounts/${uid}/orders`);
    expect({
      create: await outcome(setDoc(doc(orders, 'o2'), { total: 800, status: 'new' })),
      nested: await outcome(setDoc(doc(clientDb(), `accounts/${uid}/stores/s1/products/p1`), { name: 'Oolong' })),
      update: await outcome(updateDoc(doc(orders, 'o2'), { status: 'shipped' })),
      delete: await outcome(deleteDoc(doc(orders, 'o1'))),
    }).toEqual({ create: 'allowed', nested: 'allowed', update: 'allowed', delete: 'allowed' });
    const listed = await getDocs(orders);
    expect(listed.docs.map((d) => [d.id, d.data()])).toEqual([['o2', { total: 800, status: 'shipped' }]]);

    const exported = await get(exportUrl(local.server.baseUrl), { Authorization: `Bearer ${token}` });
    expect(exported.status).toBe(200);
    expect(exported.body.toString()).toContain('"shipped"');
    expect((await local.client.call<AccountView>('getAccount')).retrieval).toEqual({ allowed: true, reason: null });
  });

  it('when a terminating account has an amount due, then the owner can neither read nor write content until it is paid', async () => {
    const { uid, token } = await customer(local.client, 'zh-TW', 'owing');
    await setDoc(doc(clientDb(), `accounts/${uid}/orders/o1`), { total: 1200 });
    const invoice = invoiceData(uid, -3);
    await staffCall('adminRecordInvoice', invoice);
    await local.client.call('requestTermination', null);

    const order = doc(clientDb(), `accounts/${uid}/orders/o1`);
    expect({ read: await outcome(getDoc(order)), write: await outcome(setDoc(order, { total: 1 })) }).toEqual({ read: 'permission-denied', write: 'permission-denied' });
    expect((await get(exportUrl(local.server.baseUrl), { Authorization: `Bearer ${token}` })).status).toBe(402);
    expect((await local.client.call<AccountView>('getAccount')).retrieval).toEqual({ allowed: false, reason: 'AMOUNTS_DUE' });
    expect((await db().doc(`accounts/${uid}/orders/o1`).get()).data()).toEqual({ total: 1200 });

    await staffCall('adminRecordPayment', { uid, invoiceId: invoice.invoiceId });
    expect({ read: await outcome(getDoc(order)), write: await outcome(setDoc(order, { total: 1250 })) }).toEqual({ read: 'allowed', write: 'allowed' });
  });
});

describe('the exact instant (use cases with a fixed clock)', () => {
  const T = new Date('2031-03-09T16:00:00.000Z'); // 00:00 on 10 March 2031, Taipei

  /** The account in `fact`'s shape, an API key for it, and deps whose clock the test sets. */
  async function ending(fact: 'termination.effectiveAt' | 'contract.endsAt') {
    const clock = fixedClock(new Date(T.getTime() - 40 * 24 * 60 * MINUTE));
    const deps = createDeps(loadConfig(), { clock });
    const at = Timestamp.fromDate(T);
    const account = await seedAccount(clock.now(), fact === 'contract.endsAt'
      ? { contract: { startsAt: Timestamp.fromDate(clock.now()), endsAt: at } }
      : { status: 'terminating', termination: { kind: 'convenience', initiatedBy: 'customer', reason: 'r', noticeAt: Timestamp.fromDate(clock.now()), effectiveAt: at, contentDestroyedAt: null } });
    const { key, hash, prefix } = generateApiKey();
    const keyRef = db().collection('accounts').doc(account.uid).collection('apiKeys').doc();
    await keyRef.set({ label: 'pos', hash, prefix, createdAt: Timestamp.fromDate(clock.now()), lastUsedAt: null, revokedAt: null });
    await db().collection('apiKeyIndex').doc(hash).set({ uid: account.uid, keyId: keyRef.id });
    return { deps, clock, uid: account.uid, key };
  }

  /** What each entry point answers at the clock's current instant: 'ok' or the refusal's reason. */
  async function decisions(deps: ReturnType<typeof createDeps>, uid: string, key: string): Promise<Record<string, string>> {
    const caller = customerCaller(uid);
    const reasonOf = async (attempt: Promise<unknown>, httpCodes: Partial<Record<Reason, number>> = {}): Promise<string> => {
      try {
        await attempt;
        return 'ok';
      } catch (error) {
        if (error instanceof AppError) return `${httpCodeOf(error, httpCodes)} ${error.reason}`;
        throw error;
      }
    };
    const signIn = await beforeSignIn(deps, { type: 'beforeSignIn', eventId: 'e', signInMethod: 'password', locale: null, ipAddress: null, userAgent: null, user: { uid, email: null, emailVerified: true, displayName: null, providerIds: ['password'] } });
    return {
      getAccount: await reasonOf(getAccount(deps, caller)),
      exportContent: await reasonOf(exportContent(deps, caller), DOWNLOAD_HTTP_CODE_OF),
      apiKey: await reasonOf(authenticateApiKey(deps, key, { ip: '127.0.0.1' })),
      listActivity: await reasonOf(listActivity(deps, uid, { pageSize: 1 })),
      beforeSignIn: signIn.kind === 'allow' ? 'ok' : signIn.reason,
    };
  }

  it.each(['termination.effectiveAt', 'contract.endsAt'] as const)('when the clock reaches %s exactly, then every entry point refuses; a millisecond before, each one serves the owner', async (fact) => {
    const { deps, clock, uid, key } = await ending(fact);
    clock.set(new Date(T.getTime() - 1));
    expect(await decisions(deps, uid, key)).toEqual({ getAccount: 'ok', exportContent: 'ok', apiKey: 'ok', listActivity: 'ok', beforeSignIn: 'ok' });
    clock.set(T);
    expect(await decisions(deps, uid, key)).toEqual({
      getAccount: '403 ACCOUNT_TERMINATED',
      exportContent: '410 ACCOUNT_TERMINATED',
      apiKey: '401 API_KEY_ACCOUNT_INACTIVE',
      listActivity: '403 ACCOUNT_TERMINATED',
      beforeSignIn: 'ACCOUNT_TERMINATED',
    });
  });
});
