import type { HttpFunction, Request } from '@google-cloud/functions-framework';
import type { Deps } from '../deps';
import type { PlainResponse } from '../spec';
import { endpoint, methodNotAllowed } from './endpoint';
import { withKind } from './kind';

/**
 * A public, read-only endpoint (health, security.txt): GET and HEAD only, readable from any origin,
 * errors in the same JSON shape as callables.
 */
export function publicGet(name: string, handler: (deps: Deps, req: Request) => Promise<PlainResponse> | PlainResponse): HttpFunction {
  return withKind(endpoint(name, async (deps, req, res) => {
    res.set('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.set('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS').status(204).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw methodNotAllowed(res, 'GET, HEAD, OPTIONS', `${req.method} is not allowed here: use GET.`);
    }
    const answer = await handler(deps, req);
    res.status(answer.status).set({ 'Content-Type': answer.contentType, ...answer.headers });
    res.send(req.method === 'HEAD' ? '' : answer.body);
  }), 'public');
}
