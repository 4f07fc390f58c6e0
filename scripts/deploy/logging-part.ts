import type { DeployOptions } from './options';
import { enableApis, gcloud, REGION, type CommandStep, type Step } from './steps';

/** The log bucket in Taiwan that the project's `_Default` sink writes to (clause 5.10). */
export const LOG_BUCKET = 'orderpally-logs';
/** As long as the `_Default` bucket keeps logs by default. */
export const LOG_RETENTION_DAYS = 30;

/** The full name a sink destination uses for the log bucket. */
export function logBucketDestination(project: string): string {
  return `logging.googleapis.com/projects/${project}/locations/${REGION}/buckets/${LOG_BUCKET}`;
}

/**
 * The `logging` part (clause 5.10: the service's cloud location is Taiwan): the project's logs stored in
 * asia-east1. A log bucket there; the `_Default` sink (everything but the audit logs that
 * `_Required` takes) pointed at it; and the project's default storage location set to asia-east1,
 * so buckets Cloud Logging creates later land there too. `_Required` (Admin Activity and System
 * Event audit logs, 400 days) cannot be moved or re-routed: it stays where the project was created
 * with it — in Taiwan only if the organisation's default log storage location was asia-east1
 * before the project existed (see the README).
 */
export function loggingPart(o: DeployOptions): Step[] {
  const bucketFlags = [`--location=${REGION}`, `--retention-days=${LOG_RETENTION_DAYS}`, '--description=OrderPally logs, kept in Taiwan (clause 5.10)'];
  const sink = gcloud(o.project, 'logging', 'sinks', 'update', '_Default', logBucketDestination(o.project));
  const settings = gcloud(o.project, 'logging', 'settings', 'update', `--storage-location=${REGION}`);
  const steps: CommandStep[] = [
    {
      kind: 'command',
      part: 'logging',
      title: `log bucket ${LOG_BUCKET} in ${REGION}, ${LOG_RETENTION_DAYS} days`,
      read: gcloud(o.project, 'logging', 'buckets', 'describe', LOG_BUCKET, `--location=${REGION}`, '--format=value(retentionDays)'),
      expect: String(LOG_RETENTION_DAYS),
      create: gcloud(o.project, 'logging', 'buckets', 'create', LOG_BUCKET, ...bucketFlags),
      update: gcloud(o.project, 'logging', 'buckets', 'update', LOG_BUCKET, ...bucketFlags),
    },
    {
      kind: 'command',
      part: 'logging',
      title: `_Default sink into ${LOG_BUCKET}`,
      read: gcloud(o.project, 'logging', 'sinks', 'describe', '_Default', '--format=value(destination)'),
      expect: logBucketDestination(o.project),
      create: sink,
      update: sink,
    },
    {
      kind: 'command',
      part: 'logging',
      title: `default log storage location ${REGION}`,
      read: gcloud(o.project, 'logging', 'settings', 'describe', '--format=value(storageLocation)'),
      expect: REGION,
      create: settings,
      update: settings,
    },
  ];
  return [enableApis('logging', o.project, ['logging.googleapis.com']), ...steps];
}
