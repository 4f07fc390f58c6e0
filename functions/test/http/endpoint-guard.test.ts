import { loadConfig } from '../../src/config';
import { createDeps } from '../../src/deps';
import { FUNCTIONS } from '../../src/index';
import { MANIFEST } from '../../src/manifest';
import { emulatorBlockingToken } from '../support/blocking';
import { loggedLines } from '../support/captured-logs';
import { rawCall } from '../support/client';
import { startFunctionsServer, type RunningServer } from '../support/server';
import { errorBody, INTERNAL_ERROR } from '../../src/http/status';

// This file plays a deployed instance: Cloud Run sets K_SERVICE, and this "deployment" also got
// the emulator variables the test stack sets (jest gives each test file its own process.env).
// The functions read the environment on their first request, as they do in production.
const emulatorHosts = [process.env.FIRESTORE_EMULATOR_HOST, process.env.FIREBASE_AUTH_EMULATOR_HOST].filter((h): h is string => Boolean(h));
process.env.K_SERVICE = 'orderpally-functions';

// The test's own view of the database, without the deployment marker.
const db = createDeps(loadConfig({ ...process.env, K_SERVICE: '' })).db;

let server: RunningServer;
beforeAll(async () => {
  server = await startFunctionsServer();
});
afterAll(async () => {
  await server.close();
});

/** How a client would reach each function: public ones and exportContent by GET, the rest by POST. */
function request(name: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  const get = ['health', 'securityTxt', 'securityPolicy', 'exportContent'].includes(name);
  return rawCall(`${server.baseUrl}/${name}`, get ? { method: 'GET' } : { body: init.body ?? JSON.stringify({ data: {} }), headers: init.headers });
}

// The refusal is logged (ERROR): captured by support/captured-logs.ts, asserted here.
const refusals = () => loggedLines('instance.refused');

describe('a deployed instance with emulator variables', () => {
  it('when any function is called, then it answers the generic 500 and runs nothing; health answers 503 naming the variables, never their values; one log line says why', async () => {
    const names = Object.keys(FUNCTIONS).filter((name) => name !== 'health');
    expect(names.length).toBeGreaterThan(30);
    for (const name of names) {
      const answer = await request(name);
      expect({ name, status: answer.status, body: answer.json }).toEqual({ name, status: 500, body: errorBody(INTERNAL_ERROR) });
    }

    // What the emulator shortcuts would otherwise let through: an unsigned blocking token, an
    // anonymous report that writes and mails, the local cron's credential-less loopback call.
    const forged = emulatorBlockingToken(`/${server.baseUrl.split('/').slice(-2).join('/')}/beforeCreate`, { event_type: 'beforeCreate', sub: `forged-${process.pid}` });
    expect((await request('beforeCreate', { body: JSON.stringify({ data: { jwt: forged } }) })).status).toBe(500);
    const summary = `guard probe ${process.pid}-${Date.now()}`;
    const report = { category: 'other', summary, description: 'Should never be stored.', contactEmail: 'guard-probe@example.test' };
    expect((await request('reportIncident', { body: JSON.stringify({ data: report }) })).status).toBe(500);
    expect((await db.collection('incidents').where('summary', '==', summary).get()).size).toBe(0);
    expect((await request('deliverMail', { body: '{}' })).status).toBe(500);

    const health = await request('health');
    expect(health.status).toBe(503);
    expect(health.headers.get('cache-control')).toBe('no-store');
    expect(health.json).toMatchObject({ ok: false, reason: 'EMULATOR_IN_DEPLOYMENT', variables: ['FIREBASE_AUTH_EMULATOR_HOST', 'FIRESTORE_EMULATOR_HOST'] });
    expect(health.text).toMatch(/unsigned ID tokens/);

    const logged = refusals();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ severity: 'ERROR', emulatorVariables: ['FIREBASE_AUTH_EMULATOR_HOST', 'FIRESTORE_EMULATOR_HOST'] });
    for (const host of emulatorHosts) expect([health.text, ...logged.map((line) => JSON.stringify(line))].join('\n')).not.toContain(host);
  });

  it('when a streaming client (httpsCallable(…).stream()) calls, then the generic error arrives as its one event', async () => {
    const answer = await request('listServiceNotices', { headers: { Accept: 'text/event-stream' } });
    expect([answer.status, answer.headers.get('content-type'), answer.text]).toEqual([
      200,
      expect.stringMatching(/^text\/event-stream/),
      `data: ${JSON.stringify(errorBody(INTERNAL_ERROR))}\n\n`,
    ]);
  });
});

describe('an instance whose configuration is invalid', () => {
  it('when the marker is gone but a key is invalid, then functions answer 500 and health 503 naming the key, logged once', async () => {
    delete process.env.K_SERVICE;
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'LOUD';
    const earlier = refusals().length;
    try {
      expect((await request('listServiceNotices')).status).toBe(500);
      expect((await request('listServiceNotices')).status).toBe(500);
      const health = await request('health');
      expect(health.status).toBe(503);
      expect(health.json).toMatchObject({ ok: false, reason: 'INVALID_CONFIG', variables: ['LOG_LEVEL'] });
      expect(refusals()).toHaveLength(earlier + 1);
    } finally {
      process.env.LOG_LEVEL = level;
    }
  });
});

describe('the same instance run locally (no deployment marker)', () => {
  it('when the environment is the local one, then health is OK and the local cron may call a scheduled function', async () => {
    const health = await request('health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ ok: true });
    expect((await request('deliverMail', { body: '{}' })).status).toBe(200);
    // The outbox is shared with earlier test files: the sweep may work through their leftovers for as
    // long as its declared timeout allows.
  }, MANIFEST.deliverMail.sizing.timeoutSeconds * 1000 + 30_000);
});
