import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the recorder received. */
export interface Recorded {
  readonly method: string;
  readonly path: string;
}

/**
 * A local stand-in for the Cloud Storage JSON API bucket endpoints (get, insert, patch, IAM
 * get/set, lockRetentionPolicy), keeping buckets in memory and recording every request, so the official
 * `@google-cloud/storage` client can be exercised without Google.
 */
export async function startGcsRecorder(): Promise<{ server: Server; endpoint: string; requests: Recorded[]; buckets: Map<string, Record<string, unknown>> }> {
  const requests: Recorded[] = [];
  const buckets = new Map<string, Record<string, unknown>>();
  const policies = new Map<string, unknown>();
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      requests.push({ method: req.method ?? '', path: url.pathname });
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const send = (status: number, data: unknown): void => {
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(data));
      };
      const m = /^\/storage\/v1\/b(?:\/([^/]+)(\/iam|\/lockRetentionPolicy)?)?$/.exec(url.pathname);
      const name = m?.[1] ? decodeURIComponent(m[1]) : undefined;
      if (!m) return send(404, { error: { code: 404, message: 'no route' } });
      if (req.method === 'POST' && !name) {
        const created = { ...body, location: String(body.location).toUpperCase(), metageneration: '1', kind: 'storage#bucket', id: body.name };
        buckets.set(String(body.name), created);
        return send(200, created);
      }
      const bucket = name ? buckets.get(name) : undefined;
      if (!name || !bucket) return send(404, { error: { code: 404, message: 'Not Found' } });
      if (m[2] === '/lockRetentionPolicy') {
        // Like the real API: only at the metageneration the caller read, only with a policy to lock.
        if (req.method !== 'POST') return send(405, { error: { code: 405, message: 'method not allowed' } });
        if (url.searchParams.get('ifMetagenerationMatch') !== String(bucket.metageneration)) {
          return send(412, { error: { code: 412, message: 'Precondition Failed' } });
        }
        if (!bucket.retentionPolicy) return send(400, { error: { code: 400, message: 'no retention policy to lock' } });
        Object.assign(bucket, { retentionPolicy: { ...bucket.retentionPolicy, isLocked: true }, metageneration: String(Number(bucket.metageneration) + 1) });
        return send(200, bucket);
      }
      if (m[2]) {
        if (req.method === 'PUT') policies.set(name, body);
        return send(200, policies.get(name) ?? { version: 1, bindings: [], etag: 'CAE=' });
      }
      if (req.method === 'PATCH') {
        Object.assign(bucket, body, { metageneration: String(Number(bucket.metageneration) + 1) });
        return send(200, bucket);
      }
      return send(200, bucket);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, buckets };
}
