import type { Request, Response } from '@google-cloud/functions-framework';

// What the Firebase JS SDK's httpsCallable may send: granted when a preflight names no headers.
const SDK_HEADERS = 'Authorization, Content-Type, Firebase-Instance-ID-Token, X-Firebase-AppCheck, X-Firebase-GMPID, X-Firebase-Client';

// An HTTP field name (RFC 9110 token); anything else in the request list is not echoed back.
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The headers a preflight is granted: those it asks for, as the official `onCall` grants them —
 * headers carry no authority here (the origin allow-list and the token checks do), while a fixed
 * list refuses every client whose SDK version or proxy adds a header of its own.
 */
function allowedHeaders(req: Request): string {
  const requested = (req.get('access-control-request-headers') ?? '')
    .split(',')
    .map((header) => header.trim())
    .filter((header) => FIELD_NAME.test(header));
  return requested.length > 0 ? requested.join(', ') : SDK_HEADERS;
}

/** Outcome of the CORS check: the request goes on, was answered (preflight), or is refused. */
export type CorsOutcome = 'continue' | 'answered' | 'refused';

/**
 * Applies the origin allow-list. Requests without an Origin header (servers, curl) are not
 * cross-origin and pass. A browser origin outside the list is refused outright, preflight or not,
 * so a disallowed site cannot even trigger the function.
 */
export function applyCors(req: Request, res: Response, allowedOrigins: readonly string[], methods: string): CorsOutcome {
  const origin = req.get('origin');
  if (origin === undefined) return 'continue';
  if (!allowedOrigins.includes('*') && !allowedOrigins.includes(origin)) return 'refused';
  res.set('Access-Control-Allow-Origin', origin);
  res.vary('Origin');
  if (req.method !== 'OPTIONS') return 'continue';
  res.set('Access-Control-Allow-Methods', methods);
  res.set('Access-Control-Allow-Headers', allowedHeaders(req));
  res.vary('Access-Control-Request-Headers');
  res.set('Access-Control-Max-Age', '3600');
  res.status(204).end();
  return 'answered';
}
