import * as functions from '@google-cloud/functions-framework';
import { startLocalCron } from '../../src/local/server';
import { startFunctionsServer, type RunningServer } from '../support/server';

let calls = 0;
functions.http('probeJob', (req, res) => {
  calls += 1;
  res.json({ method: req.method, calls });
});

let server: RunningServer;
beforeAll(async () => {
  server = await startFunctionsServer(['probeJob']);
});
afterAll(() => server.close());

describe('local functions server', () => {
  it('when the path names no function, then 404 in the callable error shape', async () => {
    const response = await fetch(`${server.baseUrl}/noSuchFunction`, { method: 'POST' });
    expect(response.status).toBe(404);
    await expect(response.json()).resolves.toMatchObject({ error: { status: 'NOT_FOUND' } });
  });

  it('when the path is outside the project/region prefix, then 404', async () => {
    const response = await fetch(`${server.origin}/other-project/asia-east1/health`);
    expect(response.status).toBe(404);
  });

  it('when GET /, then it lists every function URL', async () => {
    const response = await fetch(`${server.origin}/`);
    const body = (await response.json()) as { functions: string[] };
    expect(body.functions).toEqual(expect.arrayContaining(['/demo-orderpally/asia-east1/health', '/demo-orderpally/asia-east1/securityTxt']));
  });

  it('when a job is scheduled, then the local cron POSTs to its function on each tick', async () => {
    const results: Array<number | Error> = [];
    const stop = startLocalCron([{ name: 'probeJob', everyMinutes: 0.001 }], server.baseUrl, (_job, status) => results.push(status));
    await new Promise((r) => setTimeout(r, 400));
    stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(results.length).toBeGreaterThanOrEqual(2);
    expect(results.every((s) => s === 200)).toBe(true);
    expect(calls).toBe(results.length);
  });
});
