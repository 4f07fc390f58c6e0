import {
  GoogleAuthProvider,
  OAuthProvider,
  createUserWithEmailAndPassword,
  signInAnonymously,
  signInWithCredential,
} from 'firebase/auth';
import type { AccountDoc } from '../../src/accounts/model';
import { getDeps } from '../../src/deps';
import { registerBlockingFunctions } from '../support/blocking';
import { callError, createClient, uniqueEmail, type TestClient } from '../support/client';
import { startFunctionsServer, type RunningServer } from '../support/server';

// Sign-ups and sign-ins through the real client SDK and the real Auth emulator, which calls our
// beforeCreate / beforeSignIn over HTTP exactly as Identity Platform does in production.

let server: RunningServer;
let client: TestClient;

beforeAll(async () => {
  server = await startFunctionsServer();
  await registerBlockingFunctions(server.baseUrl);
  client = createClient(server.port);
});
afterAll(async () => {
  // The registration is global to the emulator: other test files must not be routed to a closed port.
  await registerBlockingFunctions(null);
  await client.close();
  await server.close();
});
beforeEach(async () => {
  await client.signOut();
  client.auth.languageCode = null;
});

const SUPPORT = 'orderpally.service@17.live';
const PASSWORD = 'correct horse battery';

async function account(uid: string): Promise<AccountDoc | undefined> {
  return (await getDeps().db.collection('accounts').doc(uid).get()).data() as AccountDoc | undefined;
}

async function activity(uid: string): Promise<Record<string, unknown>[]> {
  const snap = await getDeps().db.collection('accounts').doc(uid).collection('activity').get();
  return snap.docs.map((d) => d.data());
}


function facebookCredential(sub: string, email: string, name: string) {
  return new OAuthProvider('facebook.com').credential({ idToken: JSON.stringify({ sub, email, name }) });
}

async function setStatus(uid: string, status: AccountDoc['status']): Promise<void> {
  await getDeps().db.collection('accounts').doc(uid).update({ status });
}

describe('beforeCreate through the Auth emulator', () => {
  it('when someone signs up with email and password, then accounts/{uid} is created active, in zh-TW, owing nothing, with its activity', async () => {
    const email = uniqueEmail('signup');
    const { uid } = await client.signUp(email, PASSWORD);
    const doc = await account(uid);
    expect(doc).toMatchObject({
      uid,
      email,
      displayName: null,
      providers: ['password'],
      emailVerified: false,
      locale: 'zh-TW',
      status: 'active',
      termination: null,
      suspension: null,
      contract: { endsAt: null },
      billing: { amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: null },
    });
    expect(doc?.createdAt.toMillis()).toBe(doc?.updatedAt.toMillis());
    // The sign-up is also the account's first sign-in (Identity Platform calls beforeSignIn after beforeCreate).
    const entries = (await activity(uid)).sort((a, b) => (a.action === 'account.created' ? -1 : b.action === 'account.created' ? 1 : 0));
    expect(entries.map((e) => e.action)).toEqual(['account.created', 'auth.signIn']);
    expect(entries[0]).toMatchObject({
      action: 'account.created',
      actor: { uid: null, role: 'system' },
      details: { via: 'beforeCreate', providers: ['password'], locale: 'zh-TW' },
    });
  });

  it('when the client app sets its language to en, then the emulator does not pass it on (it always sends "en") and the account keeps the zh-TW default', async () => {
    // The English path is covered with an Identity Platform-style event in use-cases.test.ts.
    client.auth.languageCode = 'en';
    const { uid } = await client.signUp(uniqueEmail('signup-en'), PASSWORD);
    expect((await account(uid))?.locale).toBe('zh-TW');
  });

  it('when someone signs in with Facebook for the first time, then an account with providers [facebook.com] is created', async () => {
    const email = uniqueEmail('fb');
    const sub = `fb-${Date.now()}`;
    const { user } = await signInWithCredential(client.auth, facebookCredential(sub, email, 'Mei Lin'));
    expect(user.providerData.map((p) => p.providerId)).toEqual(['facebook.com']);
    expect(await account(user.uid)).toMatchObject({
      uid: user.uid,
      email,
      displayName: 'Mei Lin',
      providers: ['facebook.com'],
      status: 'active',
      locale: 'zh-TW',
    });
    expect((await activity(user.uid)).map((e) => e.action).sort()).toEqual(['account.created', 'auth.signIn']);

    // …and signing in with Facebook again is a beforeSignIn that lets them through, no new account.
    await client.signOut();
    const again = await signInWithCredential(client.auth, facebookCredential(sub, email, 'Mei Lin'));
    expect(again.user.uid).toBe(user.uid);
    expect((await activity(user.uid)).map((e) => e.action).sort()).toEqual(['account.created', 'auth.signIn', 'auth.signIn']);
  });

  it('when someone signs in with Google, then it is refused with our message, and neither an account nor an Auth user is created', async () => {
    const email = uniqueEmail('google');
    const error = await callError(() =>
      signInWithCredential(client.auth, GoogleAuthProvider.credential(JSON.stringify({ sub: `g-${Date.now()}`, email }))),
    );
    expect(error.message).toMatch(/Signing in with Google is not allowed\. OrderPally accepts only an email address with a password, or Facebook\./);
    expect(error.message).toMatch(/SIGN_IN_METHOD_NOT_ALLOWED/);
    expect(client.auth.currentUser).toBeNull();
    expect((await getDeps().db.collection('accounts').where('email', '==', email).get()).empty).toBe(true);
    await expect(getDeps().auth.getUserByEmail(email)).rejects.toMatchObject({ code: 'auth/user-not-found' });
  });

  it('when a new user is refused, then the client SDK reports it as a blocking-function error carrying our message', async () => {
    const error = await callError(() =>
      signInWithCredential(client.auth, GoogleAuthProvider.credential(JSON.stringify({ sub: `g2-${Date.now()}`, email: uniqueEmail('g2') }))),
    );
    expect(error.code).toMatch(/^auth\//);
    expect(error.message).toMatch(/BLOCKING_FUNCTION_ERROR_RESPONSE|HTTP error 403/);
  });
});

describe('beforeSignIn through the Auth emulator', () => {
  async function signedUpUser(): Promise<{ uid: string; email: string }> {
    const email = uniqueEmail('returning');
    const { uid } = await client.signUp(email, PASSWORD);
    await client.signOut();
    return { uid, email };
  }

  it('when an active user comes back, then they sign in', async () => {
    const { uid, email } = await signedUpUser();
    await expect(client.signIn(email, PASSWORD)).resolves.toMatchObject({ uid });
  });

  it('when the account is terminating (notice given, date not reached), then they still sign in', async () => {
    const { uid, email } = await signedUpUser();
    await setStatus(uid, 'terminating');
    await expect(client.signIn(email, PASSWORD)).resolves.toMatchObject({ uid });
  });

  it('when the account is suspended, then sign-in is refused with our message', async () => {
    const { uid, email } = await signedUpUser();
    await setStatus(uid, 'suspended');
    const error = await callError(() => client.signIn(email, PASSWORD));
    expect(error.message).toContain(`This OrderPally account is suspended, so it cannot sign in. Contact ${SUPPORT} for help.`);
    expect(error.message).toContain('ACCOUNT_SUSPENDED');
    expect(client.auth.currentUser).toBeNull();
  });

  it('when the account is terminated, then sign-in is refused with our message', async () => {
    const { uid, email } = await signedUpUser();
    await setStatus(uid, 'terminated');
    const error = await callError(() => client.signIn(email, PASSWORD));
    expect(error.message).toContain('This OrderPally account has been terminated and can no longer sign in.');
    expect(error.message).toContain('ACCOUNT_TERMINATED');
    expect(client.auth.currentUser).toBeNull();
  });

  it('when a Facebook user is suspended, then their Facebook sign-in is refused too', async () => {
    const email = uniqueEmail('fb-suspended');
    const sub = `fbs-${Date.now()}`;
    const { user } = await signInWithCredential(client.auth, facebookCredential(sub, email, 'Suspended'));
    await client.signOut();
    await setStatus(user.uid, 'suspended');
    const error = await callError(() => signInWithCredential(client.auth, facebookCredential(sub, email, 'Suspended')));
    expect(error.message).toContain('ACCOUNT_SUSPENDED');
  });

  it('when the user has no account document (made with the Admin SDK, which skips beforeCreate), then sign-in is allowed and nothing is written', async () => {
    const email = uniqueEmail('admin-made');
    const { uid } = await getDeps().auth.createUser({ email, password: PASSWORD });
    await expect(client.signIn(email, PASSWORD)).resolves.toMatchObject({ uid });
    expect(await account(uid)).toBeUndefined();
  });
});

describe('what the Auth emulator does not send to blocking functions', () => {
  it('when a client signs in anonymously, then the emulator creates the user without calling beforeCreate (production refusal is covered in blocking-protocol.test.ts)', async () => {
    const { user } = await signInAnonymously(client.auth);
    expect(user.isAnonymous).toBe(true);
    expect(await account(user.uid)).toBeUndefined();
  });

  it('when someone signs up with createUserWithEmailAndPassword while the functions are registered, then the blocking call happens before the user exists', async () => {
    // Sanity check of the wiring the other tests rely on: the account exists as soon as the SDK returns.
    const { user } = await createUserWithEmailAndPassword(client.auth, uniqueEmail('wiring'), PASSWORD);
    expect(await account(user.uid)).toBeDefined();
  });
});
