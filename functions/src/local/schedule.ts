/** A scheduled job: a private function Cloud Scheduler POSTs to every `everyMinutes`. */
export interface ScheduledJob {
  readonly name: string;
  readonly everyMinutes: number;
}

/**
 * The jobs the local stack runs on its in-process cron, mirroring the Cloud Scheduler jobs
 * the deploy creates.
 */
export const SCHEDULED_JOBS: readonly ScheduledJob[] = [
  // Sweeps the mail outbox: due retries and messages whose sender's lease ran out (DESIGN §6).
  { name: 'deliverMail', everyMinutes: 1 },
  // Continues service-notice fan-outs that the announcing request did not finish (clause 2.1).
  { name: 'sendServiceNotices', everyMinutes: 1 },
];
