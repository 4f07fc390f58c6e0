import type { HttpFunction, Request } from '@google-cloud/functions-framework';
import type { ZodType } from 'zod';
import type { Deps } from '../deps';
import { authenticate, type Caller, type Role } from './auth';
import { clientIp } from './client-ip';
import { applyCors } from './cors';
import { endpoint, methodNotAllowed, sendJson } from './endpoint';
import { withKind } from './kind';
import { AppError, fromZodError, invalidArgument } from './errors';

/** What a callable handler receives besides its validated input. */
export interface CallContext {
  /** The verified caller, or null for an anonymous call to a function that allows it. */
  readonly caller: Caller | null;
  /** Client IP as seen by the front end (for rate limits), never for identity. */
  readonly ip: string;
}

/** Declares one callable function: who may call it, what input it takes, what it does. */
export interface CallableSpec<I, O> {
  /** `required`: an ID token must be sent; `optional`: verified when sent; `none`: ignored. */
  readonly auth: 'required' | 'optional' | 'none';
  /** When set, the caller's `role` claim must be one of these. Implies `auth: 'required'`. */
  readonly roles?: readonly Role[];
  /** Also accept `Authorization: ApiKey <key>` (owner's server integrations, clause 1.3). */
  readonly apiKey?: boolean;
  /**
   * Let an email+password user whose address is not yet verified through. Only `getAccount`
   * does (clause 5.2): everything else answers FAILED_PRECONDITION / EMAIL_NOT_VERIFIED.
   */
  readonly allowUnverified?: boolean;
  /** Validates `data`; anything it rejects becomes INVALID_ARGUMENT and nothing runs. */
  readonly input: ZodType<I>;
  readonly handler: (deps: Deps, input: I, context: CallContext) => Promise<O>;
}

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

/**
 * Wraps a use case in the Firebase callable wire protocol (DESIGN §5): `POST {"data": …}` in,
 * `200 {"result": …}` out, `{"error": {status, message, details}}` with the matching HTTP code
 * on failure. The Firebase JS SDK's `httpsCallable` talks to it unchanged.
 */
export function callable<I, O>(name: string, spec: CallableSpec<I, O>): HttpFunction {
  const authMode = spec.roles ? 'required' : spec.auth;
  return withKind(endpoint(name, async (deps, req, res) => {
    const cors = applyCors(req, res, deps.config.ALLOWED_ORIGINS, 'POST, OPTIONS');
    if (cors === 'answered') return;
    if (cors === 'refused') {
      throw new AppError('PERMISSION_DENIED', 'ORIGIN_NOT_ALLOWED', `Origin ${req.get('origin') ?? ''} is not allowed.`);
    }
    if (req.method !== 'POST') {
      throw methodNotAllowed(res, 'POST, OPTIONS', `${req.method} is not allowed: callable functions take POST.`);
    }
    const data = readData(req);
    const caller = authMode === 'none' ? null : await authenticate(deps, req.get('authorization'), { apiKey: spec.apiKey === true });
    if (authMode === 'required' && !caller) {
      throw new AppError('UNAUTHENTICATED', 'NO_CREDENTIALS', 'Sign in first: this function needs an ID token.');
    }
    if (caller && !spec.allowUnverified && caller.signInProvider === 'password' && !caller.emailVerified) {
      throw new AppError('FAILED_PRECONDITION', 'EMAIL_NOT_VERIFIED', 'Verify your email address first: open the link we sent you, then sign in again.');
    }
    if (spec.roles && !(caller?.role && spec.roles.includes(caller.role))) {
      throw new AppError('PERMISSION_DENIED', 'ROLE_REQUIRED', `This function is for staff with the role ${spec.roles.join(' or ')}.`);
    }
    const parsed = spec.input.safeParse(data);
    if (!parsed.success) throw fromZodError(parsed.error);
    const result = await spec.handler(deps, parsed.data, { caller, ip: clientIp(req, deps.config.TRUSTED_PROXY_HOPS) });
    sendJson(res, 200, { result: result ?? null });
  }), 'callable');
}
