import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudSchedulerClient } from '@google-cloud/scheduler';

/** One request the recorder received. */
export interface SchedulerRequest {
  readonly method: string;
  /** Decoded path, without the query string. */
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly authorization: string | undefined;
}

/**
 * A local stand-in for the Cloud Scheduler v1 REST surface for jobs (what the official client
 * speaks with `fallback: 'rest'`): GET a job (404 until created), POST `<parent>/jobs` to create,
 * PATCH `<job name>` to update. Jobs are kept in proto3 JSON form, keyed by name, so a test can
 * make one drift; every request is recorded.
 */
export interface SchedulerRecorder {
  readonly endpoint: string;
  readonly requests: SchedulerRequest[];
  readonly jobs: Map<string, Record<string, unknown>>;
  /** A real `CloudSchedulerClient` talking to this recorder. */
  client(): CloudSchedulerClient;
  close(): Promise<void>;
}

const JOB = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/jobs\/[^/]+)$/;
const JOBS = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+)\/jobs$/;

export async function startSchedulerRecorder(): Promise<SchedulerRecorder> {
  const requests: SchedulerRequest[] = [];
  const jobs = new Map<string, Record<string, unknown>>();
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      requests.push({ method: req.method ?? '', path, body, authorization: req.headers.authorization });
      const send = (status: number, data: unknown): void => {
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(data));
      };
      const notFound = (what: string): void => send(404, { error: { code: 404, message: `${what} not found`, status: 'NOT_FOUND' } });
      const one = JOB.exec(path)?.[1];
      const parent = JOBS.exec(path)?.[1];
      if (req.method === 'POST' && parent) {
        const name = String(body.name);
        if (!name.startsWith(`${parent}/jobs/`)) return send(400, { error: { code: 400, message: 'job name outside parent', status: 'INVALID_ARGUMENT' } });
        if (jobs.has(name)) return send(409, { error: { code: 409, message: 'Job already exists', status: 'ALREADY_EXISTS' } });
        // Like the real API: output-only fields are added by the server.
        jobs.set(name, { ...body, state: 'ENABLED', userUpdateTime: new Date().toISOString() });
        return send(200, jobs.get(name));
      }
      if (!one) return notFound(`route ${req.method ?? ''} ${path}`);
      const job = jobs.get(one);
      if (!job) return notFound(`Job ${one}`);
      if (req.method === 'PATCH') {
        jobs.set(one, { ...job, ...body, name: one, userUpdateTime: new Date().toISOString() });
        return send(200, jobs.get(one));
      }
      if (req.method === 'GET') return send(200, job);
      return send(405, { error: { code: 405, message: 'method not allowed' } });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const clients: CloudSchedulerClient[] = [];
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    jobs,
    client: () => {
      const client = new CloudSchedulerClient({ apiEndpoint: '127.0.0.1', port, protocol: 'http', fallback: true, authClient: presetAuthClient() } as ConstructorParameters<typeof CloudSchedulerClient>[0]);
      clients.push(client);
      return client;
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      });
    },
  };
}

/**
 * An OAuth2 client holding a preset token, so neither the metadata server nor Google is asked for
 * credentials. It comes from the google-auth-library that the scheduler's own google-gax resolves
 * (gax 5 → auth v10 here; gax 4 needed v9, see src/backups/admin-client.ts): gax checks the shape
 * of the headers that library returns. Its HTTP goes through Node's own `fetch`: gaxios 7 would
 * otherwise `import('node-fetch')` dynamically, which jest's module sandbox refuses.
 */
function presetAuthClient(): unknown {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const gax = require.resolve('google-gax', { paths: [require.resolve('@google-cloud/scheduler')] });
  const auth = require(require.resolve('google-auth-library', { paths: [gax] })) as typeof import('google-auth-library');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const client = new auth.OAuth2Client({ transporterOptions: { fetchImplementation: globalThis.fetch } });
  client.setCredentials({ access_token: 'scheduler-recorder-token', expiry_date: Date.now() + 365 * 86_400_000 });
  return client;
}
