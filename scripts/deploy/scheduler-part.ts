import type { DeployableFunction } from './inventory';
import type { DeployOptions } from './options';
import { sizingOf } from './sizing';
import { enableApis, functionUrl, REGION, TIME_ZONE, type Step } from './steps';

/**
 * The `scheduler` part: one Cloud Scheduler job per scheduled function, named after it (so a re-run updates
 * rather than duplicates), POSTing `{}` with an OIDC token of the scheduler service account whose
 * audience is the function's URL — what http/scheduled.ts verifies.
 */
export function schedulerPart(o: DeployOptions, functions: readonly DeployableFunction[]): Step[] {
  const parent = `projects/${o.project}/locations/${REGION}`;
  return [
    enableApis('scheduler', o.project, ['cloudscheduler.googleapis.com']),
    ...functions
      .filter((fn) => fn.kind === 'scheduled')
      .map((fn): Step => {
        const url = functionUrl(o.project, fn.name);
        return {
          kind: 'scheduler',
          part: 'scheduler',
          title: `job ${fn.name} (${fn.cron ?? ''})`,
          parent,
          job: {
            name: `${parent}/jobs/${fn.name}`,
            description: `OrderPally ${fn.name} (deployed by scripts/deploy.ts)`,
            schedule: fn.cron ?? '',
            timeZone: TIME_ZONE,
            attemptDeadline: { seconds: Math.min(sizingOf(fn.name).timeoutSeconds + 30, 1800) },
            // The sweeps are idempotent and the next run catches up anyway: a few quick retries suffice.
            retryConfig: { retryCount: 3, minBackoffDuration: { seconds: 10 }, maxBackoffDuration: { seconds: 300 }, maxDoublings: 3 },
            httpTarget: {
              uri: url,
              httpMethod: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: Buffer.from('{}').toString('base64'),
              oidcToken: { serviceAccountEmail: o.schedulerServiceAccount, audience: url },
            },
          },
        };
      }),
  ];
}
