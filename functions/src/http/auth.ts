import { ALLOWED_PROVIDERS } from '../accounts/model';
import type { Deps } from '../deps';
import { ROLES, type Caller, type Role } from '../shared/caller';
import { AppError, type Reason } from '../shared/errors';

/**
 * Verifies a personal API key (clause 1.3) and says whose it is; passed in by the wiring. It gets
 * the client address, for the record of the key's use.
 */
export type ApiKeyVerifier = (deps: Deps, key: string, request: { readonly ip: string }) => Promise<Caller>;

/**
 * The API-key verifier of a function whose declaration accepts API keys.
 * @throws Error at wiring time when the declaration accepts keys but no verifier was given.
 */
export function apiKeyVerifierFor(name: string, accepts: boolean | undefined, verifier: ApiKeyVerifier | undefined): ApiKeyVerifier | undefined {
  if (!accepts) return undefined;
  if (!verifier) throw new Error(`${name} accepts API keys: wire it with an API-key verifier`);
  return verifier;
}

const REFUSALS: Record<string, { reason: Reason; message: string }> = {
  'auth/id-token-expired': { reason: 'TOKEN_EXPIRED', message: 'The ID token has expired; sign in again.' },
  'auth/id-token-revoked': { reason: 'TOKEN_REVOKED', message: 'The ID token has been revoked; sign in again.' },
  'auth/user-disabled': { reason: 'USER_DISABLED', message: 'This account is disabled.' },
  'auth/user-not-found': { reason: 'USER_NOT_FOUND', message: 'The account behind this ID token no longer exists.' },
};

function unauthenticated(reason: Reason, message: string): AppError {
  return new AppError(reason, message);
}

/**
 * Reads `Authorization: Bearer <Firebase ID token>` (or `ApiKey <key>` where `verifyApiKey` is given,
 * which is told the client address `ip`) and verifies it with the revocation check,
 * so a revoked session or a disabled user is refused at once (agreement clauses 5.1/5.2).
 * @returns the caller, or null when no Authorization header was sent.
 * @throws AppError UNAUTHENTICATED for a malformed header or a token that fails verification.
 */
export async function authenticate(
  deps: Deps,
  header: string | undefined,
  verifyApiKey?: ApiKeyVerifier,
  ip = '',
): Promise<Caller | null> {
  if (header === undefined || header.trim() === '') return null;
  const apiKey = /^ApiKey\s+(\S+)$/i.exec(header.trim());
  if (apiKey?.[1]) {
    if (!verifyApiKey) {
      throw unauthenticated('API_KEY_NOT_ACCEPTED', 'This function takes a Firebase ID token, not an API key.');
    }
    return verifyApiKey(deps, apiKey[1], { ip });
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) {
    throw unauthenticated('MALFORMED_AUTHORIZATION', 'The Authorization header must be "Bearer <ID token>" (or "ApiKey <key>" where accepted).');
  }
  let decoded;
  try {
    decoded = await deps.auth.verifyIdToken(match[1], true);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('auth/')) throw error;
    const known = REFUSALS[code];
    deps.log.log('INFO', 'auth.token_refused', { code });
    throw known
      ? unauthenticated(known.reason, known.message)
      : unauthenticated('TOKEN_INVALID', 'The ID token is not valid.');
  }
  // Anonymous and custom-token sessions never pass our blocking functions, yet the Auth service
  // can still mint ID tokens for them: refuse them here too (clauses 5.1/5.2).
  const provider = decoded.firebase.sign_in_provider;
  if (!(ALLOWED_PROVIDERS as readonly string[]).includes(provider)) {
    throw unauthenticated('SIGN_IN_METHOD_NOT_ALLOWED', 'Sign in with your email address and password, or with Facebook.');
  }
  const role = typeof decoded.role === 'string' && (ROLES as readonly string[]).includes(decoded.role)
    ? (decoded.role as Role)
    : null;
  return {
    uid: decoded.uid,
    email: decoded.email ?? null,
    emailVerified: decoded.email_verified === true,
    signInProvider: provider,
    role,
    via: 'idToken',
    authTime: new Date(decoded.auth_time * 1000),
  };
}
