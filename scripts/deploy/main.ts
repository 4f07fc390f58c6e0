import { checkExitCode, checkSteps } from './check';
import { executeSteps, type Runners } from './execute';
import { inventory, type DeployableFunction } from './inventory';
import { planWarnings } from './matrix';
import type { DeployOptions } from './options';
import { buildPlan } from './plan';
import { renderPlan } from './render';
import { parseRunOptions } from './run-options';
import type { Step } from './steps';
import { webWarnings } from './web-part';

/**
 * The plan for `o`, with the functions part narrowed to `names` when some are given. The other
 * parts always see every function: a URL map or scheduler built from a subset would drop routes.
 */
export function selectPlan(o: DeployOptions, names: readonly string[], all: readonly DeployableFunction[] = inventory()): Step[] {
  if (names.length === 0) return buildPlan(o, all);
  const chosen = all.filter((fn) => names.includes(fn.name));
  return o.parts.flatMap((part) => buildPlan({ ...o, parts: [part] }, part === 'functions' ? chosen : all));
}

/** Where a run writes and what it runs against (tests pass local recorders). */
export interface Io {
  out(text: string): void;
  /** Warnings a person must not miss before a real run or check. */
  err(text: string): void;
  runners(project: string): Promise<Runners>;
}

/**
 * `npm run deploy -- …`: prints the plan (`--dry-run`), compares it with the live project
 * (`--check`: exit 1 on any drift) or applies it. Returns the exit code.
 * @throws UsageError for a bad command line (exit 2).
 */
export async function deployMain(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io, all: readonly DeployableFunction[] = inventory()): Promise<number> {
  const run = parseRunOptions(argv, all.map((fn) => fn.name), env);
  const o = run.deploy;
  const steps = selectPlan(o, run.functions, all);
  const where = `project ${o.project}, parts ${o.parts.join(', ')}${run.functions.length > 0 ? ` (functions: ${run.functions.join(', ')})` : ''}`;
  if (run.mode === 'dry-run') {
    io.out(`Dry run for ${where}: ${steps.length} steps, nothing is changed.\n\n${renderPlan(steps, webWarnings(o))}\n`);
    return 0;
  }
  for (const warning of [...webWarnings(o), ...planWarnings(steps)]) io.err(`${warning}\n`);
  const runners = await io.runners(o.project);
  if (run.mode === 'check') {
    io.out(`Checking ${where} against the plan: ${steps.length} steps, read only.\n`);
    return checkExitCode(await checkSteps(steps, runners, { concurrency: run.concurrency }));
  }
  io.out(`Deploying ${where}: ${steps.length} steps, functions ${run.concurrency} at a time.\n`);
  return (await executeSteps(steps, runners, { concurrency: run.concurrency })).failed ? 1 : 0;
}
