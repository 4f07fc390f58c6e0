import type { HttpFunction, Request } from '@google-cloud/functions-framework';
import type { Deps } from '../deps';
import type { Caller, Role } from '../shared/caller';
import { AppError, fromZodError, invalidArgument } from '../shared/errors';
import type { CallableSpec } from '../spec';
import { apiKeyVerifierFor, authenticate, type ApiKeyVerifier } from './auth';
import { clientIp } from './client-ip';
import { applyCors } from './cors';
import { endpoint, methodNotAllowed, sendJson } from './endpoint';
import { withKind } from './kind';
import { acceptsEventStream, decodeData, encodeResult, sendEvent } from './wire';

function readData(req: Request): unknown {
  if (!req.is('application/json')) {
    throw invalidArgument('The request must be JSON: set Content-Type: application/json.');
  }
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('data' in body)) {
    throw invalidArgument('The request body must be a JSON object of the form {"data": …}.');
  }
  return body.data;
}

/** The caller a signed-in function requires, checked as its declaration says. */
function requireCaller(caller: Caller | null, spec: { readonly roles?: readonly Role[] }): Caller {
  if (!caller) throw new AppError('NO_CREDENTIALS', 'Sign in first: this function needs an ID token.');
  if (spec.roles && !(caller.role && spec.roles.includes(caller.role))) {
    throw new AppError('ROLE_REQUIRED', `This function is for staff with the role ${spec.roles.join(' or ')}.`);
  }
  return caller;
}

/** Runs the handler of `spec` with the caller its auth mode promises. */
async function dispatch<I, O>(deps: Deps, spec: CallableSpec<I, O>, req: Request, input: I, caller: Caller | null): Promise<O> {
  const ip = clientIp(req, deps.config.TRUSTED_PROXY_HOPS);
  switch (spec.auth) {
    case 'required':
      return spec.handler(deps, input, { caller: requireCaller(caller, spec), ip });
    case 'optional':
      return spec.handler(deps, input, { caller, ip });
    case 'none':
      return spec.handler(deps, input, { caller: null, ip });
  }
}

/**
 * Wraps a use case in the Firebase callable wire protocol (DESIGN §5): `POST {"data": …}` in,
 * `200 {"result": …}` out, `{"error": {status, message, details}}` with the matching HTTP code
 * on failure — or, for a caller that accepts `text/event-stream` (`httpsCallable(…).stream()`),
 * either body as one `data:` event of a 200 stream. Encoding and decoding follow the official
 * `onCall` (see `wire.ts`). A declaration that accepts API keys is wired with `apiKeys`, the verifier.
 */
export function callable<I, O, W>(name: string, spec: CallableSpec<I, O, W>, apiKeys?: ApiKeyVerifier): HttpFunction {
  const signedIn = spec.auth === 'required' ? spec : null;
  const verifyApiKey = apiKeyVerifierFor(name, signedIn?.apiKey, apiKeys);
  return withKind(endpoint(name, async (deps, req, res) => {
    const cors = applyCors(req, res, deps.config.ALLOWED_ORIGINS, 'POST, OPTIONS');
    if (cors === 'answered') return;
    if (cors === 'refused') {
      throw new AppError('ORIGIN_NOT_ALLOWED', `Origin ${req.get('origin') ?? ''} is not allowed.`);
    }
    if (req.method !== 'POST') {
      throw methodNotAllowed(res, 'POST, OPTIONS', `${req.method} is not allowed: callable functions take POST.`);
    }
    const data = readData(req);
    const caller = spec.auth === 'none' ? null : await authenticate(deps, req.get('authorization'), verifyApiKey, clientIp(req, deps.config.TRUSTED_PROXY_HOPS));
    if (signedIn && !caller) {
      throw new AppError('NO_CREDENTIALS', 'Sign in first: this function needs an ID token.');
    }
    if (caller && !(spec.auth !== 'none' && spec.allowUnverified === true) && caller.signInProvider === 'password' && !caller.emailVerified) {
      throw new AppError('EMAIL_NOT_VERIFIED', 'Verify your email address first: open the link we sent you, then sign in again.');
    }
    // Staff functions say who may call them before they look at the input.
    if (signedIn) requireCaller(caller, signedIn);
    const parsed = spec.input.safeParse(decodeData(data));
    if (!parsed.success) throw fromZodError(parsed.error);
    const answer = { result: encodeResult(await dispatch(deps, spec, req, parsed.data, caller)) };
    if (acceptsEventStream(req)) sendEvent(res, answer);
    else sendJson(res, 200, answer);
  }, { eventStream: true }), 'callable');
}
