import type { HttpFunction } from '@google-cloud/functions-framework';
import { kindOf, type FunctionKind } from '../../functions/src/http/kind';
import { FUNCTIONS } from '../../functions/src/index';
import { SCHEDULED_JOBS, type ScheduledJob } from '../../functions/src/local/schedule';
import { SIZING, type Sizing } from './sizing';

/** One function to deploy, as the code declares it. */
export interface DeployableFunction {
  readonly name: string;
  readonly kind: FunctionKind;
  /** Only for `scheduled`: the Cloud Scheduler cron (Asia/Taipei). */
  readonly cron?: string;
}

/** Every function's sizing (scripts/deploy/sizing.ts), by name. */
export const RUNTIME: Readonly<Record<string, Sizing>> = SIZING;
/** What the scheduler assumes for a function without a row (none in FUNCTIONS: the type requires one). */
export const DEFAULT_RUNTIME = { timeoutSeconds: 60, memory: '256Mi' } as const;

/**
 * The cron of a local job: its own `cron` when it has one, else derived from `everyMinutes`
 * (fallback while schedule.ts has no cron field).
 */
export function cronOf(job: ScheduledJob): string {
  const own = job.cron?.trim();
  if (own) return own;
  const n = job.everyMinutes;
  if (n === 1) return '* * * * *';
  if (n < 60 && 60 % n === 0) return `*/${n} * * * *`;
  if (n === 60) return '0 * * * *';
  if (n === 1440) return '0 2 * * *';
  throw new Error(`${job.name}: everyMinutes ${n} has no cron equivalent; give the job a cron`);
}

/**
 * Every function of `functions` with the kind its HTTP wrapper tagged it with; a scheduled one
 * also gets the cron of its job in `jobs`.
 * @throws Error for an untagged function or a scheduled function without a job (or the reverse):
 *   the plan must not silently leave one out.
 */
export function inventory(
  functions: Readonly<Record<string, HttpFunction>> = FUNCTIONS,
  jobs: readonly ScheduledJob[] = SCHEDULED_JOBS,
): DeployableFunction[] {
  const list = Object.entries(functions).map(([name, fn]): DeployableFunction => {
    const kind = kindOf(fn);
    if (!kind) throw new Error(`${name} has no kind: wrap it with callable/publicGet/blocking/scheduled/authenticatedGet`);
    if (kind !== 'scheduled') return { name, kind };
    const job = jobs.find((j) => j.name === name);
    if (!job) throw new Error(`${name} is scheduled but SCHEDULED_JOBS has no job for it`);
    return { name, kind, cron: cronOf(job) };
  });
  for (const job of jobs) {
    if (!list.some((f) => f.name === job.name && f.kind === 'scheduled')) {
      throw new Error(`SCHEDULED_JOBS names ${job.name}, which is not a scheduled function in FUNCTIONS`);
    }
  }
  return list;
}

/** Reached by client apps (through the load balancer only). */
export function isClientFacing(kind: FunctionKind): boolean {
  return kind === 'callable' || kind === 'public' || kind === 'stream';
}
