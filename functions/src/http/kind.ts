import type { HttpFunction } from '@google-cloud/functions-framework';

/**
 * How a function is reached, which decides how it is deployed (issue #8, clause 5.3):
 * - `callable` / `public` / `stream`: client-facing, invokable by anyone but only through the load balancer;
 * - `blocking`: called by Identity Platform only;
 * - `scheduled`: called by Cloud Scheduler only.
 */
export type FunctionKind = 'callable' | 'public' | 'blocking' | 'scheduled' | 'stream';

// A registry symbol rather than a module-level map, so the tag survives the module being loaded twice
// (ts-jest and tsx each load their own copy).
const KIND = Symbol.for('orderpally.functionKind');

/**
 * Tags `fn` with its kind and returns it unchanged. The kind is declared in functions/src/manifest.ts;
 * the tag lets a test check that each function is served by the wrapper of its declared kind.
 */
export function withKind<F extends HttpFunction>(fn: F, kind: FunctionKind): F {
  Object.defineProperty(fn, KIND, { value: kind, enumerable: false });
  return fn;
}

/** The kind `fn` was tagged with by its HTTP wrapper, or undefined for an untagged function. */
export function kindOf(fn: HttpFunction): FunctionKind | undefined {
  return (fn as unknown as Record<symbol, FunctionKind | undefined>)[KIND];
}

/**
 * Tags `fn` with the kind of the handler `real` returns, read when asked: for a function whose
 * handler is built on its first request, asking builds it (and loads its use case).
 */
export function withKindOf<F extends HttpFunction>(fn: F, real: () => HttpFunction): F {
  Object.defineProperty(fn, KIND, { get: () => kindOf(real()), enumerable: false });
  return fn;
}
