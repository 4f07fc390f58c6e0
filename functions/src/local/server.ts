import * as http from 'node:http';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { ScheduledJob } from './schedule';

/** Where the local server answers, following the Firebase Functions emulator's URL scheme. */
export interface LocalServerOptions {
  readonly projectId: string;
  readonly region: string;
  readonly functionNames: readonly string[];
}

function notFound(res: http.ServerResponse, message: string): void {
  res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error: { status: 'NOT_FOUND', message, details: { reason: 'NO_SUCH_FUNCTION' } } }));
}

/**
 * One HTTP server for every registered function, at `/<project>/<region>/<name>` (so
 * `connectFunctionsEmulator` works unchanged), `/.well-known/security.txt` and `/security-policy`. Each function runs
 * inside the functions-framework's own server, so local requests see production's middleware.
 */
export function createLocalServer(options: LocalServerOptions): http.Server {
  const servers = new Map<string, http.Server>();
  const serverFor = (name: string): http.Server => {
    let server = servers.get(name);
    if (!server) {
      server = getTestServer(name);
      servers.set(name, server);
    }
    return server;
  };
  const prefix = `/${options.projectId}/${options.region}/`;

  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    let name: string | undefined;
    let rest = '/';
    if (url.pathname === '/.well-known/security.txt') {
      name = 'securityTxt';
    } else if (url.pathname === '/security-policy') {
      name = 'securityPolicy';
    } else if (url.pathname.startsWith(prefix)) {
      const [first, ...more] = url.pathname.slice(prefix.length).split('/');
      name = first;
      rest = `/${more.join('/')}`;
    } else if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ functions: options.functionNames.map((n) => `${prefix}${n}`) }, null, 2));
      return;
    }
    if (!name || !options.functionNames.includes(name)) {
      notFound(res, `No function at ${url.pathname}. Functions live under ${prefix}<name>.`);
      return;
    }
    req.url = `${rest}${url.search}`;
    serverFor(name).emit('request', req, res);
  });
}

/**
 * The local stand-in for Cloud Scheduler: POSTs `{}` to each job's function on its interval.
 * @returns a function that stops every timer.
 */
export function startLocalCron(
  jobs: readonly ScheduledJob[],
  baseUrl: string,
  onResult: (job: string, status: number | Error, body: string) => void,
): () => void {
  const timers = jobs.map((job) =>
    setInterval(() => {
      fetch(`${baseUrl}/${job.name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
        .then(async (response) => onResult(job.name, response.status, await response.text()))
        .catch((error: unknown) => onResult(job.name, error instanceof Error ? error : new Error(String(error)), ''));
    }, job.everyMinutes * 60_000),
  );
  return () => timers.forEach((t) => clearInterval(t));
}
