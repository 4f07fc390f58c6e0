import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake Admin API received. */
export interface RecordedRequest {
  readonly method: string;
  /** Decoded path, without the query string. */
  readonly path: string;
  /** Query parameters, without the transport's own (`$alt`). */
  readonly query: Record<string, string>;
  readonly body: Record<string, unknown>;
  readonly authorization: string | undefined;
}

/** A JSON answer: status and body. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A local HTTP endpoint standing in for the Firestore Admin API's REST surface (what the official
 * client speaks with `fallback: 'rest'`). It records every request and answers from `replies`:
 * `export`, `import` and `create` (a database) for the three RPCs; `databases` by id for
 * `GET /v1/projects/<p>/databases/<id>` (404 for others); and one queue per operation name for
 * `GET /v1/<name>` (the last answer repeats).
 */
export interface FakeAdminApi {
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  export: Reply;
  import: Reply;
  create: Reply;
  readonly databases: Map<string, Reply>;
  readonly operations: Map<string, Reply[]>;
  /** Forgets the recorded requests, databases and operations, for the next test. */
  reset(): void;
  close(): Promise<void>;
}

const TYPE = 'type.googleapis.com/google.firestore.admin.v1.';

/** A database as `GET /v1/projects/<p>/databases/<id>` answers it. */
export function database(projectId: string, id: string, locationId = 'asia-east1'): Reply {
  return { status: 200, body: { name: `projects/${projectId}/databases/${id}`, locationId, type: 'FIRESTORE_NATIVE' } };
}

const RESPONSES = {
  Export: { '@type': `${TYPE}ExportDocumentsResponse`, outputUriPrefix: 'gs://x/' },
  Import: { '@type': 'type.googleapis.com/google.protobuf.Empty' },
  CreateDatabase: { '@type': `${TYPE}Database`, name: 'projects/p/databases/created', locationId: 'asia-east1', type: 'FIRESTORE_NATIVE' },
};

/** A long-running operation as the REST API returns it. */
export function operation(
  name: string,
  kind: 'Export' | 'Import' | 'CreateDatabase',
  state: { done?: boolean; error?: { code: number; message: string }; documents?: number; bytes?: number; estimated?: number } = {},
): Reply {
  // CreateDatabaseMetadata has no fields.
  const metadata = kind === 'CreateDatabase' ? { '@type': `${TYPE}CreateDatabaseMetadata` } : {
    '@type': `${TYPE}${kind}DocumentsMetadata`,
    operationState: state.error ? 'FAILED' : state.done ? 'SUCCESSFUL' : 'PROCESSING',
    ...(state.documents === undefined ? {} : { progressDocuments: { completedWork: String(state.documents), estimatedWork: String(state.estimated ?? state.documents) } }),
    ...(state.bytes === undefined ? {} : { progressBytes: { completedWork: String(state.bytes), estimatedWork: String(state.bytes) } }),
  };
  const end = state.error
    ? { error: state.error }
    : state.done
      ? { response: RESPONSES[kind] }
      : {};
  return { status: 200, body: { name, metadata, done: state.done === true || state.error !== undefined, ...end } };
}

export async function fakeAdminApi(): Promise<FakeAdminApi> {
  const requests: RecordedRequest[] = [];
  const fake = {
    requests,
    export: { status: 500, body: {} } as Reply,
    import: { status: 500, body: {} } as Reply,
    create: { status: 500, body: {} } as Reply,
    databases: new Map<string, Reply>(),
    operations: new Map<string, Reply[]>(),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const path = decodeURIComponent(url.pathname);
      const query = Object.fromEntries([...url.searchParams].filter(([k]) => !k.startsWith('$')));
      requests.push({ method: req.method ?? '', path, query, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {}, authorization: req.headers.authorization });
      let reply: Reply = { status: 404, body: { error: { code: 404, message: `no route ${path}`, status: 'NOT_FOUND' } } };
      if (req.method === 'POST' && path.endsWith(':exportDocuments')) reply = fake.export;
      else if (req.method === 'POST' && path.endsWith(':importDocuments')) reply = fake.import;
      else if (req.method === 'POST' && /^\/v1\/projects\/[^/]+\/databases$/.test(path)) reply = fake.create;
      else if (req.method === 'GET' && /^\/v1\/projects\/[^/]+\/databases\/[^/]+$/.test(path)) reply = fake.databases.get(path.split('/').pop() ?? '') ?? reply;
      else if (req.method === 'GET') {
        const queue = fake.operations.get(path.replace(/^\/v1\//, ''));
        if (queue && queue.length > 0) reply = (queue.length > 1 ? queue.shift() : queue[0]) as Reply;
      }
      res.writeHead(reply.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${port}`,
    reset: () => {
      requests.length = 0;
      fake.databases.clear();
      fake.operations.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
