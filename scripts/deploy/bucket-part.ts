import { bucketPolicy } from '../../functions/src/backups/bucket-policy';
import type { DeployOptions } from './options';
import { projectNumberStep } from './functions-part';
import { enableApis, placeholder, type BucketStep, type Step } from './steps';

/** What the plan says when the retention policy is left unlocked. */
export const UNLOCKED_WARNING = 'WARNING: --no-lock-retention: the backup bucket\'s retention policy stays UNLOCKED. Any bucket ' +
  'admin can shorten or remove it and delete exports early, which voids clause 5.4 (kept at least 7 days). Lock it ' +
  'with a later run without the flag.';

/**
 * The `bucket` part (clause 5.4): the backup bucket with the backup policy (asia-east1, retention,
 * lifecycle delete, uniform access, public access prevention, optional CMEK); write and read
 * access for the Firestore service agent alone (the managed export and import run as it; no
 * function reads the bucket); then, unless `--no-lock-retention`, the retention policy locked.
 * Locking is IRREVERSIBLE: the period can then only grow, and the bucket cannot be deleted while
 * it holds an export younger than the period. It is what makes "kept at least 7 days" hold
 * against a bucket admin too, so production locks by default.
 * @throws BackupPolicyError for a retention under 7 days.
 */
export function bucketPart(o: DeployOptions): Step[] {
  const step = (title: string, action: BucketStep['action']): BucketStep => ({ kind: 'bucket', part: 'bucket', title, bucket: o.bucket, action });
  const firestoreAgent = `serviceAccount:service-${placeholder('PROJECT_NUMBER')}@gcp-sa-firestore.iam.gserviceaccount.com`;
  const policy = bucketPolicy({ bucket: o.bucket, retentionDays: o.retentionDays, kmsKeyName: o.kmsKeyName ?? null });
  return [
    enableApis('bucket', o.project, ['storage.googleapis.com']),
    projectNumberStep(o, 'bucket'),
    step(`bucket gs://${o.bucket}${o.lockRetention ? '' : ' (retention NOT locked: --no-lock-retention)'}`, { type: 'metadata', metadata: { ...policy } }),
    step('Firestore service agent writes exports', { type: 'iam', role: 'roles/storage.objectAdmin', member: firestoreAgent }),
    step('Firestore service agent reads the bucket', { type: 'iam', role: 'roles/storage.legacyBucketReader', member: firestoreAgent }),
    ...(o.lockRetention ? [step(`lock the ${o.retentionDays}-day retention policy (IRREVERSIBLE; --no-lock-retention to skip)`, { type: 'lock' })] : []),
  ];
}
