import { ENTRIES, type FunctionName } from '../../functions/src/manifest';
import type { Sizing } from '../../functions/src/manifest-sizing';

export type { FunctionName, Sizing };

/** Every function's sizing, as the manifest (functions/src/manifest.ts) declares it. */
export const SIZING: Readonly<Record<FunctionName, Sizing>> = Object.fromEntries(ENTRIES.map(([name, entry]) => [name, entry.sizing])) as Record<FunctionName, Sizing>;

/**
 * The sizing of `name`.
 * @throws Error for a function the manifest does not declare: the plan must not guess.
 */
export function sizingOf(name: string): Sizing {
  const sizing = (SIZING as Readonly<Record<string, Sizing | undefined>>)[name];
  if (!sizing) throw new Error(`${name} has no sizing: declare it in functions/src/manifest.ts`);
  return sizing;
}
