import { createHmac } from 'node:crypto';
import type { AccountDoc } from '../../src/accounts/model';
import { getDeps } from '../../src/deps';
import { emulatorBlockingToken, type BlockingClaims } from '../support/blocking';
import { rawCall } from '../support/client';
import { PROJECT_ID, startFunctionsServer, type RunningServer } from '../support/server';

// The blocking-function wire protocol, spoken directly: what Identity Platform (or anyone else
// who can reach the URL) may POST, and what we answer.

let server: RunningServer;
let seq = 0;

beforeAll(async () => {
  server = await startFunctionsServer();
});
afterAll(async () => {
  await server.close();
});

const url = (name: 'beforeCreate' | 'beforeSignIn') => `${server.baseUrl}/${name}`;

function newUid(): string {
  seq += 1;
  return `proto-${process.pid}-${Date.now()}-${seq}`;
}

function token(name: 'beforeCreate' | 'beforeSignIn', uid: string, extra: Partial<BlockingClaims> = {}): string {
  return emulatorBlockingToken(url(name), {
    event_type: name,
    sub: uid,
    sign_in_method: 'password',
    locale: 'en',
    user_record: { uid, email: `${uid}@example.test`, email_verified: false, provider_data: [] },
    ...extra,
  });
}

function post(name: 'beforeCreate' | 'beforeSignIn', jwt: unknown) {
  return rawCall(url(name), { body: JSON.stringify({ data: { jwt } }) });
}

async function account(uid: string): Promise<AccountDoc | undefined> {
  return (await getDeps().db.collection('accounts').doc(uid).get()).data() as AccountDoc | undefined;
}

async function activityCount(uid: string): Promise<number> {
  return (await getDeps().db.collection('accounts').doc(uid).collection('activity').count().get()).data().count;
}

describe('allowed events', () => {
  it('when beforeCreate gets a password sign-up, then 200 {} and the account exists', async () => {
    const uid = newUid();
    const res = await post('beforeCreate', token('beforeCreate', uid));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
    expect(await account(uid)).toMatchObject({ uid, providers: ['password'], status: 'active' });
  });

  it('when beforeCreate is replayed for a uid that already has an account, then 200 and nothing is duplicated or changed, quickly', async () => {
    const uid = newUid();
    await post('beforeCreate', token('beforeCreate', uid));
    const before = await account(uid);
    const started = performance.now();
    const replay = await post('beforeCreate', token('beforeCreate', uid, { user_record: { uid, email: 'changed@example.test', display_name: 'Other' } }));
    const elapsed = performance.now() - started;
    expect(replay.status).toBe(200);
    expect(await account(uid)).toEqual(before);
    expect(await activityCount(uid)).toBe(1);
    expect(elapsed).toBeLessThan(2000); // Identity Platform gives up after 7 s
  });

  it('when beforeSignIn comes for a user without an account document, then 200 {} and nothing is written', async () => {
    const uid = newUid();
    const res = await post('beforeSignIn', token('beforeSignIn', uid));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
    expect(await account(uid)).toBeUndefined();
  });
});

describe('refused sign-in methods', () => {
  it.each([
    ['google.com', 'Google'],
    ['apple.com', 'Apple'],
    ['phone', 'a phone number'],
    ['anonymous', 'an anonymous (guest) session'],
    ['custom', 'a custom token'],
    ['emailLink', 'an email link'],
    ['oidc.example', 'oidc.example'],
  ])('when beforeCreate is for %s, then 403 PERMISSION_DENIED naming it, and no account is created', async (method, label) => {
    const uid = newUid();
    const res = await post('beforeCreate', token('beforeCreate', uid, { sign_in_method: method }));
    expect(res.status).toBe(403);
    expect(res.json?.error).toEqual({
      status: 'PERMISSION_DENIED',
      message: `Signing in with ${label} is not allowed. OrderPally accepts only an email address with a password, or Facebook.`,
      details: { reason: 'SIGN_IN_METHOD_NOT_ALLOWED', signInMethod: method },
    });
    expect(await account(uid)).toBeUndefined();
  });

  it.each(['google.com', 'anonymous', 'phone', 'custom'])('when beforeSignIn is for %s, then 403 even for an active account', async (method) => {
    const uid = newUid();
    await post('beforeCreate', token('beforeCreate', uid));
    const res = await post('beforeSignIn', token('beforeSignIn', uid, { sign_in_method: method }));
    expect(res.status).toBe(403);
    expect(res.json?.error?.details?.reason).toBe('SIGN_IN_METHOD_NOT_ALLOWED');
  });

  it('when the token names no sign-in method, then 403: unknown means no', async () => {
    const uid = newUid();
    const jwt = token('beforeCreate', uid, { sign_in_method: undefined });
    const res = await post('beforeCreate', jwt);
    expect(res.status).toBe(403);
    expect(res.json?.error?.message).toMatch(/sign-in method could not be determined/);
    expect(await account(uid)).toBeUndefined();
  });

  it('when a beforeCreate replay comes for a suspended account, then it is refused like a sign-in', async () => {
    const uid = newUid();
    await post('beforeCreate', token('beforeCreate', uid));
    await getDeps().db.collection('accounts').doc(uid).update({ status: 'suspended' });
    const res = await post('beforeCreate', token('beforeCreate', uid));
    expect(res.status).toBe(403);
    expect(res.json?.error?.details?.reason).toBe('ACCOUNT_SUSPENDED');
  });
});

describe('requests that are not a valid blocking event', () => {
  const cases: [string, () => Promise<Awaited<ReturnType<typeof rawCall>>>, number, string][] = [
    ['GET', () => rawCall(url('beforeCreate'), { method: 'GET' }), 405, 'INVALID_ARGUMENT'],
    ['a text body', () => rawCall(url('beforeCreate'), { body: 'jwt', headers: { 'Content-Type': 'text/plain' } }), 400, 'INVALID_ARGUMENT'],
    ['no data', () => rawCall(url('beforeCreate'), { body: '{}' }), 400, 'INVALID_ARGUMENT'],
    ['no jwt', () => rawCall(url('beforeCreate'), { body: '{"data": {}}' }), 400, 'INVALID_ARGUMENT'],
    ['a numeric jwt', () => post('beforeCreate', 42), 400, 'INVALID_ARGUMENT'],
    ['garbage', () => post('beforeCreate', 'not.a.jwt'), 400, 'INVALID_ARGUMENT'],
    ['one segment', () => post('beforeCreate', 'eyJhbGciOiJub25lIn0'), 400, 'INVALID_ARGUMENT'],
  ];
  it.each(cases)('when the request has %s, then a JSON %d, never a 500', async (_label, send, status, errorStatus) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.json?.error?.status).toBe(errorStatus);
  });

  it('when the payload has a numeric aud (which would crash the verifier), then 400 MALFORMED_BLOCKING_TOKEN', async () => {
    const uid = newUid();
    const res = await post('beforeCreate', emulatorBlockingToken(url('beforeCreate'), { event_type: 'beforeCreate', sub: uid, aud: 7 }));
    expect(res.status).toBe(400);
    expect(res.json?.error?.details?.reason).toBe('MALFORMED_BLOCKING_TOKEN');
  });

  it('when the token comes from another project, then 401 and nothing is written', async () => {
    const uid = newUid();
    const res = await post('beforeCreate', token('beforeCreate', uid, { iss: 'https://securetoken.google.com/someone-else' }));
    expect(res.status).toBe(401);
    expect(res.json?.error).toMatchObject({ status: 'UNAUTHENTICATED', details: { reason: 'BLOCKING_TOKEN_INVALID' } });
    expect(await account(uid)).toBeUndefined();
  });

  it('when a token minted for beforeSignIn is posted to beforeCreate, then 401 (audience)', async () => {
    const uid = newUid();
    const jwt = emulatorBlockingToken(url('beforeSignIn'), { event_type: 'beforeCreate', sub: uid, sign_in_method: 'password', user_record: { uid } });
    const res = await post('beforeCreate', jwt);
    expect(res.status).toBe(401);
    expect(await account(uid)).toBeUndefined();
  });

  it('when the token has expired, then 401 BLOCKING_TOKEN_EXPIRED', async () => {
    const uid = newUid();
    const past = Math.floor(Date.now() / 1000) - 3600;
    const res = await post('beforeCreate', token('beforeCreate', uid, { iat: past, exp: past + 600 }));
    expect(res.status).toBe(401);
    expect(res.json?.error?.details?.reason).toBe('BLOCKING_TOKEN_EXPIRED');
  });

  it('when the token is signed with a key of our own making, then 401 (only Identity Platform, or locally the unsigned emulator, is trusted)', async () => {
    const uid = newUid();
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = token('beforeCreate', uid).split('.')[1];
    const head = b64({ alg: 'HS256', typ: 'JWT', kid: 'forged' });
    const signature = createHmac('sha256', 'attacker-secret').update(`${head}.${unsigned}`).digest('base64url');
    const res = await post('beforeCreate', `${head}.${unsigned}.${signature}`);
    expect(res.status).toBe(401);
    expect(await account(uid)).toBeUndefined();
  });

  it('when the token is for another event than the function, then 400 and nothing is written', async () => {
    const uid = newUid();
    const jwt = emulatorBlockingToken(url('beforeCreate'), { event_type: 'beforeSignIn', sub: uid, sign_in_method: 'password', user_record: { uid } });
    const res = await post('beforeCreate', jwt);
    expect(res.status).toBe(400);
    expect(res.json?.error?.message).toMatch(/token is for beforeSignIn/);
    expect(await account(uid)).toBeUndefined();
  });

  it('when the subject and the user record disagree, then 400', async () => {
    const uid = newUid();
    const res = await post('beforeCreate', token('beforeCreate', uid, { user_record: { uid: `${uid}-other` } }));
    expect(res.status).toBe(400);
    expect(await account(uid)).toBeUndefined();
    expect(await account(`${uid}-other`)).toBeUndefined();
  });

  it('when the token has no user record, then 400', async () => {
    const uid = newUid();
    const jwt = emulatorBlockingToken(url('beforeCreate'), { event_type: 'beforeCreate', sub: uid, sign_in_method: 'password', user_record: undefined });
    const res = await post('beforeCreate', jwt);
    expect(res.status).toBe(400);
  });
});

describe('outside the emulator (production)', () => {
  it('when the Auth emulator is not configured, then an unsigned token is refused, whatever it claims', async () => {
    const { createDeps } = await import('../../src/deps');
    const { loadConfig } = await import('../../src/config');
    const { verifiedEvent } = await import('../../src/http/blocking');
    const saved = process.env.FIREBASE_AUTH_EMULATOR_HOST;
    try {
      delete process.env.FIREBASE_AUTH_EMULATOR_HOST; // firebase-admin decides emulator mode from the environment
      const deps = createDeps(loadConfig({ ...process.env, GCLOUD_PROJECT: PROJECT_ID }));
      const uid = newUid();
      const jwt = emulatorBlockingToken(`https://beforecreate-abc123-de.a.run.app`, {
        event_type: 'beforeCreate',
        sub: uid,
        sign_in_method: 'password',
        user_record: { uid },
      });
      await expect(verifiedEvent(deps, 'beforeCreate', jwt)).rejects.toMatchObject({ reason: 'BLOCKING_TOKEN_INVALID' });
    } finally {
      process.env.FIREBASE_AUTH_EMULATOR_HOST = saved;
    }
  });

  it('when choosing the audience, then production expects a run.app URI and the emulator this function\'s local path', async () => {
    const { blockingAudience } = await import('../../src/http/blocking');
    const { loadConfig } = await import('../../src/config');
    expect(blockingAudience(loadConfig({ GCLOUD_PROJECT: 'orderpally-prod' }), 'beforeCreate')).toBe('run.app');
    expect(blockingAudience(loadConfig({ GCLOUD_PROJECT: PROJECT_ID, FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' }), 'beforeSignIn')).toBe(
      `/${PROJECT_ID}/asia-east1/beforeSignIn`,
    );
  });
});
