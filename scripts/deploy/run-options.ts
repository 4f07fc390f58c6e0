import { parseOptions, UsageError, type DeployOptions } from './options';
import { PARTS } from './steps';

/** How to run a deployment: what to deploy (DeployOptions) plus the mode and its pace. */
export interface RunOptions {
  readonly deploy: DeployOptions;
  /** `dry-run` prints the plan; `check` reads the live configuration and prints the drift; `apply` deploys. */
  readonly mode: 'dry-run' | 'check' | 'apply';
  /** Function deploys (and reads) at a time. */
  readonly concurrency: number;
  /** Functions named in `--only`: only these are deployed; empty means all. */
  readonly functions: readonly string[];
}

export const DEFAULT_CONCURRENCY = 6;
const MAX_CONCURRENCY = 20;

const RUN_USAGE = `  [--check] [--concurrency <1–${MAX_CONCURRENCY}, default ${DEFAULT_CONCURRENCY}>] [--only <part or function name>,…]`;

/**
 * Parses `argv`: `--check`, `--concurrency N` and function names in `--only` here, everything
 * else by parseOptions. A function name in `--only` selects the functions part for that function.
 * @param names the deployable function names.
 * @throws UsageError for an unknown `--only` name, a bad concurrency, or `--check` with `--dry-run`.
 */
export function parseRunOptions(argv: readonly string[], names: readonly string[], env: NodeJS.ProcessEnv = process.env): RunOptions {
  const rest: string[] = [];
  const only: string[] = [];
  let check = false;
  let concurrency: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [key, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      i += 1;
      if (argv[i] === undefined || argv[i]?.startsWith('--')) throw new UsageError(`${key} needs a value\n${RUN_USAGE}`);
      return argv[i] ?? '';
    };
    if (key === '--check' && inline === undefined) check = true;
    else if (key === '--concurrency') concurrency = value();
    else if (key === '--only') only.push(...value().split(',').map((o) => o.trim()).filter(Boolean));
    else rest.push(arg);
  }
  const unknown = only.filter((o) => !(PARTS as readonly string[]).includes(o) && !names.includes(o));
  if (unknown.length > 0) {
    throw new UsageError(`--only: unknown part or function ${unknown.join(', ')}; parts: ${PARTS.join(', ')}; functions: the names in functions/src/index.ts.\n${RUN_USAGE}`);
  }
  const n = Number(concurrency ?? DEFAULT_CONCURRENCY);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) throw new UsageError(`--concurrency: must be a whole number from 1 to ${MAX_CONCURRENCY}\n${RUN_USAGE}`);
  const functions = only.filter((o) => names.includes(o));
  const parts = [...new Set([...only.filter((o) => !names.includes(o)), ...(functions.length > 0 ? ['functions'] : [])])];
  const deploy = parseOptions([...rest, ...(parts.length > 0 ? ['--only', parts.join(',')] : [])], env);
  if (check && deploy.dryRun) throw new UsageError(`--check and --dry-run: choose one (--check only reads, a dry run reads nothing)\n${RUN_USAGE}`);
  return { deploy, mode: check ? 'check' : deploy.dryRun ? 'dry-run' : 'apply', concurrency: n, functions };
}
