import { httpsCallable, httpsCallableFromURL, type Functions } from 'firebase/functions';
import type { CallableInput, CallableName, CallableResult } from '../../../functions/src/api';

export type { CallableInput, CallableName, CallableResult };

/**
 * A refusal from a function: `reason` is the stable `details.reason` (functions/src/shared/errors.ts
 * REASONS) to switch on and to translate; `message` is the function's own English text.
 */
export class ApiError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Turns whatever a call threw into an ApiError (network failures are `UNAVAILABLE`). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const e = error as { code?: string; message?: string; details?: unknown };
  const details = e.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : {};
  const reason = typeof details.reason === 'string'
    ? details.reason
    : (e.code ?? 'internal').replace(/^functions\//, '').toUpperCase().replace(/-/g, '_');
  return new ApiError(reason, e.message ?? String(error), details);
}

/** Arguments of `call`: functions whose input may be empty take none. */
type Args<N extends CallableName> = undefined extends CallableInput<N> ? [input?: CallableInput<N>] : [input: CallableInput<N>];

/** Calls the functions by name with their own input and result types (functions/src/api.ts). */
export interface Client {
  call<N extends CallableName>(name: N, ...args: Args<N>): Promise<CallableResult<N>>;
}

/**
 * The typed client every client app can use: one call per function, typed from the functions'
 * own schemas, errors as ApiError. `baseUrl` (production) calls `<baseUrl>/<name>` behind the load
 * balancer; without it the Functions instance's own URL scheme applies (e.g. the emulator's).
 */
export function createClient(functions: Functions, baseUrl: string | null = null): Client {
  return {
    async call(name, ...args) {
      const fn = baseUrl ? httpsCallableFromURL(functions, `${baseUrl}/${name}`) : httpsCallable(functions, name);
      try {
        const { data } = await fn(args[0] ?? null);
        return data as CallableResult<typeof name>;
      } catch (error) {
        throw toApiError(error);
      }
    },
  };
}
