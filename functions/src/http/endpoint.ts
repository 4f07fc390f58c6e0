import type { HttpFunction, Request, Response } from '@google-cloud/functions-framework';
import { getDeps, type Deps } from '../deps';
import { AppError, INTERNAL_ERROR } from './errors';

/** Sends a JSON body that no cache may keep. */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).set('Cache-Control', 'no-store').json(body);
}

/** Sends an error in the callable shape; anything not an AppError is logged and hidden. */
export function sendError(res: Response, deps: Deps | undefined, name: string, error: unknown): void {
  if (error instanceof AppError) {
    sendJson(res, error.httpStatus, error.toBody());
    return;
  }
  const log = deps?.log;
  if (log) log.log('ERROR', 'callable.failed', { function: name, error });
  else process.stderr.write(`${JSON.stringify({ severity: 'ERROR', message: 'callable.failed', function: name, error: String(error) })}\n`);
  sendJson(res, INTERNAL_ERROR.httpStatus, INTERNAL_ERROR.toBody());
}

/** A 405 with the `Allow` header set: what every endpoint answers to a method it does not take. */
export function methodNotAllowed(res: Response, allow: string, message: string): AppError {
  res.set('Allow', allow);
  return new AppError('INVALID_ARGUMENT', 'METHOD_NOT_ALLOWED', message, {}, 405);
}

/**
 * The frame every function shares: build the process Deps (a bad config becomes a logged 500, not
 * a crash loop), run the endpoint, and turn anything it throws into the JSON error shape.
 */
export function endpoint(name: string, run: (deps: Deps, req: Request, res: Response) => Promise<void>): HttpFunction {
  return async (req: Request, res: Response) => {
    let deps: Deps | undefined;
    try {
      deps = getDeps();
      await run(deps, req, res);
    } catch (error) {
      sendError(res, deps, name, error);
    }
  };
}
