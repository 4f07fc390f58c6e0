import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import { ConfigError } from '../config';
import { getDeps, type Deps } from '../deps';
import { refusedHealth } from '../public/health';
import { createLogger } from '../shared/log';
import { AppError, type Reason } from '../shared/errors';
import { errorBody, httpCodeOf, INTERNAL_ERROR } from './status';
import { acceptsEventStream, sendEvent } from './wire';

/** Sends a JSON body that no cache may keep. */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).set('Cache-Control', 'no-store').json(body);
}

// For lines written before (or without) a config, whose LOG_LEVEL is then unknown: ERROR always passes.
const fallbackLog = createLogger('INFO');

/** How an endpoint answers an error. */
export interface ErrorAnswer {
  /** The HTTP codes that differ from the protocol's usual ones. */
  readonly httpCodes?: Partial<Record<Reason, number>>;
  /** The endpoint speaks the callable protocol, whose streaming callers read every error as an event. */
  readonly eventStream?: boolean;
}

/**
 * Sends an error in the callable shape — as the stream's one event when the endpoint and the
 * request both speak it; anything not an AppError is logged and hidden.
 */
export function sendError(res: Response, deps: Deps | undefined, name: string, error: unknown, answer: ErrorAnswer = {}): void {
  if (!(error instanceof AppError)) (deps?.log ?? fallbackLog).log('ERROR', 'callable.failed', { function: name, error });
  const refusal = error instanceof AppError ? error : INTERNAL_ERROR;
  if (answer.eventStream && acceptsEventStream(res.req)) sendEvent(res, errorBody(refusal));
  else sendJson(res, httpCodeOf(refusal, answer.httpCodes), errorBody(refusal));
}

/** A 405 with the `Allow` header set: what every endpoint answers to a method it does not take. */
export function methodNotAllowed(res: Response, allow: string, message: string): AppError {
  res.set('Allow', allow);
  return new AppError('METHOD_NOT_ALLOWED', message);
}

/** The one function that still answers, saying why, when the instance refuses to serve (DESIGN §5). */
const HEALTH = 'health';

// Refusals already logged by this instance: one line says why, not one per request of a flood.
const reported = new Set<string>();

/**
 * The instance refuses to serve: its environment is invalid, or deployed with emulator variables
 * (`emulatorsInDeployment`). Nothing runs and no backend is touched: every function answers the
 * generic 500, `health` a 503 that says why (variable names, never values).
 */
function refuse(res: Response, name: string, error: ConfigError, errorAnswer: ErrorAnswer): void {
  if (!reported.has(error.message)) {
    reported.add(error.message);
    fallbackLog.log('ERROR', 'instance.refused', { problems: error.problems, emulatorVariables: error.emulatorVariables });
  }
  if (name !== HEALTH) {
    sendError(res, undefined, name, INTERNAL_ERROR, errorAnswer);
    return;
  }
  const answer = refusedHealth(error);
  res.status(answer.status).set({ 'Content-Type': answer.contentType, ...answer.headers }).send(answer.body);
}

/**
 * The frame every function shares: build the process Deps (a bad or unsafe config becomes a
 * refusal logged once, not a crash loop), run the endpoint, and turn anything it throws into the
 * JSON error shape.
 */
export function endpoint(name: string, run: (deps: Deps, req: Request, res: Response) => Promise<void>, answer: ErrorAnswer = {}): HttpFunction {
  return async (req: Request, res: Response) => {
    let deps: Deps | undefined;
    try {
      deps = getDeps();
    } catch (error) {
      if (error instanceof ConfigError) refuse(res, name, error, answer);
      else sendError(res, undefined, name, error, answer);
      return;
    }
    try {
      await run(deps, req, res);
    } catch (error) {
      sendError(res, deps, name, error, answer);
    }
  };
}
