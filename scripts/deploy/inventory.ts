import type { FunctionKind } from '../../functions/src/http/kind';
import { ENTRIES } from '../../functions/src/manifest';
import type { FunctionEntry } from '../../functions/src/manifest-entry';

/** One function to deploy, as the manifest (functions/src/manifest.ts) declares it. */
export interface DeployableFunction {
  readonly name: string;
  readonly kind: FunctionKind;
  /** Only for `scheduled`: the Cloud Scheduler cron (Asia/Taipei). */
  readonly cron?: string;
}

/**
 * Every function of the manifest with its kind; a scheduled one also gets its cron.
 * @throws Error for a scheduled function without a schedule, or a schedule on another kind: the
 *   plan must not silently leave a job out or invent one.
 */
export function inventory(entries: ReadonlyArray<readonly [string, Pick<FunctionEntry, 'kind' | 'schedule'>]> = ENTRIES): DeployableFunction[] {
  return entries.map(([name, entry]): DeployableFunction => {
    const cron = entry.schedule?.cron.trim();
    if (entry.kind !== 'scheduled') {
      if (cron !== undefined) throw new Error(`${name} has a schedule but is ${entry.kind}, not scheduled`);
      return { name, kind: entry.kind };
    }
    if (!cron) throw new Error(`${name} is scheduled but declares no schedule in functions/src/manifest.ts`);
    return { name, kind: entry.kind, cron };
  });
}

/** Reached by client apps (through the load balancer only). */
export function isClientFacing(kind: FunctionKind): boolean {
  return kind === 'callable' || kind === 'public' || kind === 'stream';
}
