import * as functions from '@google-cloud/functions-framework';
import { FirebaseError } from 'firebase/app';
import { signInAnonymously, signInWithCustomToken } from 'firebase/auth';
import { z } from 'zod';
import { getDeps } from '../../src/deps';
import { callable } from '../../src/http/callable';
import { loggedLines } from '../support/captured-logs';
import { callError, createClient, rawCall, setClaims, verifyEmail, type TestClient } from '../support/client';
import { startFunctionsServer, type RunningServer } from '../support/server';
import { AppError, REASONS, type Reason } from '../../src/shared/errors';
import { HTTP_STATUS, STATUS_OF } from '../../src/http/status';

// Probe functions exercising the callable layer the way real use cases will.
functions.http(
  'probeWhoAmI',
  callable('probeWhoAmI', {
    auth: 'required',
    allowUnverified: true,
    input: z.object({ echo: z.string().max(10) }).strict(),
    handler: async (_deps, input, { caller }) => ({ uid: caller?.uid, role: caller?.role, echo: input.echo }),
  }),
);
functions.http(
  'probeAnonymous',
  callable('probeAnonymous', {
    auth: 'optional',
    allowUnverified: true,
    input: z.null(),
    handler: async (_deps, _input, { caller }) => ({ signedIn: caller !== null }),
  }),
);
functions.http(
  'probeAdmin',
  callable('probeAdmin', { auth: 'required', roles: ['admin'], allowUnverified: true, input: z.null(), handler: async () => 'ok' }),
);
functions.http(
  'probeIp',
  callable('probeIp', { auth: 'none', input: z.null(), handler: async (_deps, _input, { ip }) => ip }),
);
functions.http(
  'probeVerifiedOnly',
  callable('probeVerifiedOnly', { auth: 'required', input: z.null(), handler: async () => 'ok' }),
);
functions.http(
  'probeThrows',
  callable('probeThrows', {
    auth: 'none',
    input: z.object({ status: z.string(), crash: z.boolean().optional() }),
    handler: async (_deps, input) => {
      if (input.crash) throw new Error('db password is hunter2');
      throw new AppError(input.status as Reason, `thrown ${input.status}`, { extra: 42 });
    },
  }),
);

let server: RunningServer;
let client: TestClient;

beforeAll(async () => {
  server = await startFunctionsServer(['probeWhoAmI', 'probeAnonymous', 'probeAdmin', 'probeThrows', 'probeVerifiedOnly', 'probeIp']);
  client = createClient(server.port);
});
afterAll(async () => {
  await client.close();
  await server.close();
});


describe('callable protocol through the Firebase JS SDK', () => {
  it('when a signed-in user calls with valid data, then httpsCallable gets the result with their uid', async () => {
    const { uid } = await client.signUp();
    await expect(client.call('probeWhoAmI', { echo: 'hi' })).resolves.toEqual({ uid, role: null, echo: 'hi' });
  });

  it('when the data is invalid, then the SDK sees invalid-argument naming the field', async () => {
    await client.signUp();
    const error = await callError(() => client.call('probeWhoAmI', { echo: 'far too long for ten' }));
    expect(error.code).toBe('functions/invalid-argument');
    expect(error.message).toMatch(/data\.echo/);
    expect((error as FirebaseError & { details: { issues: unknown[] } }).details.issues).toHaveLength(1);
  });

  it('when nobody is signed in, then a function that needs an ID token answers unauthenticated', async () => {
    await client.signOut();
    const error = await callError(() => client.call('probeWhoAmI', { echo: 'x' }));
    expect(error.code).toBe('functions/unauthenticated');
  });

  it('when auth is optional, then anonymous and signed-in callers both get through', async () => {
    await client.signOut();
    await expect(client.call('probeAnonymous', null)).resolves.toEqual({ signedIn: false });
    await client.signUp();
    await expect(client.call('probeAnonymous', null)).resolves.toEqual({ signedIn: true });
  });

  it.each([...REASONS])(
    'when a use case throws %s, then the SDK sees its status with its details',
    async (reason) => {
      const status = STATUS_OF[reason];
      const error = await callError(() => client.call('probeThrows', { status: reason }));
      expect(error.code).toBe(`functions/${status.toLowerCase().replace(/_/g, '-')}`);
      expect(error.message).toMatch(new RegExp(`^thrown ${reason}\\b`)); // the SDK appends " [<http code>]"
      expect((error as FirebaseError & { details: unknown }).details).toEqual({ reason, extra: 42 });
      const raw = await rawCall(`${server.baseUrl}/probeThrows`, { body: JSON.stringify({ data: { status: reason } }) });
      expect(raw.status).toBe(reason === 'METHOD_NOT_ALLOWED' ? 405 : HTTP_STATUS[status]);
    },
  );

  it('when a use case crashes, then the caller sees a generic internal error and nothing of the cause, and the crash is logged', async () => {
    const raw = await rawCall(`${server.baseUrl}/probeThrows`, { body: JSON.stringify({ data: { status: 'X', crash: true } }) });
    expect(raw.status).toBe(500);
    expect(raw.json?.error?.status).toBe('INTERNAL');
    expect(raw.text).not.toMatch(/hunter2/);
    expect(loggedLines('callable.failed')).toContainEqual(expect.objectContaining({ severity: 'ERROR', function: 'probeThrows' }));
  });
});

describe('ID token verification', () => {
  it('when the bearer token is garbage, then 401 TOKEN_INVALID', async () => {
    const raw = await rawCall(`${server.baseUrl}/probeWhoAmI`, {
      body: JSON.stringify({ data: { echo: 'x' } }),
      headers: { Authorization: 'Bearer not-a-jwt' },
    });
    expect(raw.status).toBe(401);
    expect(raw.json?.error).toMatchObject({ status: 'UNAUTHENTICATED', details: { reason: 'TOKEN_INVALID' } });
  });

  it('when the Authorization header is not a bearer token, then 401 MALFORMED_AUTHORIZATION', async () => {
    const raw = await rawCall(`${server.baseUrl}/probeWhoAmI`, {
      body: JSON.stringify({ data: { echo: 'x' } }),
      headers: { Authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(raw.status).toBe(401);
    expect(raw.json?.error?.details?.reason).toBe('MALFORMED_AUTHORIZATION');
  });

  it('when the token has expired, then 401 TOKEN_EXPIRED', async () => {
    const { token } = await client.signUp();
    const [header, payload] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, number>;
    const past = Math.floor(Date.now() / 1000) - 7200;
    const expired = `${header}.${Buffer.from(JSON.stringify({ ...claims, iat: past, auth_time: past, exp: past + 3600 })).toString('base64url')}.`;
    const raw = await rawCall(`${server.baseUrl}/probeWhoAmI`, {
      body: JSON.stringify({ data: { echo: 'x' } }),
      headers: { Authorization: `Bearer ${expired}` },
    });
    expect(raw.status).toBe(401);
    expect(raw.json?.error?.details?.reason).toBe('TOKEN_EXPIRED');
  });

  it('when the refresh tokens were revoked after sign-in, then the old ID token is refused', async () => {
    const { uid } = await client.signUp();
    await expect(client.call('probeWhoAmI', { echo: 'before' })).resolves.toMatchObject({ uid });
    // Revocation compares whole seconds: revoke in a later second than the token's auth_time.
    await new Promise((r) => setTimeout(r, 1100));
    await getDeps().auth.revokeRefreshTokens(uid);
    const error = await callError(() => client.call('probeWhoAmI', { echo: 'after' }));
    expect(error.code).toBe('functions/unauthenticated');
    expect((error as FirebaseError & { details: { reason: string } }).details.reason).toBe('TOKEN_REVOKED');
  });

  it('when the user is disabled, then their still-valid ID token is refused', async () => {
    const { uid } = await client.signUp();
    await getDeps().auth.updateUser(uid, { disabled: true });
    const error = await callError(() => client.call('probeWhoAmI', { echo: 'x' }));
    expect(error.code).toBe('functions/unauthenticated');
    expect((error as FirebaseError & { details: { reason: string } }).details.reason).toBe('USER_DISABLED');
  });
});

describe('verified identity (clause 5.2)', () => {
  it('when an email+password user has not verified their address, then FAILED_PRECONDITION EMAIL_NOT_VERIFIED', async () => {
    await client.signUp();
    const error = await callError(() => client.call('probeVerifiedOnly', null));
    expect(error.code).toBe('functions/failed-precondition');
    expect((error as FirebaseError & { details: { reason: string } }).details.reason).toBe('EMAIL_NOT_VERIFIED');
  });

  it('when the address is verified through the emulated email link, then the same call succeeds', async () => {
    await client.signUp();
    await verifyEmail(client);
    await expect(client.call('probeVerifiedOnly', null)).resolves.toBe('ok');
  });
});

describe('sign-in methods (clauses 5.1/5.2)', () => {
  it.each([
    ['an anonymous session', (c: TestClient) => signInAnonymously(c.auth)],
    ['a custom-token session', async (c: TestClient) => signInWithCustomToken(c.auth, await getDeps().auth.createCustomToken(`custom-${Date.now()}`))],
  ])('when %s calls, then UNAUTHENTICATED SIGN_IN_METHOD_NOT_ALLOWED', async (_how, signIn) => {
    await signIn(client);
    const error = await callError(() => client.call('probeWhoAmI', { echo: 'x' }));
    expect(error.code).toBe('functions/unauthenticated');
    expect((error as FirebaseError & { details: { reason: string } }).details.reason).toBe('SIGN_IN_METHOD_NOT_ALLOWED');
  });
});

describe('roles from the custom claim', () => {
  it.each([
    [null, 'functions/permission-denied'],
    ['support', 'functions/permission-denied'],
    ['owner', 'functions/permission-denied'],
  ])('when the role claim is %p, then an admin function is refused', async (role, code) => {
    const { uid } = await client.signUp();
    await setClaims(uid, role === null ? null : { role });
    await client.auth.currentUser?.getIdToken(true);
    const error = await callError(() => client.call('probeAdmin', null));
    expect(error.code).toBe(code);
  });

  it('when the role claim is admin, then the admin function runs and sees the role', async () => {
    const { uid } = await client.signUp();
    await setClaims(uid, { role: 'admin' });
    await client.auth.currentUser?.getIdToken(true);
    await expect(client.call('probeAdmin', null)).resolves.toBe('ok');
    await expect(client.call('probeWhoAmI', { echo: 'x' })).resolves.toMatchObject({ role: 'admin' });
  });
});

describe('HTTP edges', () => {
  it.each([
    [undefined, '127.0.0.1'],
    ['203.0.113.7', '203.0.113.7'],
    ['1.1.1.1, 203.0.113.7', '203.0.113.7'],
  ])('when X-Forwarded-For is %p, then the client address is the entry the trusted proxy added', async (xff, ip) => {
    const raw = await rawCall(`${server.baseUrl}/probeIp`, { body: '{"data":null}', headers: xff ? { 'X-Forwarded-For': xff } : {} });
    expect(String(raw.json?.result)).toMatch(new RegExp(`${ip.replace(/\./g, '\\.')}$`));
  });

  it('when the method is GET, then 405 in the callable error shape', async () => {
    const raw = await rawCall(`${server.baseUrl}/probeAnonymous`, { method: 'GET' });
    expect(raw.status).toBe(405);
    expect(raw.headers.get('allow')).toBe('POST, OPTIONS');
    expect(raw.json?.error?.status).toBe('INVALID_ARGUMENT');
  });

  it('when the body is malformed JSON, then a 400, never a 500', async () => {
    const raw = await rawCall(`${server.baseUrl}/probeAnonymous`, { body: '{"data": ' });
    expect(raw.status).toBe(400);
  });

  it.each([
    ['text/plain', 'hello', /Content-Type/],
    ['application/json', '{"nodata": 1}', /\{"data": …\}/],
    ['application/json', '[1,2]', /\{"data": …\}/],
  ])('when the body is %s %s, then 400 INVALID_ARGUMENT explains the shape', async (type, body, message) => {
    const raw = await rawCall(`${server.baseUrl}/probeAnonymous`, { body, headers: { 'Content-Type': type } });
    expect(raw.status).toBe(400);
    expect(raw.json?.error?.status).toBe('INVALID_ARGUMENT');
    expect(raw.json?.error?.message).toMatch(message);
  });

  it('when a browser on an allowed origin sends a preflight, then 204 with the CORS headers', async () => {
    const response = await fetch(`${server.baseUrl}/probeAnonymous`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.orderpally.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.orderpally.test');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });

  it('when a call comes from an allowed origin, then the answer carries Access-Control-Allow-Origin', async () => {
    const raw = await rawCall(`${server.baseUrl}/probeAnonymous`, {
      body: JSON.stringify({ data: null }),
      headers: { Origin: 'https://app.orderpally.test' },
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('access-control-allow-origin')).toBe('https://app.orderpally.test');
  });

  it.each(['OPTIONS', 'POST'])('when a %s comes from another origin, then 403 and no CORS grant', async (method) => {
    const raw = await rawCall(`${server.baseUrl}/probeAnonymous`, {
      method,
      body: method === 'POST' ? JSON.stringify({ data: null }) : undefined,
      headers: { Origin: 'https://evil.example' },
    });
    expect(raw.status).toBe(403);
    expect(raw.headers.get('access-control-allow-origin')).toBeNull();
    expect(raw.json?.error?.details?.reason).toBe('ORIGIN_NOT_ALLOWED');
  });
});
