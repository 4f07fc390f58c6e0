/** A scheduled job: a private function Cloud Scheduler POSTs to every `everyMinutes`. */
export interface ScheduledJob {
  readonly name: string;
  readonly everyMinutes: number;
  /**
   * Unix cron in Asia/Taipei: the Cloud Scheduler job's schedule (the deploy reads it). Optional only
   * so ad-hoc jobs (tests) may omit it; every job in SCHEDULED_JOBS sets it.
   */
  readonly cron?: string;
}

/**
 * The jobs the local stack runs on its in-process cron, mirroring the Cloud Scheduler jobs
 * the deploy creates.
 */
export const SCHEDULED_JOBS: readonly ScheduledJob[] = [
  // Sweeps the mail outbox: due retries and messages whose sender's lease ran out (DESIGN §6).
  { name: 'deliverMail', everyMinutes: 1, cron: '* * * * *' },
  // Finalises terminations, escalates breaches, ends contracts, sends reminders (DESIGN §4).
  { name: 'processLifecycle', everyMinutes: 5, cron: '*/5 * * * *' },
  // Continues service-notice fan-outs that the announcing request did not finish (clause 2.1).
  { name: 'sendServiceNotices', everyMinutes: 1, cron: '* * * * *' },
  // Exports the whole database, nightly at 02:00 Taipei (clause 5.4, DESIGN §7).
  { name: 'runBackup', everyMinutes: 1440, cron: '0 2 * * *' },
  // Follows exports to their end and alerts ops on a stale or failed backup (clause 5.4).
  { name: 'checkBackups', everyMinutes: 60, cron: '0 * * * *' },
];
