import { Timestamp } from 'firebase-admin/firestore';
import type { BackupHealth } from '../../src/backups/admin-backup-health';
import { BACKUPS_SHOWN } from '../../src/backups/admin-backup-health';
import { checkBackups } from '../../src/backups/check-backups';
import { backupIdAt, backupIdTime, type BackupDoc } from '../../src/backups/model';
import { runBackup } from '../../src/backups/run-backup';
import { loadConfig } from '../../src/config';
import { callAs, customer, resultOf, staff } from '../billing/helpers';
import { useLocalFunctions } from '../support/local';
import { backupDeps, tempBackupDir, useOwnFirestore, wipe } from './helpers';

/** `adminBackupHealth` (clause 5.4): what `checkBackups` knows, for staff, on a database of this file's own. */
const firestore = useOwnFirestore();
const localDir = tempBackupDir();
// The local server's functions read the process environment on their first request.
process.env.BACKUP_LOCAL_DIR = localDir;
const local = useLocalFunctions();
const base = () => local.server.baseUrl;
const HOUR = 3_600_000;
const deps = () => backupDeps({ FIRESTORE_EMULATOR_HOST: firestore.host, BACKUP_LOCAL_DIR: localDir }).deps;
let support: string;

beforeAll(async () => {
  support = (await staff('support')).token;
});

beforeEach(async () => {
  await wipe(firestore.host);
});

/** Writes `backups/{id}` as runBackup and checkBackups leave it, started `hoursAgo`. */
async function seed(hoursAgo: number, state: BackupDoc['state'], error: string | null = null): Promise<string> {
  const startedAt = new Date(Date.now() - hoursAgo * HOUR);
  const id = backupIdAt(startedAt);
  const doc: BackupDoc = {
    id, target: 'emulator', outputUri: `file:///tmp/${id}/`, operationName: null, state, startedAt: Timestamp.fromDate(startedAt),
    finishedAt: state === 'running' ? null : Timestamp.fromMillis(startedAt.getTime() + 60_000), error, documents: 10, bytes: 2048, checkedAt: null,
  };
  await deps().db.collection('backups').doc(id).set(doc);
  return id;
}

const health = (token = support) => resultOf<BackupHealth>(base(), 'adminBackupHealth', token, null);

describe('adminBackupHealth', () => {
  it('when last night\'s backup succeeded, then healthy, with that backup listed and the retention the deploy keeps', async () => {
    const { backupId } = await runBackup(deps());
    const config = loadConfig(process.env);
    const stored = (await deps().db.collection('backups').doc(backupId).get()).data() as BackupDoc | undefined;
    expect(await health()).toEqual({
      healthy: true,
      latestSuccessAt: backupIdTime(backupId)?.toISOString(),
      problems: [],
      backups: [{ id: backupId, state: 'succeeded', startedAt: backupIdTime(backupId)?.toISOString(), finishedAt: expect.any(String) as unknown, error: null,
        // Counted where the export says them (the local emulator gives documents, not bytes).
        documents: stored?.documents ?? null, bytes: stored?.bytes ?? null }],
      retentionDays: config.BACKUP_RETENTION_DAYS,
      staleAfterHours: config.BACKUP_STALE_HOURS,
    });
  });

  it('when an export failed after the newest good one, then unhealthy with that failure, not yet alerted until checkBackups mails ops', async () => {
    await seed(30, 'failed', 'an older failure, before the good backup');
    const good = await seed(20, 'succeeded');
    const failed = await seed(2, 'failed', 'PERMISSION_DENIED: bucket not writable');
    const before = await health();
    expect(before).toMatchObject({ healthy: false, latestSuccessAt: backupIdTime(good)?.toISOString() });
    expect(before.problems).toEqual([
      { key: `failed-${failed}`, kind: 'failed', backupId: failed, message: `Export ${failed} failed: PERMISSION_DENIED: bucket not writable.`, alertedAt: null },
    ]);
    expect(before.backups.map((b) => [b.id, b.state])).toEqual([[failed, 'failed'], [good, 'succeeded'], [expect.any(String), 'failed']]);

    await checkBackups(deps());
    const after = await health();
    expect(after.problems).toEqual([expect.objectContaining({ key: `failed-${failed}`, alertedAt: expect.any(String) as unknown })]);
  });

  it('when the newest good backup is older than the stale limit, or there is none, then the same stale problem checkBackups alerts on', async () => {
    expect((await health()).problems).toEqual([{ key: 'stale-none', kind: 'stale', backupId: null, message: 'There is no successful backup at all.', alertedAt: null }]);
    const old = await seed(loadConfig(process.env).BACKUP_STALE_HOURS + 1, 'succeeded');
    expect(await health()).toMatchObject({ healthy: false, problems: [{ key: `stale-${old}`, kind: 'stale', backupId: old }] });
  });

  it('when there are more exports than shown, then the newest BACKUPS_SHOWN, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < BACKUPS_SHOWN + 2; i += 1) ids.push(await seed(i * 24 + 1, 'succeeded'));
    expect((await health()).backups.map((b) => b.id)).toEqual(ids.slice(0, BACKUPS_SHOWN));
  });

  it('when a customer or nobody asks, then PERMISSION_DENIED or UNAUTHENTICATED; arguments other than none are INVALID_ARGUMENT', async () => {
    const seller = await customer(base(), 'backup-health');
    const refused = await callAs(base(), 'adminBackupHealth', seller.token, null);
    expect({ status: refused.status, reason: refused.json?.error?.details?.reason }).toEqual({ status: 403, reason: 'ROLE_REQUIRED' });
    expect((await callAs(base(), 'adminBackupHealth', null, null)).status).toBe(401);
    for (const data of [{ verbose: true }, 'x', 1]) {
      expect((await callAs(base(), 'adminBackupHealth', support, data)).json?.error?.details?.reason).toBe('INVALID_ARGUMENT');
    }
    expect((await health((await staff('admin')).token)).retentionDays).toBeGreaterThanOrEqual(7);
  });
});
