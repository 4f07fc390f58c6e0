import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { constants as zlib, createGzip, type Gzip } from 'node:zlib';
import type { Deps } from '../deps';
import type { ChunkWriter, NdjsonStream, StreamSpec } from '../spec';
import { apiKeyVerifierFor, authenticate, type ApiKeyVerifier } from './auth';
import { DOWNLOAD_HTTP_CODE_OF, errorBody, statusOf } from './status';
import { clientIp } from './client-ip';
import { applyCors } from './cors';
import { endpoint, methodNotAllowed } from './endpoint';
import { withKind } from './kind';
import { AppError, fromZodError } from '../shared/errors';

/** The response's client disconnected: nothing more can be sent. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection');
    this.name = 'ClientGoneError';
  }
}

/** The last line of a stream that failed part-way, unless the failure was an AppError with its own body. */
const INCOMPLETE = new AppError('STREAM_INCOMPLETE', 'The answer failed part-way and is incomplete. It has been logged; please try again.');

// How long a failed stream may take to hand its last line to the socket before it is cut anyway.
const TAIL_TIMEOUT_MS = 10_000;

function drained(out: Writable, res: Response): Promise<void> {
  if (res.destroyed) return Promise.reject(new ClientGoneError());
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      out.off('drain', onDrain);
      reject(new ClientGoneError());
    };
    out.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/** Flushes `line` through the gzip stream and collects every compressed byte it still holds, without the gzip trailer. */
async function gzipTail(zip: Gzip, res: Response, line: string): Promise<Buffer> {
  zip.unpipe(res);
  const parts: Buffer[] = [];
  const take = (): void => {
    for (let part = zip.read() as Buffer | null; part !== null; part = zip.read() as Buffer | null) parts.push(part);
  };
  zip.on('readable', take); // keeps reading while the flush runs, so a full buffer cannot stall it
  zip.write(line);
  await new Promise<void>((resolve) => zip.flush(zlib.Z_SYNC_FLUSH, () => resolve()));
  take();
  zip.off('readable', take);
  return Buffer.concat(parts);
}

/**
 * Sends `stream` as `200 application/x-ndjson`, gzip-compressed when the request's
 * Accept-Encoding allows it. Headers go out with the first chunk, so a failure before it is still
 * an ordinary JSON error (thrown back to `endpoint`). A failure after it cannot change the status:
 * the last line becomes `{"error": …}` and the connection is cut without the end of the chunked
 * body (and without the gzip trailer), so no client can take the answer for a complete one.
 */
async function sendNdjson(deps: Deps, name: string, req: Request, res: Response, stream: NdjsonStream): Promise<void> {
  const gzip = req.acceptsEncodings('gzip', 'identity') === 'gzip';
  let zip: Gzip | null = null;
  let started = false;
  const begin = (): Writable => {
    started = true;
    res.status(200).set({
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${stream.filename.replace(/[^\w.-]/g, '_')}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // A browser page (the web client) may read the file name it is offered.
      'Access-Control-Expose-Headers': 'Content-Disposition',
    });
    res.vary('Accept-Encoding');
    if (gzip) {
      res.set('Content-Encoding', 'gzip');
      zip = createGzip();
      zip.pipe(res);
    }
    return zip ?? res;
  };
  let out: Writable | null = null;
  const write: ChunkWriter = (chunk) => {
    if (res.destroyed) throw new ClientGoneError();
    out ??= begin();
    return out.write(chunk) ? undefined : drained(out, res);
  };

  try {
    await stream.pipeTo(write);
  } catch (error) {
    if (!started) throw error;
    await cutShort(deps, name, res, zip, error);
    return;
  }
  out ??= begin();
  out.end();
  await finished(res).catch(() => deps.log.log('INFO', 'stream.client_gone', { function: name, at: 'end' }));
}

/** Ends a started stream that failed: the error as the last line, then the connection cut. */
async function cutShort(deps: Deps, name: string, res: Response, zip: Gzip | null, error: unknown): Promise<void> {
  if (error instanceof ClientGoneError || res.destroyed) {
    deps.log.log('INFO', 'stream.client_gone', { function: name });
    zip?.destroy();
    res.destroy();
    return;
  }
  deps.log.log('ERROR', 'stream.failed', { function: name, error });
  const line = `${JSON.stringify(errorBody(error instanceof AppError ? error : INCOMPLETE))}\n`;
  const tail = zip ? await gzipTail(zip, res, line) : Buffer.from(line, 'utf8');
  zip?.destroy();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, TAIL_TIMEOUT_MS);
    res.write(tail, () => {
      clearTimeout(timer);
      resolve();
    });
  });
  res.destroy();
}

/** The validated query string of `spec`; undefined for a spec that declares none (it ignores the query). */
function queryOf<Q>(spec: StreamSpec<Q>, req: Request): Q {
  if (!spec.query) return undefined as Q;
  const parsed = spec.query.safeParse(req.query);
  if (!parsed.success) throw fromZodError(parsed.error, 'query');
  return parsed.data;
}

/**
 * A GET endpoint for a signed-in caller (ID token, or API key where the spec allows) that streams
 * NDJSON. Same frame as callables: CORS allow-list, method check (GET; OPTIONS for preflight),
 * authentication with the revocation check, verified email for password users (clause 5.2), and
 * refusals as `{"error": {status, message, details}}` with the AppError's HTTP code.
 */
export function authenticatedGet<Q>(name: string, spec: StreamSpec<Q>, apiKeys?: ApiKeyVerifier): HttpFunction {
  const verifyApiKey = apiKeyVerifierFor(name, spec.apiKey, apiKeys);
  return withKind(endpoint(name, async (deps, req, res) => {
    const cors = applyCors(req, res, deps.config.ALLOWED_ORIGINS, 'GET, OPTIONS');
    if (cors === 'answered') return;
    if (cors === 'refused') {
      throw new AppError('ORIGIN_NOT_ALLOWED', `Origin ${req.get('origin') ?? ''} is not allowed.`);
    }
    if (req.method !== 'GET') {
      throw methodNotAllowed(res, 'GET, OPTIONS', `${req.method} is not allowed: ${name} takes GET.`);
    }
    const scheme = spec.apiKey ? 'Bearer, ApiKey' : 'Bearer';
    const caller = await authenticate(deps, req.get('authorization'), verifyApiKey, clientIp(req, deps.config.TRUSTED_PROXY_HOPS)).catch((error: unknown) => {
      if (error instanceof AppError && statusOf(error) === 'UNAUTHENTICATED') res.set('WWW-Authenticate', scheme);
      throw error;
    });
    if (!caller) {
      res.set('WWW-Authenticate', scheme);
      throw new AppError('NO_CREDENTIALS', `Sign in first: send "Authorization: Bearer <ID token>"${spec.apiKey ? ' or "Authorization: ApiKey <key>"' : ''}.`);
    }
    if (caller.signInProvider === 'password' && !caller.emailVerified) {
      throw new AppError('EMAIL_NOT_VERIFIED', 'Verify your email address first: open the link we sent you, then sign in again.');
    }
    const stream = await spec.open(deps, { caller, ip: clientIp(req, deps.config.TRUSTED_PROXY_HOPS) }, queryOf(spec, req));
    await sendNdjson(deps, name, req, res, stream);
  }, { httpCodes: DOWNLOAD_HTTP_CODE_OF }), 'stream');
}
