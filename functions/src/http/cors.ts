import type { Request, Response } from '@google-cloud/functions-framework';

// What the Firebase JS SDK's httpsCallable may send.
const ALLOWED_HEADERS = 'Authorization, Content-Type, Firebase-Instance-ID-Token, X-Firebase-AppCheck, X-Firebase-GMPID, X-Firebase-Client';

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
  res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
  res.set('Access-Control-Max-Age', '3600');
  res.status(204).end();
  return 'answered';
}
