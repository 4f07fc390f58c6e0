/** A scheduled job: a private function Cloud Scheduler POSTs to every `everyMinutes`. */
export interface ScheduledJob {
  readonly name: string;
  readonly everyMinutes: number;
}

/**
 * The jobs the local stack runs on its in-process cron, mirroring the Cloud Scheduler jobs
 * the deploy creates. Empty until the first scheduled function lands.
 */
export const SCHEDULED_JOBS: readonly ScheduledJob[] = [];
