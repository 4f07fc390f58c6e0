/**
 * The backup bucket's settings as code (agreement clause 5.4: snapshots, encrypted, kept at least
 * 7 days). Pure: the deploy scripts pass the result to `@google-cloud/storage`
 * (`storage.createBucket(name, metadata)` / `bucket.setMetadata(metadata)`), tests assert it, and
 * the local retention sweep applies the same ages to the local backup folder.
 */

/** Clause 5.4: backups are kept at least 7 days. */
export const MIN_RETENTION_DAYS = 7;

/** Everything of ours lives in Taiwan (clause 5.10, DESIGN §1). */
export const BACKUP_LOCATION = 'asia-east1';

const DAY_SECONDS = 86_400;

/** What the policy is built from. */
export interface BucketPolicyInput {
  readonly bucket: string;
  readonly retentionDays: number;
  /** Cloud KMS key for CMEK; without it Google-managed keys encrypt the objects (still encrypted at rest). */
  readonly kmsKeyName?: string | null;
}

/** The bucket metadata, in the shape `@google-cloud/storage` takes (the JSON API's field names). */
export interface BucketPolicy {
  readonly name: string;
  readonly location: string;
  readonly storageClass: 'STANDARD';
  /** The guarantee: no object can be deleted or replaced before it is this old (int64 seconds, as the API writes it). */
  readonly retentionPolicy: { readonly retentionPeriod: string };
  /** Clean-up only: deletes an export the day after its retention ends. */
  readonly lifecycle: { readonly rule: ReadonlyArray<{ action: { type: 'Delete' }; condition: { age: number } }> };
  readonly iamConfiguration: {
    readonly uniformBucketLevelAccess: { readonly enabled: true };
    readonly publicAccessPrevention: 'enforced';
  };
  readonly encryption?: { readonly defaultKmsKeyName: string };
  readonly labels: Readonly<Record<string, string>>;
}

/** Thrown for a policy that would break clause 5.4. */
export class BackupPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupPolicyError';
  }
}

/**
 * Refuses a retention that is not a whole number of days, at least 7.
 * @throws BackupPolicyError naming the clause.
 */
export function assertRetentionDays(days: number): void {
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS) {
    throw new BackupPolicyError(
      `Backup retention must be a whole number of days, at least ${MIN_RETENTION_DAYS} (agreement clause 5.4); got ${String(days)}.`,
    );
  }
}

/** Age in days at which the lifecycle rule deletes an export: the day after its retention ends. */
export function deleteAgeDays(retentionDays: number): number {
  assertRetentionDays(retentionDays);
  return retentionDays + 1;
}

/**
 * The backup bucket's metadata: asia-east1; a retention policy of `retentionDays` (what really
 * guarantees "kept at least 7 days": a lifecycle rule alone is only clean-up, and a retention
 * policy also stops anyone deleting an export early); lifecycle delete at retention + 1 days;
 * uniform bucket-level access and public access prevention (no ACLs, never public); CMEK when
 * a key is given.
 * @throws BackupPolicyError when the retention is below 7 days or the names are empty.
 */
export function bucketPolicy(input: BucketPolicyInput): BucketPolicy {
  const age = deleteAgeDays(input.retentionDays);
  if (input.bucket.trim() === '' || input.bucket.startsWith('gs://')) {
    throw new BackupPolicyError(`The backup bucket must be a bucket name without gs://; got "${input.bucket}".`);
  }
  const kms = input.kmsKeyName?.trim();
  return {
    name: input.bucket,
    location: BACKUP_LOCATION,
    storageClass: 'STANDARD',
    retentionPolicy: { retentionPeriod: String(input.retentionDays * DAY_SECONDS) },
    lifecycle: { rule: [{ action: { type: 'Delete' }, condition: { age } }] },
    iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
    ...(kms ? { encryption: { defaultKmsKeyName: kms } } : {}),
    labels: { purpose: 'firestore-backups', clause: '5-4' },
  };
}
