import type { CloudSchedulerClient } from '@google-cloud/scheduler';
import type { Storage } from '@google-cloud/storage';
import { applyStep } from './apply';
import type { RunResult } from './compare';
import { deployedName, isFunctionDeploy } from './function-compare';
import { inPool, took } from './pool';
import type { CommandStep, Step } from './steps';

export { covers } from './compare';
export { resolve } from './placeholders';

/** What a step found and did (`applied`: an idempotent command with nothing to read, e.g. enabling APIs). */
export type Outcome = 'create' | 'update' | 'unchanged' | 'applied' | 'captured' | 'failed';

/** The side-effecting edges of a run, injectable so tests can point them at local endpoints. */
export interface Runners {
  run(argv: readonly string[], stdin?: string): Promise<RunResult>;
  /** An authorised Google API call; `status` 404 means "absent". */
  http(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<{ status: number; data: unknown }>;
  scheduler: Pick<CloudSchedulerClient, 'getJob' | 'createJob' | 'updateJob'>;
  storage: Pick<Storage, 'bucket' | 'createBucket'>;
  log(line: string): void;
  /** A monotonic clock in milliseconds, for progress lines (default: performance.now). */
  now?(): number;
}

/** How a run went: one outcome per step that ran, in plan order, and what failed. */
export interface RunReport {
  readonly failed: boolean;
  readonly outcomes: Outcome[];
  readonly failures: { readonly title: string; readonly message: string }[];
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const clock = (r: Runners): number => (r.now ? r.now() : performance.now());

/** Deploys consecutive function steps `concurrency` at a time; one failing does not stop the others. */
async function deployFunctions(batch: readonly Step[], vars: Map<string, string>, r: Runners, concurrency: number): Promise<{ outcomes: Outcome[]; failures: RunReport['failures'] }> {
  r.log(`functions: deploying ${batch.length}, ${Math.min(concurrency, batch.length)} at a time`);
  let done = 0;
  const started = clock(r);
  const results = await inPool(batch, concurrency, async (step) => {
    const t0 = clock(r);
    const finish = (text: string): string => `[${String((done += 1)).padStart(String(batch.length).length)}/${batch.length}] ${step.title} … ${text} in ${took(clock(r) - t0)}`;
    try {
      const outcome = await applyStep(step, vars, r);
      r.log(`${finish('done')} (${outcome})`);
      return { outcome, failure: null };
    } catch (error) {
      r.log(`${finish('FAILED')}\n${message(error)}`);
      return { outcome: 'failed' as const, failure: { title: step.title, message: message(error) } };
    }
  });
  const failures = results.flatMap((x) => (x.failure ? [x.failure] : []));
  r.log(`functions: ${batch.length - failures.length} of ${batch.length} deployed in ${took(clock(r) - started)}${failures.length ? `, ${failures.length} FAILED` : ''}`);
  return { outcomes: results.map((x) => x.outcome), failures };
}

/** The closing lines after a failure: what failed, what did not run, how to retry. */
function summarise(r: Runners, steps: readonly Step[], failures: RunReport['failures'], notRun: number): void {
  const lastLine = (text: string): string => text.trim().split('\n').filter((l) => l.trim() !== '').pop()?.trim().slice(0, 300) ?? '';
  r.log(`\nFAILED (${failures.length}):`);
  for (const f of failures) r.log(`  - ${f.title}: ${lastLine(f.message)}`);
  if (notRun > 0) r.log(`Not run: ${notRun} later step(s), which depend on what failed.`);
  const names = steps.filter((s): s is CommandStep => isFunctionDeploy(s) && failures.some((f) => f.title === s.title)).map(deployedName);
  r.log(names.length > 0 ? `Fix the cause, then run again: --only ${names.join(',')} retries just those functions; a run without --only also applies the steps not run.`
    : 'Fix the cause and run again: every step reads first, so what succeeded is left unchanged.');
}

/**
 * Applies `steps` in plan order, each reading the current state first and reporting create /
 * update / unchanged. A run of consecutive function deploys goes `concurrency` at a time, and all
 * of them finish even when one fails; the run stops after the first failing step or batch, since
 * later steps depend on earlier ones (roles before functions, functions before their invokers,
 * identity config and scheduler jobs).
 */
export async function executeSteps(steps: readonly Step[], r: Runners, options: { concurrency?: number } = {}): Promise<RunReport> {
  const vars = new Map<string, string>();
  const outcomes: Outcome[] = [];
  const failures: RunReport['failures'][number][] = [];
  let i = 0;
  while (i < steps.length && failures.length === 0) {
    const first = steps[i] as Step;
    if (isFunctionDeploy(first)) {
      let end = i;
      while (end < steps.length && isFunctionDeploy(steps[end] as Step)) end += 1;
      const batch = await deployFunctions(steps.slice(i, end), vars, r, options.concurrency ?? 1);
      outcomes.push(...batch.outcomes);
      failures.push(...batch.failures);
      i = end;
      continue;
    }
    const label = `[${String(i + 1).padStart(2, '0')}] ${first.part}: ${first.title}`;
    try {
      const outcome = await applyStep(first, vars, r);
      outcomes.push(outcome);
      r.log(`${label}: ${outcome}`);
    } catch (error) {
      outcomes.push('failed');
      failures.push({ title: first.title, message: message(error) });
      r.log(`${label}: FAILED\n${message(error)}`);
    }
    i += 1;
  }
  if (failures.length > 0) summarise(r, steps, failures, steps.length - i);
  return { failed: failures.length > 0, outcomes, failures };
}
