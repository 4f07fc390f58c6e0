import { AppError, type Reason } from '../shared/errors';

/** The callable protocol's error statuses and the HTTP code each is sent with. */
export const HTTP_STATUS = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNKNOWN: 500,
  DATA_LOSS: 500,
  UNIMPLEMENTED: 501,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
} as const;

/** A callable error status, e.g. `FAILED_PRECONDITION`. */
export type ErrorStatus = keyof typeof HTTP_STATUS;

/**
 * The status every reason is answered with: one reason, one status, whichever function refuses.
 * The type requires a row per reason, so a new reason cannot ship without a deliberate choice.
 */
export const STATUS_OF: Readonly<Record<Reason, ErrorStatus>> = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  METHOD_NOT_ALLOWED: 'INVALID_ARGUMENT',
  BAD_PAGE_TOKEN: 'INVALID_ARGUMENT',
  CONTACT_EMAIL_REQUIRED: 'INVALID_ARGUMENT',
  CODE_INVALID: 'INVALID_ARGUMENT',
  MALFORMED_BLOCKING_TOKEN: 'INVALID_ARGUMENT',
  DATABASE_ID_INVALID: 'INVALID_ARGUMENT',
  DATABASE_NOT_LOCAL: 'INVALID_ARGUMENT',
  IN_PLACE_WITH_DATABASE: 'INVALID_ARGUMENT',
  NO_CREDENTIALS: 'UNAUTHENTICATED',
  MALFORMED_AUTHORIZATION: 'UNAUTHENTICATED',
  TOKEN_EXPIRED: 'UNAUTHENTICATED',
  TOKEN_REVOKED: 'UNAUTHENTICATED',
  TOKEN_INVALID: 'UNAUTHENTICATED',
  USER_DISABLED: 'UNAUTHENTICATED',
  USER_NOT_FOUND: 'UNAUTHENTICATED',
  SIGN_IN_METHOD_NOT_ALLOWED: 'UNAUTHENTICATED',
  API_KEY_NOT_ACCEPTED: 'UNAUTHENTICATED',
  API_KEY_INVALID: 'UNAUTHENTICATED',
  API_KEY_REVOKED: 'UNAUTHENTICATED',
  API_KEY_ACCOUNT_INACTIVE: 'UNAUTHENTICATED',
  BLOCKING_TOKEN_EXPIRED: 'UNAUTHENTICATED',
  BLOCKING_TOKEN_INVALID: 'UNAUTHENTICATED',
  ORIGIN_NOT_ALLOWED: 'PERMISSION_DENIED',
  INVOKER_NOT_ALLOWED: 'PERMISSION_DENIED',
  ROLE_REQUIRED: 'PERMISSION_DENIED',
  ACCOUNT_SUSPENDED: 'PERMISSION_DENIED',
  ACCOUNT_TERMINATED: 'PERMISSION_DENIED',
  EMAIL_NOT_VERIFIED: 'FAILED_PRECONDITION',
  RECENT_SIGN_IN_REQUIRED: 'FAILED_PRECONDITION',
  AMOUNTS_DUE: 'FAILED_PRECONDITION',
  RATE_LIMITED: 'RESOURCE_EXHAUSTED',
  API_KEY_LIMIT: 'RESOURCE_EXHAUSTED',
  ACCOUNT_NOT_FOUND: 'NOT_FOUND',
  INCIDENT_NOT_FOUND: 'NOT_FOUND',
  NOTICE_NOT_FOUND: 'NOT_FOUND',
  INVOICE_NOT_FOUND: 'NOT_FOUND',
  BREACH_NOT_FOUND: 'NOT_FOUND',
  API_KEY_NOT_FOUND: 'NOT_FOUND',
  RECORD_REQUEST_NOT_FOUND: 'NOT_FOUND',
  ALREADY_TERMINATED: 'FAILED_PRECONDITION',
  NOT_ACTIVE: 'FAILED_PRECONDITION',
  NOT_SUSPENDED: 'FAILED_PRECONDITION',
  NO_TERMINATION: 'FAILED_PRECONDITION',
  TERMINATION_EFFECTIVE: 'FAILED_PRECONDITION',
  NOT_CANCELLABLE: 'FAILED_PRECONDITION',
  NOT_WITHDRAWABLE: 'FAILED_PRECONDITION',
  BREACH_NOT_OPEN: 'FAILED_PRECONDITION',
  INVOICE_PAID: 'FAILED_PRECONDITION',
  INVOICE_VOID: 'FAILED_PRECONDITION',
  INVOICE_CONFLICT: 'ALREADY_EXISTS',
  BILLING_CONTENTION: 'ABORTED',
  NO_PENDING_CONTACT_EMAIL: 'FAILED_PRECONDITION',
  CODE_EXPIRED: 'FAILED_PRECONDITION',
  INCIDENT_TRANSITION_NOT_ALLOWED: 'FAILED_PRECONDITION',
  NOTICE_WITHDRAWN: 'FAILED_PRECONDITION',
  RECORDS_NOT_FULFILLED: 'FAILED_PRECONDITION',
  RECORDS_ALREADY_FULFILLED: 'FAILED_PRECONDITION',
  BACKUP_EXISTS: 'ALREADY_EXISTS',
  BACKUP_BUCKET_MISSING: 'FAILED_PRECONDITION',
  DATABASE_EXISTS: 'FAILED_PRECONDITION',
  LIVE_DATABASE_HAS_ACCOUNTS: 'FAILED_PRECONDITION',
  STREAM_INCOMPLETE: 'INTERNAL',
  INTERNAL: 'INTERNAL',
};

/** HTTP codes that differ from the status's usual one, for every endpoint. */
const HTTP_CODE_OF: Partial<Record<Reason, number>> = { METHOD_NOT_ALLOWED: 405 };

/**
 * The codes of the plain-HTTP download (`exportContent`, DESIGN §5): a client that is not a
 * Firebase SDK reads the code, so each refusal of retrieval gets its own (clause 3.2(b)).
 */
export const DOWNLOAD_HTTP_CODE_OF: Partial<Record<Reason, number>> = { AMOUNTS_DUE: 402, ACCOUNT_SUSPENDED: 403, ACCOUNT_TERMINATED: 410 };

/** The protocol status of `error`. */
export function statusOf(error: AppError): ErrorStatus {
  return STATUS_OF[error.reason];
}

/** The HTTP code `error` is sent with, `overrides` first (e.g. DOWNLOAD_HTTP_CODE_OF). */
export function httpCodeOf(error: AppError, overrides: Partial<Record<Reason, number>> = {}): number {
  return overrides[error.reason] ?? HTTP_CODE_OF[error.reason] ?? HTTP_STATUS[statusOf(error)];
}

/** The callable protocol's `{"error": {status, message, details}}` body of `error`. */
export function errorBody(error: AppError): { error: { status: ErrorStatus; message: string; details: Record<string, unknown> } } {
  return { error: { status: statusOf(error), message: error.message, details: { reason: error.reason, ...error.details } } };
}

/** The body sent for any unexpected failure: no internals leak to the caller. */
export const INTERNAL_ERROR = new AppError('INTERNAL', 'Internal error. It has been logged; please try again.');
