import type { ZodError } from 'zod';

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
 * The error use cases throw. `reason` is a stable, machine-readable code (`EMAIL_NOT_VERIFIED`,
 * `AMOUNTS_DUE`, …) that clients switch on; it travels as `details.reason`. `httpStatus`
 * overrides the status's usual HTTP code where a plain-HTTP endpoint needs another (402, 410).
 */
export class AppError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly reason: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly httpStatus: number = HTTP_STATUS[status],
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** The `{"error": …}` body of the callable protocol. */
  toBody(): { error: { status: ErrorStatus; message: string; details: Record<string, unknown> } } {
    return { error: { status: this.status, message: this.message, details: { reason: this.reason, ...this.details } } };
  }
}

/** Shorthand for the most common refusal: bad input. */
export function invalidArgument(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('INVALID_ARGUMENT', 'INVALID_ARGUMENT', message, details);
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

/** The body sent for any unexpected failure: no internals leak to the caller. */
export const INTERNAL_ERROR = new AppError('INTERNAL', 'INTERNAL', 'Internal error. It has been logged; please try again.');
