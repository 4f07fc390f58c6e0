import type { ZodType } from 'zod';
import type { Deps } from './deps';
import type { Caller, Role } from './shared/caller';

/**
 * How each kind of function is declared: who may call it, what input it takes, what it does.
 * Use cases declare their function with one of these; `http/` alone turns a declaration into an
 * HTTP endpoint (DESIGN §5), so no use case knows HTTP.
 */

/** What a callable handler receives besides its validated input. */
export interface CallContext<C extends Caller | null = Caller | null> {
  /** The verified caller: never null where the declaration requires one. */
  readonly caller: C;
  /** Client IP as seen by the front end (for rate limits), never for identity. */
  readonly ip: string;
}

/**
 * `I` is the validated input the handler receives; `W` what a client sends on the wire (they differ
 * where the schema transforms, e.g. a date string into a Date): declare it as `z.input` of the
 * schema. Client apps are typed by `W` (api.ts, which refuses to compile while one is left open).
 */
interface CallableBase<I, W> {
  /** Validates `data`; anything it rejects becomes INVALID_ARGUMENT and nothing runs. */
  readonly input: ZodType<I, W>;
}

/** A callable for signed-in callers: the handler always receives the caller. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- open until the spec declares its wire type; api.ts refuses that
export interface SignedInCallableSpec<I, O, W = any> extends CallableBase<I, W> {
  readonly auth: 'required';
  /** When set, the caller's `role` claim must be one of these (staff functions). */
  readonly roles?: readonly Role[];
  /** Also accept `Authorization: ApiKey <key>` (owner's server integrations, clause 1.3). */
  readonly apiKey?: boolean;
  /**
   * Let an email+password user whose address is not yet verified through. Only `getAccount`
   * does (clause 5.2): everything else answers FAILED_PRECONDITION / EMAIL_NOT_VERIFIED.
   */
  readonly allowUnverified?: boolean;
  readonly handler: (deps: Deps, input: I, context: CallContext<Caller>) => Promise<O>;
}

/** A callable anyone may call; an ID token, when sent, is verified and passed on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- open until the spec declares its wire type; api.ts refuses that
export interface OptionalCallerCallableSpec<I, O, W = any> extends CallableBase<I, W> {
  readonly auth: 'optional';
  /** Let a signed-in email+password user whose address is not yet verified through. */
  readonly allowUnverified?: boolean;
  readonly handler: (deps: Deps, input: I, context: CallContext) => Promise<O>;
}

/** A callable that ignores credentials altogether. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- open until the spec declares its wire type; api.ts refuses that
export interface AnonymousCallableSpec<I, O, W = any> extends CallableBase<I, W> {
  readonly auth: 'none';
  readonly handler: (deps: Deps, input: I, context: CallContext<null>) => Promise<O>;
}

/** Declares one callable function (DESIGN §5), typed by its auth mode. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see CallableBase
export type CallableSpec<I, O, W = any> = SignedInCallableSpec<I, O, W> | OptionalCallerCallableSpec<I, O, W> | AnonymousCallableSpec<I, O, W>;

/**
 * Takes one chunk of whole NDJSON lines. When it returns a promise, the producer awaits it before
 * the next chunk: that is the response's back-pressure. Never called concurrently.
 * @throws Error once the client has gone away.
 */
export type ChunkWriter = (chunk: string) => Promise<void> | undefined;

/** A streamed NDJSON answer, decided (authorised, refused) before its first byte. */
export interface NdjsonStream {
  /** Offered to browsers as `Content-Disposition: attachment; filename="…"`. */
  readonly filename: string;
  /** Writes the whole body through `write`; rejects when it could not. */
  pipeTo(write: ChunkWriter): Promise<void>;
}

/**
 * Declares a streamed GET for signed-in callers (DESIGN §5 `exportContent`, `exportRecords`).
 * `Q` is what its query string (`?name=value`) says, once validated; `undefined` without `query`.
 */
export interface StreamSpec<Q = undefined> {
  /** Also accept `Authorization: ApiKey <key>` (owner's server integrations, clause 1.3). */
  readonly apiKey?: boolean;
  /** Validates the query string; anything it rejects is INVALID_ARGUMENT and nothing is opened. Without it the query is ignored. */
  readonly query?: ZodType<Q>;
  /** Decides the answer. An AppError thrown here is sent as a JSON error; nothing is streamed. */
  readonly open: (deps: Deps, context: CallContext<Caller>, query: Q) => Promise<NdjsonStream>;
}

/** A plain-HTTP answer of a public page: status, content type and body. */
export interface PlainResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a scheduled run knows about its own time: the platform ends it at the timeout its function declares. */
export interface ScheduledContext {
  /** The declared timeout of the function (functions/src/manifest.ts). */
  readonly timeoutMs: number;
  /** When the platform ends this run, on the monotonic clock (`performance.now()`). */
  readonly deadline: number;
}

/**
 * The time a scheduled run may still start new work: what is left before its deadline, less
 * `finishShare` of its declared timeout kept to finish the work in flight. So the budget follows
 * the timeout the manifest declares, never a number the use case assumes.
 */
export function workBudgetMs(context: ScheduledContext, finishShare: number): number {
  return Math.max(0, Math.round(context.deadline - performance.now() - finishShare * context.timeoutMs));
}

/** What a scheduled function does; its result is the JSON summary the caller receives. */
export type ScheduledHandler<O> = (deps: Deps, context: ScheduledContext) => Promise<O>;
