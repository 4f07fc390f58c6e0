import type { MANIFEST } from './manifest';
import type { CallableEntry } from './manifest-entry';

/**
 * The callable API as client apps see it, read off the manifest's declarations: each function's
 * input is what its zod schema accepts (the validated shape) and its result what its handler
 * returns. Types only — importing this module loads no server code. The web client's typed
 * caller (web/src/api/client.ts) is built on it; other TypeScript client apps can import it too.
 */
type Manifest = typeof MANIFEST;

/** The name of every callable function (DESIGN §5). */
export type CallableName = {
  [K in keyof Manifest]: Manifest[K] extends CallableEntry<unknown, unknown> ? K : never;
}[keyof Manifest];

/** What `name` takes as `data`: its schema's input (functions that take nothing accept `undefined`, `null` or `{}`). */
export type CallableInput<N extends CallableName> = Manifest[N] extends CallableEntry<infer W, unknown> ? W : never;

/** What `name` answers as `result`. */
export type CallableResult<N extends CallableName> = Manifest[N] extends CallableEntry<unknown, infer O> ? O : never;

/** The whole callable API as one map: `{ getAccount: { input, result }, … }`. */
export type CallableApi = { [N in CallableName]: { input: CallableInput<N>; result: CallableResult<N> } };

// Every callable declares its wire type (spec.ts): one left open (`any`/`unknown`) fails the build here.
type Open<N extends CallableName> = unknown extends CallableInput<N> ? N : never;
type Undeclared = { [N in CallableName]: Open<N> }[CallableName];
/** Compiles only while no callable's input type is left open; names the culprit otherwise. */
export const everyInputDeclared: [Undeclared] extends [never] ? true : { undeclared: Undeclared } = true;
