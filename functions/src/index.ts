import * as functions from '@google-cloud/functions-framework';
import { ENTRIES, type FunctionName } from './manifest';

/**
 * Every function this codebase deploys, by its contract name (DESIGN §5): each use case in the
 * manifest behind the HTTP wrapper of its declared kind.
 */
export const FUNCTIONS = Object.fromEntries(ENTRIES.map(([name, entry]) => [name, entry.serve(name)])) as Record<FunctionName, functions.HttpFunction>;

for (const [name, handler] of Object.entries(FUNCTIONS)) functions.http(name, handler);
