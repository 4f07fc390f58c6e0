import { bucketPolicy } from '../../functions/src/backups/bucket-policy';
import type { DeployOptions } from './options';
import { projectNumberStep } from './functions-part';
import { enableApis, placeholder, type BucketStep, type Step } from './steps';

/**
 * Part 5 (clause 5.4): the backup bucket with the backup issue's policy (asia-east1, retention,
 * lifecycle delete, uniform access, public access prevention, optional CMEK); write access for
 * the Firestore service agent (the managed export writes as it), read for the functions
 * (checkBackups); the retention lock only on `--lock-retention`, since it can never be undone.
 * @throws BackupPolicyError for a retention under 7 days.
 */
export function bucketPart(o: DeployOptions): Step[] {
  const step = (title: string, action: BucketStep['action']): BucketStep => ({ kind: 'bucket', part: 'bucket', title, bucket: o.bucket, action });
  const firestoreAgent = `serviceAccount:service-${placeholder('PROJECT_NUMBER')}@gcp-sa-firestore.iam.gserviceaccount.com`;
  const functions = `serviceAccount:${o.functionsServiceAccount}`;
  const policy = bucketPolicy({ bucket: o.bucket, retentionDays: o.retentionDays, kmsKeyName: o.kmsKeyName ?? null });
  return [
    enableApis('bucket', o.project, ['storage.googleapis.com']),
    projectNumberStep(o, 'bucket'),
    step(`bucket gs://${o.bucket}`, { type: 'metadata', metadata: { ...policy } }),
    step('Firestore service agent writes exports', { type: 'iam', role: 'roles/storage.objectAdmin', member: firestoreAgent }),
    step('Firestore service agent reads the bucket', { type: 'iam', role: 'roles/storage.legacyBucketReader', member: firestoreAgent }),
    step('functions read exports (checkBackups, restore)', { type: 'iam', role: 'roles/storage.objectViewer', member: functions }),
    ...(o.lockRetention ? [step('lock the retention policy (irreversible)', { type: 'lock' })] : []),
  ];
}
