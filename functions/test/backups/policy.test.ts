import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BackupPolicyError, assertRetentionDays, bucketPolicy } from '../../src/backups/bucket-policy';
import { listLocalBackups, sweepLocalBackups } from '../../src/backups/local-store';
import { backupIdAt, backupIdTime } from '../../src/backups/model';
import { ConfigError, loadConfig } from '../../src/config';
import { SCHEDULED_JOBS } from '../../src/local/schedule';
import { tempBackupDir } from './helpers';

const DAY = 86_400_000;

describe('bucket policy', () => {
  it('when built for 7 days with a KMS key, then it is asia-east1, retains 604800 s, deletes at age 8, uniform access, PAP enforced, CMEK', () => {
    const key = 'projects/op/locations/asia-east1/keyRings/backups/cryptoKeys/firestore';
    expect(bucketPolicy({ bucket: 'orderpally-backups', retentionDays: 7, kmsKeyName: key })).toEqual({
      name: 'orderpally-backups',
      location: 'asia-east1',
      storageClass: 'STANDARD',
      retentionPolicy: { retentionPeriod: '604800' },
      lifecycle: { rule: [{ action: { type: 'Delete' }, condition: { age: 8 } }] },
      iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
      encryption: { defaultKmsKeyName: key },
      labels: { purpose: 'firestore-backups', clause: '5-4' },
    });
  });

  it('when built for 30 days without a key, then retention and lifecycle follow, and no encryption block (Google-managed keys)', () => {
    const policy = bucketPolicy({ bucket: 'b-30', retentionDays: 30 });
    expect(policy.retentionPolicy.retentionPeriod).toBe(String(30 * 86_400));
    expect(policy.lifecycle.rule[0]?.condition.age).toBe(31);
    expect(policy).not.toHaveProperty('encryption');
  });

  it.each([6, 0, -7, 6.5, Number.NaN])('when the retention is %p days, then it is refused naming clause 5.4', (days) => {
    expect(() => bucketPolicy({ bucket: 'b', retentionDays: days })).toThrow(BackupPolicyError);
    expect(() => assertRetentionDays(days)).toThrow(/at least 7 \(agreement clause 5\.4\)/);
  });

  it('when the bucket is given as a gs:// URI, then it is refused', () => {
    expect(() => bucketPolicy({ bucket: 'gs://b', retentionDays: 7 })).toThrow('without gs://');
  });

  it('when the configuration sets BACKUP_RETENTION_DAYS below 7 or a bad bucket, then loading it fails naming the keys', () => {
    let error: unknown;
    try {
      loadConfig({ BACKUP_RETENTION_DAYS: '6', BACKUP_BUCKET: 'gs://nope' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringContaining('BACKUP_RETENTION_DAYS: must be at least 7'),
      expect.stringContaining('BACKUP_BUCKET: must be a bucket name'),
    ]);
    expect(loadConfig({}).BACKUP_STALE_HOURS).toBe(26);
    expect(loadConfig({}).BACKUP_LOCAL_DIR).toBe('.emulators/backups');
  });
});

describe('backup ids and the local retention sweep', () => {
  it('when a time becomes a backup id, then it reads back as the same time, and other names are not ids', () => {
    const at = new Date('2026-05-01T18:00:00.123Z');
    expect(backupIdAt(at)).toBe('2026-05-01T18-00-00.123Z');
    expect(backupIdTime(backupIdAt(at))).toEqual(at);
    expect(backupIdTime('current')).toBeNull();
    expect(backupIdTime('2026-13-45T99-00-00.000Z')).toBeNull();
  });

  it('when the sweep runs, then exports older than retention + 1 days go, younger ones and foreign folders stay', () => {
    const dir = tempBackupDir();
    const now = new Date('2026-05-20T00:00:00.000Z');
    const ages = { old: 9 * DAY, edge: 8 * DAY, young: 8 * DAY - 1, week: 7 * DAY, today: 0 };
    const ids = Object.fromEntries(Object.entries(ages).map(([name, age]) => [name, backupIdAt(new Date(now.getTime() - age))]));
    for (const id of Object.values(ids)) {
      mkdirSync(path.join(dir, id));
      writeFileSync(path.join(dir, id, `${id}.overall_export_metadata`), '');
    }
    mkdirSync(path.join(dir, 'current'));
    expect(sweepLocalBackups(dir, now, 7).sort()).toEqual([ids.old, ids.edge].sort());
    expect(listLocalBackups(dir).map((b) => b.id)).toEqual([ids.today, ids.week, ids.young]);
    expect(existsSync(path.join(dir, 'current'))).toBe(true);
    expect(() => sweepLocalBackups(dir, now, 6)).toThrow(BackupPolicyError);
  });
});

describe('schedule', () => {
  it('when the jobs are listed, then every one has a Cloud Scheduler cron, backups at 02:00 and hourly', () => {
    const cron = Object.fromEntries(SCHEDULED_JOBS.map((j) => [j.name, j.cron]));
    expect(cron).toMatchObject({ runBackup: '0 2 * * *', checkBackups: '0 * * * *' });
    for (const job of SCHEDULED_JOBS) expect(job.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(SCHEDULED_JOBS.find((j) => j.name === 'runBackup')?.everyMinutes).toBe(1440);
    expect(SCHEDULED_JOBS.find((j) => j.name === 'checkBackups')?.everyMinutes).toBe(60);
  });
});
