import * as functions from '@google-cloud/functions-framework';
import { httpsCallable } from 'firebase/functions';
import { z } from 'zod';
import { callable } from '../../src/http/callable';
import { AppError } from '../../src/shared/errors';
import { loggedLines } from '../support/captured-logs';
import { callError, createClient, rawCall, setClaims, type TestClient } from '../support/client';
import { startFunctionsServer, type RunningServer } from '../support/server';

// httpsCallable(…).stream() sends `Accept: text/event-stream` and reads only `data:` lines.
functions.http(
  'streamEcho',
  callable('streamEcho', {
    auth: 'required',
    allowUnverified: true,
    input: z.object({ echo: z.string().max(10) }).strict(),
    handler: async (_deps, input, { caller }) => ({ uid: caller.uid, echo: input.echo, at: new Date('2025-01-02T03:04:05.000Z') }),
  }),
);
functions.http('streamAdmin', callable('streamAdmin', { auth: 'required', roles: ['admin'], allowUnverified: true, input: z.null(), handler: async () => 'ok' }));
functions.http(
  'streamThrows',
  callable('streamThrows', {
    auth: 'none',
    input: z.object({ crash: z.boolean() }),
    handler: async (_deps, input) => {
      if (input.crash) throw new Error('db password is hunter2');
      throw new AppError('AMOUNTS_DUE', 'Pay first.', { invoices: ['inv-1'] });
    },
  }),
);

let server: RunningServer;
let client: TestClient;
beforeAll(async () => {
  server = await startFunctionsServer(['streamEcho', 'streamAdmin', 'streamThrows']);
  client = createClient(server.port);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

/** The final result of `httpsCallable(name).stream(data)`, or a clear failure when the SDK never settles it. */
async function streamed(name: string, data: unknown): Promise<unknown> {
  const { data: result } = await httpsCallable(client.functions, name).stream(data);
  let timer: NodeJS.Timeout | undefined;
  const never = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('the SDK stream never settled')), 5000);
  });
  return Promise.race([result, never]).finally(() => clearTimeout(timer));
}

/** A raw streaming call and the `data:` events of its answer. */
async function rawStream(name: string, init: { body?: string; headers?: Record<string, string>; method?: string } = {}) {
  const answer = await rawCall(`${server.baseUrl}/${name}`, { ...init, headers: { Accept: 'text/event-stream', ...init.headers } });
  const events = answer.text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
  return { ...answer, events };
}

describe('httpsCallable(…).stream() against our callables', () => {
  it('when a signed-in user streams a call, then its data resolves to the result, dates as ISO strings', async () => {
    const { uid } = await client.signUp();
    await expect(streamed('streamEcho', { echo: 'hi' })).resolves.toStrictEqual({ uid, echo: 'hi', at: '2025-01-02T03:04:05.000Z' });
  });

  it('when the answer is streamed, then it is one data event of a 200 text/event-stream that no cache keeps', async () => {
    const { token } = await client.signUp();
    const answer = await rawStream('streamEcho', { body: JSON.stringify({ data: { echo: 'raw' } }), headers: { Authorization: `Bearer ${token}` } });
    expect([answer.status, answer.headers.get('content-type'), answer.headers.get('cache-control')]).toEqual([200, expect.stringMatching(/^text\/event-stream/), 'no-store']);
    expect(answer.text).toMatch(/^data: \{"result":\{.*\}\}\n\n$/);
  });

  it.each([
    ['nobody is signed in', 'functions/unauthenticated', 'NO_CREDENTIALS', false, { echo: 'x' }],
    ['the data is invalid', 'functions/invalid-argument', 'INVALID_ARGUMENT', true, { echo: 'far too long for ten' }],
  ])('when %s, then the streamed call rejects with %s and details.reason %s', async (_case, code, reason, signedIn, data) => {
    if (signedIn) await client.signUp();
    else await client.signOut();
    const error = await callError(() => streamed('streamEcho', data));
    expect([error.code, error.details?.reason]).toEqual([code, reason]);
  });

  it('when a signed-in user without the admin role streams a staff function, then permission-denied ROLE_REQUIRED', async () => {
    const { uid } = await client.signUp();
    await setClaims(uid, { role: 'support' });
    await client.auth.currentUser?.getIdToken(true);
    const error = await callError(() => streamed('streamAdmin', null));
    expect([error.code, error.details?.reason]).toEqual(['functions/permission-denied', 'ROLE_REQUIRED']);
  });

  it('when the use case refuses, then the streamed call rejects with its status, message and details', async () => {
    const error = await callError(() => streamed('streamThrows', { crash: false }));
    expect([error.code, error.message, error.details]).toEqual(['functions/failed-precondition', expect.stringMatching(/^Pay first\./), { reason: 'AMOUNTS_DUE', invoices: ['inv-1'] }]);
  });

  it('when the use case crashes, then the stream carries the generic internal error, nothing of the cause, and the crash is logged', async () => {
    // The crash is logged (ERROR): captured by support/captured-logs.ts, asserted here.
    const crashes = () => loggedLines('callable.failed').filter((line) => line.function === 'streamThrows');
    const earlier = crashes().length;
    const error = await callError(() => streamed('streamThrows', { crash: true }));
    expect([error.code, error.details?.reason]).toEqual(['functions/internal', 'INTERNAL']);
    const answer = await rawStream('streamThrows', { body: JSON.stringify({ data: { crash: true } }) });
    expect([answer.status, answer.events.length]).toEqual([200, 1]);
    expect(answer.events[0]).toMatchObject({ error: { status: 'INTERNAL', details: { reason: 'INTERNAL' } } });
    expect(answer.text).not.toMatch(/hunter2/);
    expect(crashes()).toHaveLength(earlier + 2);
  });

  it('when a streaming request uses GET, then the refusal is an event naming METHOD_NOT_ALLOWED, with Allow set', async () => {
    const answer = await rawStream('streamAdmin', { method: 'GET' });
    expect([answer.status, answer.headers.get('allow'), answer.events.length]).toEqual([200, 'POST, OPTIONS', 1]);
    expect(answer.events[0]).toMatchObject({ error: { status: 'INVALID_ARGUMENT', details: { reason: 'METHOD_NOT_ALLOWED' } } });
  });

  it('when a streaming request comes from another origin, then the refusal is an event and nothing grants CORS', async () => {
    const answer = await rawStream('streamThrows', { body: JSON.stringify({ data: { crash: false } }), headers: { Origin: 'https://evil.example' } });
    expect([answer.headers.get('access-control-allow-origin'), answer.events.length]).toEqual([null, 1]);
    expect(answer.events[0]).toMatchObject({ error: { status: 'PERMISSION_DENIED', details: { reason: 'ORIGIN_NOT_ALLOWED' } } });
  });
});
