import { ENTRIES } from '../manifest';

/** A scheduled job: a private function Cloud Scheduler POSTs to every `everyMinutes`. */
export interface ScheduledJob {
  readonly name: string;
  readonly everyMinutes: number;
  /** Unix cron in Asia/Taipei: the Cloud Scheduler job's schedule. Optional only so ad-hoc jobs (tests) may omit it. */
  readonly cron?: string;
}

/**
 * The jobs the local stack runs on its in-process cron: every scheduled function of the manifest
 * (functions/src/manifest.ts), as the deploy makes Cloud Scheduler jobs of the same declarations.
 */
export const SCHEDULED_JOBS: readonly ScheduledJob[] = ENTRIES.flatMap(([name, entry]) =>
  entry.schedule ? [{ name, everyMinutes: entry.schedule.everyMinutes, cron: entry.schedule.cron }] : []);
