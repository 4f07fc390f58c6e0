import type { HttpFunction, Request } from '@google-cloud/functions-framework';
import type { TokenPayload } from 'google-auth-library';
import type { Deps } from '../deps';
import type { ScheduledHandler } from '../spec';
import { endpoint, methodNotAllowed, sendJson } from './endpoint';
import { withKind } from './kind';
import { AppError, type Reason } from '../shared/errors';

/** The parts of a request that decide whether a scheduled call is allowed. */
export interface ScheduledCall {
  readonly authorization: string | undefined;
  /** The TCP peer (never X-Forwarded-For, which a caller can write). */
  readonly remoteAddress: string | undefined;
  /** `https://<host><path>` the caller targeted: the default OIDC audience. */
  readonly url: string;
}

const googleClients = new Map<string, import('google-auth-library').OAuth2Client>();

/**
 * Verifies a Google-signed OIDC ID token for one of `audiences` with google-auth-library:
 * signature against the certificates published at `certsUrl` (Google's, cached as their
 * Cache-Control says), issuer, expiry, audience.
 * @returns the token's claims.
 */
async function verifyGoogleIdToken(certsUrl: string, idToken: string, audiences: readonly string[]): Promise<TokenPayload> {
  let client = googleClients.get(certsUrl);
  if (!client) {
    // Loaded on first use: the emulated local stack and the other functions never pay for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { OAuth2Client } = require('google-auth-library') as typeof import('google-auth-library');
    client = new OAuth2Client({
      endpoints: { oauth2FederatedSignonPemCertsUrl: certsUrl },
      // Node's own fetch: gaxios would otherwise import node-fetch dynamically on the first call.
      transporterOptions: { fetchImplementation: fetch },
    });
    googleClients.set(certsUrl, client);
  }
  const ticket = await client.verifyIdToken({ idToken, audience: [...audiences] });
  const payload = ticket.getPayload();
  if (!payload) throw new Error('token without payload');
  return payload;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function unauthenticated(reason: Reason, message: string): AppError {
  return new AppError(reason, message);
}

/**
 * Decides whether a call to a scheduled function may run.
 * - On the emulators (FIRESTORE_EMULATOR_HOST set) a call from the loopback interface is accepted
 *   as it is: the local cron POSTs `{}` without credentials.
 * - Otherwise `Authorization: Bearer <Google OIDC ID token>` is required, signed by Google, for
 *   an accepted audience, from a verified service-account email in SCHEDULER_INVOKERS.
 * @returns who called: `local` or the invoker's email.
 * @throws AppError UNAUTHENTICATED (no/bad token) or PERMISSION_DENIED (not an allowed invoker).
 */
export async function authorizeScheduledCall(deps: Deps, call: ScheduledCall): Promise<string> {
  if (deps.config.FIRESTORE_EMULATOR_HOST !== undefined && call.remoteAddress !== undefined && LOOPBACK.has(call.remoteAddress)) {
    return 'local';
  }
  const header = call.authorization?.trim() ?? '';
  if (header === '') throw unauthenticated('NO_CREDENTIALS', 'This function is private: it takes a Google OIDC token (Cloud Scheduler).');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthenticated('MALFORMED_AUTHORIZATION', 'The Authorization header must be "Bearer <OIDC token>".');
  const settings = deps.config;
  if (settings.SCHEDULER_INVOKERS.length === 0) {
    deps.log.log('ERROR', 'scheduled.no_invokers', { message: 'SCHEDULER_INVOKERS is empty: every scheduled call is refused' });
    throw new AppError('INVOKER_NOT_ALLOWED', 'No caller is allowed to run this function.');
  }
  const audiences = settings.SCHEDULER_AUDIENCE.length > 0 ? settings.SCHEDULER_AUDIENCE : [call.url];
  let payload: TokenPayload;
  try {
    payload = await verifyGoogleIdToken(settings.GOOGLE_OIDC_CERTS_URL, match[1], audiences);
  } catch (error) {
    // Fetching Google's certificates failed: not the caller's fault, answer 500 so Scheduler retries.
    if (error instanceof Error && (error.name === 'GaxiosError' || 'response' in error)) throw error;
    // Only the reason: the library's messages can quote the token or its payload.
    const reason = (error instanceof Error ? error.message : String(error)).split(':')[0]?.slice(0, 120);
    deps.log.log('WARNING', 'scheduled.token_refused', { reason });
    throw unauthenticated('TOKEN_INVALID', 'The OIDC token is not valid for this function.');
  }
  const email = payload.email?.toLowerCase();
  if (!email || payload.email_verified !== true || !settings.SCHEDULER_INVOKERS.some((e) => e.toLowerCase() === email)) {
    deps.log.log('WARNING', 'scheduled.invoker_refused', { invoker: email ?? null });
    throw new AppError('INVOKER_NOT_ALLOWED', 'This caller may not run this function.');
  }
  return email;
}

function requestUrl(req: Request): string {
  const path = (req.originalUrl || req.url || '/').split('?')[0] ?? '/';
  return `https://${req.get('host') ?? 'localhost'}${path}`;
}

/** What the wiring tells a scheduled function about how it is deployed (functions/src/manifest.ts). */
export interface ScheduledRuntime {
  /** The function's declared timeout: the handler's time budget derives from it. */
  readonly timeoutSeconds: number;
}

/**
 * A private function run by Cloud Scheduler (with an OIDC token) in production and by the
 * in-process cron locally (DESIGN §5): `POST` only, the body is ignored, `200` with the handler's
 * JSON summary, errors in the callable `{"error": …}` shape. The handler learns when the platform
 * will end the run (`runtime.timeoutSeconds` after the request arrived), so its budget follows
 * the declared timeout.
 */
export function scheduled<O>(name: string, handler: ScheduledHandler<O>, runtime: ScheduledRuntime): HttpFunction {
  const timeoutMs = runtime.timeoutSeconds * 1000;
  return withKind(endpoint(name, async (deps, req, res) => {
    const deadline = performance.now() + timeoutMs;
    if (req.method !== 'POST') {
      throw methodNotAllowed(res, 'POST', `${req.method} is not allowed: scheduled functions take POST.`);
    }
    const invoker = await authorizeScheduledCall(deps, {
      authorization: req.get('authorization'),
      remoteAddress: req.socket?.remoteAddress,
      url: requestUrl(req),
    });
    const started = performance.now();
    const summary = await handler(deps, { timeoutMs, deadline });
    deps.log.log('INFO', 'scheduled.done', { function: name, invoker, ms: Math.round(performance.now() - started) });
    sendJson(res, 200, summary ?? null);
  }), 'scheduled');
}
