import type { ZodError } from 'zod';

/**
 * Every stable, machine-readable refusal a function can answer with. Clients switch on it
 * (`details.reason`); `http/status.ts` alone decides the protocol status and HTTP code of each.
 */
export const REASONS = [
  // Bad input and protocol misuse.
  'INVALID_ARGUMENT',
  'METHOD_NOT_ALLOWED',
  'BAD_PAGE_TOKEN',
  'CONTACT_EMAIL_REQUIRED',
  'CODE_INVALID',
  'MALFORMED_BLOCKING_TOKEN',
  // Who is calling.
  'NO_CREDENTIALS',
  'MALFORMED_AUTHORIZATION',
  'TOKEN_EXPIRED',
  'TOKEN_REVOKED',
  'TOKEN_INVALID',
  'USER_DISABLED',
  'USER_NOT_FOUND',
  'SIGN_IN_METHOD_NOT_ALLOWED',
  'API_KEY_NOT_ACCEPTED',
  'API_KEY_INVALID',
  'API_KEY_REVOKED',
  'API_KEY_ACCOUNT_INACTIVE',
  'BLOCKING_TOKEN_EXPIRED',
  'BLOCKING_TOKEN_INVALID',
  // What the caller may do.
  'ORIGIN_NOT_ALLOWED',
  'INVOKER_NOT_ALLOWED',
  'ROLE_REQUIRED',
  'EMAIL_NOT_VERIFIED',
  'RECENT_SIGN_IN_REQUIRED',
  'ACCOUNT_SUSPENDED',
  'ACCOUNT_TERMINATED',
  'AMOUNTS_DUE',
  'RATE_LIMITED',
  'API_KEY_LIMIT',
  // Not found.
  'ACCOUNT_NOT_FOUND',
  'INCIDENT_NOT_FOUND',
  'NOTICE_NOT_FOUND',
  'INVOICE_NOT_FOUND',
  'BREACH_NOT_FOUND',
  'API_KEY_NOT_FOUND',
  'RECORD_REQUEST_NOT_FOUND',
  // The account's state does not allow it.
  'ALREADY_TERMINATED',
  'NOT_ACTIVE',
  'NOT_SUSPENDED',
  'NO_TERMINATION',
  'TERMINATION_EFFECTIVE',
  'NOT_CANCELLABLE',
  'NOT_WITHDRAWABLE',
  'BREACH_NOT_OPEN',
  'INVOICE_PAID',
  'INVOICE_VOID',
  'INVOICE_CONFLICT',
  'BILLING_CONTENTION',
  'INCIDENT_TRANSITION_NOT_ALLOWED',
  'NOTICE_WITHDRAWN',
  'RECORDS_NOT_FULFILLED',
  'RECORDS_ALREADY_FULFILLED',
  'NO_PENDING_CONTACT_EMAIL',
  'CODE_EXPIRED',
  // Backups and restores (operator tools).
  'BACKUP_EXISTS',
  'BACKUP_BUCKET_MISSING',
  'DATABASE_EXISTS',
  'DATABASE_ID_INVALID',
  'DATABASE_NOT_LOCAL',
  'IN_PLACE_WITH_DATABASE',
  'LIVE_DATABASE_HAS_ACCOUNTS',
  // Failures on our side.
  'STREAM_INCOMPLETE',
  'INTERNAL',
] as const;

/** A stable refusal reason, e.g. `AMOUNTS_DUE`. */
export type Reason = (typeof REASONS)[number];

/**
 * The error use cases throw: a stable `reason` clients switch on (it travels as
 * `details.reason`), a message for people, and details. It says nothing of HTTP: `http/` maps the
 * reason to a status and code.
 */
export class AppError extends Error {
  constructor(
    readonly reason: Reason,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Shorthand for the most common refusal: bad input. */
export function invalidArgument(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('INVALID_ARGUMENT', message, details);
}

/** Turns zod issues into one readable sentence plus a per-field list in `details.issues`. */
export function fromZodError(error: ZodError, root = 'data'): AppError {
  const issues = error.issues.map((issue) => ({
    path: [root, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return invalidArgument(`Invalid request: ${summary}`, { issues });
}
