import type { HttpFunction, Request } from '@google-cloud/functions-framework';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { Config } from '../config';
import type { Deps } from '../deps';
import type { BlockingDecision, BlockingEvent, BlockingEventType } from '../identity/event';
import { endpoint, methodNotAllowed, sendJson } from './endpoint';
import { withKind } from './kind';
import { AppError, invalidArgument } from '../shared/errors';
import { HTTP_STATUS } from './status';

/**
 * The one firebase-admin member we need beyond its stable API: `Auth._verifyAuthBlockingToken`,
 * marked `@alpha` (it is what firebase-functions' identity handlers call). It checks the
 * `iss` (`https://securetoken.google.com/<project>`), that `aud` contains `audience`, the expiry,
 * `sub`, and the signature against Google's keys — or, only when FIREBASE_AUTH_EMULATOR_HOST is
 * set, accepts the Auth emulator's unsigned `alg: none` tokens. We reach it through this narrow
 * interface (assigned from `Auth`, so a firebase-admin that drops it fails to compile) and check
 * it at run time too; its result is treated as unknown and validated below.
 */
interface AuthBlockingTokenVerifier {
  _verifyAuthBlockingToken(token: string, audience: string): Promise<unknown>;
}

function blockingTokenVerifier(deps: Deps): AuthBlockingTokenVerifier {
  const verifier: AuthBlockingTokenVerifier = deps.auth;
  if (typeof verifier._verifyAuthBlockingToken !== 'function') {
    throw new Error('firebase-admin no longer provides Auth._verifyAuthBlockingToken: blocking tokens cannot be verified');
  }
  return verifier;
}

/**
 * The `aud` a blocking token must contain. Identity Platform sets `aud` to the URI the function
 * is registered under:
 * - Cloud Functions 2nd gen (our deployment): `https://<name>-<hash>-<region>.a.run.app`, so
 *   `run.app`, as firebase-functions' v2 identity handlers require. The trigger must therefore be
 *   registered with the function's run.app URI (not a cloudfunctions.net or load-balancer URL).
 * - The Auth emulator: the functionUri registered locally,
 *   `http://127.0.0.1:5001/<project>/<region>/<name>`, so this function's path in our local URL
 *   scheme — which also stops a token minted for beforeSignIn being accepted by beforeCreate.
 */
export function blockingAudience(config: Config, name: BlockingEventType): string {
  return config.FIREBASE_AUTH_EMULATOR_HOST !== undefined
    ? `/${config.GCLOUD_PROJECT}/${config.FUNCTION_REGION}/${name}`
    : 'run.app';
}

// A user agent is kept in the activity log: longer ones are cut (real ones are a few hundred characters).
const MAX_USER_AGENT_CHARS = 512;

// The verified payload fields we use (observed from the Auth emulator; Identity Platform sends the same names).
const claimsSchema = z.object({
  event_type: z.string(),
  event_id: z.string().nullish(),
  sub: z.string().min(1),
  sign_in_method: z.string().nullish(),
  locale: z.string().nullish(),
  // Where the sign-in came from, as Identity Platform saw it (the Auth emulator sends 127.0.0.1 and
  // a placeholder agent). Anything but an IP address is dropped, and the agent is cut short.
  ip_address: z.string().nullish(),
  user_agent: z.string().nullish(),
  user_record: z.object({
    uid: z.string().min(1),
    email: z.string().nullish(),
    email_verified: z.boolean().nullish(),
    display_name: z.string().nullish(),
    provider_data: z.array(z.object({ provider_id: z.string() })).nullish(),
  }),
});

function malformedToken(message: string): AppError {
  return new AppError('MALFORMED_BLOCKING_TOKEN', message);
}

function readJwt(req: Request): string {
  if (!req.is('application/json')) {
    throw invalidArgument('The request must be JSON: set Content-Type: application/json.');
  }
  const body: unknown = req.body;
  const data = body !== null && typeof body === 'object' && !Array.isArray(body) && 'data' in body ? body.data : undefined;
  const jwt = data !== null && typeof data === 'object' && 'jwt' in data ? data.jwt : undefined;
  if (typeof jwt !== 'string' || jwt === '') {
    throw invalidArgument('The request body must be {"data": {"jwt": "<Identity Platform blocking token>"}}.');
  }
  return jwt;
}

/**
 * Rejects what is not even shaped like a JWT before firebase-admin sees it (it would throw a
 * TypeError, i.e. a 500, on e.g. a numeric `aud`). Nothing decoded here is trusted.
 */
function assertJwtShape(jwt: string): void {
  const parts = jwt.split('.');
  const segment = (s: string | undefined): unknown => {
    try {
      return s ? JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) : null;
    } catch {
      return null;
    }
  };
  const header = segment(parts[0]);
  const payload = segment(parts[1]);
  if (parts.length !== 3 || header === null || typeof header !== 'object' || payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw malformedToken('data.jwt is not a JSON Web Token.');
  }
  const { aud, iss } = payload as Record<string, unknown>;
  if (typeof aud !== 'string' || typeof iss !== 'string') {
    throw malformedToken('data.jwt lacks the string "aud" and "iss" claims of a blocking token.');
  }
}

/**
 * Verifies a blocking token and turns it into our event.
 * @throws AppError INVALID_ARGUMENT (400) for something that is not a blocking token of this
 *   function's event; UNAUTHENTICATED (401) when verification fails (issuer, audience, expiry, signature).
 */
export async function verifiedEvent(deps: Deps, name: BlockingEventType, jwt: string): Promise<BlockingEvent> {
  assertJwtShape(jwt);
  let decoded: unknown;
  try {
    decoded = await blockingTokenVerifier(deps)._verifyAuthBlockingToken(jwt, blockingAudience(deps.config, name));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('auth/')) throw error;
    const expired = code === 'auth/auth-blocking-token-expired';
    // firebase-admin's message says which check failed (issuer, audience, signature, key fetch…).
    deps.log.log('WARNING', 'blocking.token_refused', { function: name, code, detail: (error as Error).message });
    throw new AppError(
      expired ? 'BLOCKING_TOKEN_EXPIRED' : 'BLOCKING_TOKEN_INVALID',
      expired ? 'The blocking token has expired.' : 'The blocking token could not be verified.',
    );
  }
  const parsed = claimsSchema.safeParse(decoded);
  if (!parsed.success) throw malformedToken('The blocking token does not carry the expected event fields.');
  const claims = parsed.data;
  if (claims.event_type !== name) {
    throw malformedToken(`This is the ${name} function, but the token is for ${claims.event_type}.`);
  }
  if (claims.user_record.uid !== claims.sub) throw malformedToken('The token subject and user record disagree.');
  const user = claims.user_record;
  return {
    type: name,
    eventId: claims.event_id ?? null,
    signInMethod: claims.sign_in_method ?? null,
    // The Auth emulator hard-codes `locale: "en"` whatever the client's language
    // (firebase-tools generateBlockingFunctionJwt), so locally the claim carries no information
    // and the default (zh-TW) applies. Identity Platform reports the client's language.
    locale: deps.config.FIREBASE_AUTH_EMULATOR_HOST !== undefined ? null : (claims.locale ?? null),
    ipAddress: claims.ip_address && isIP(claims.ip_address) !== 0 ? claims.ip_address : null,
    userAgent: claims.user_agent ? [...claims.user_agent].slice(0, MAX_USER_AGENT_CHARS).join('') : null,
    user: {
      uid: user.uid,
      email: user.email ?? null,
      emailVerified: user.email_verified === true,
      displayName: user.display_name ?? null,
      providerIds: (user.provider_data ?? []).map((p) => p.provider_id),
    },
  };
}

/**
 * Wraps a blocking use case in the Identity Platform blocking-function protocol: `POST
 * {"data": {"jwt": …}}` in; `200 {}` to allow; to refuse, a non-2xx
 * `{"error": {"status", "message", "details"}}` whose message the client app receives. A missing,
 * malformed or unverifiable token is a 400/401 in the same shape, never a 500.
 */
export function blocking(name: BlockingEventType, handler: (deps: Deps, event: BlockingEvent) => Promise<BlockingDecision>): HttpFunction {
  return withKind(endpoint(name, async (deps, req, res) => {
    if (req.method !== 'POST') {
      throw methodNotAllowed(res, 'POST', `${req.method} is not allowed: blocking functions take POST.`);
    }
    const event = await verifiedEvent(deps, name, readJwt(req));
    const decision = await handler(deps, event);
    if (decision.kind === 'block') {
      deps.log.log('INFO', 'blocking.refused', {
        function: name,
        uid: event.user.uid,
        signInMethod: event.signInMethod,
        reason: decision.reason,
        eventId: event.eventId,
      });
      // Identity Platform shows the message; every refusal of a sign-up or sign-in is PERMISSION_DENIED.
      sendJson(res, HTTP_STATUS.PERMISSION_DENIED, {
        error: { status: 'PERMISSION_DENIED', message: decision.message, details: { reason: decision.reason, ...decision.details } },
      });
      return;
    }
    sendJson(res, 200, {});
  }), 'blocking');
}
