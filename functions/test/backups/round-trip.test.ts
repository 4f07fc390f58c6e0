import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { GeoPoint, Timestamp } from 'firebase-admin/firestore';
import { runBackup } from '../../src/backups/run-backup';
import { listRestorableBackups, restoreBackup } from '../../src/backups/restore';
import { backupDeps, fingerprint, ROOT, tempBackupDir, useOwnFirestore, wipe } from './helpers';

const firestore = useOwnFirestore();

/** Every Firestore value type, nested maps and arrays, and subcollections four levels down. */
async function seed(env: Record<string, string>): Promise<void> {
  const { deps } = backupDeps(env);
  const db = deps.db;
  const batch = db.batch();
  for (let i = 0; i < 30; i += 1) {
    const account = db.collection('accounts').doc(`user-${i}`);
    batch.set(account, {
      email: `user-${i}@example.test`,
      locale: i % 2 ? 'en' : 'zh-TW',
      createdAt: Timestamp.fromMillis(1_700_000_000_000 + i * 1_234_567),
      contract: { startsAt: Timestamp.fromMillis(1_690_000_000_000), endsAt: null },
      tags: ['a', i, { nested: [true, 1.5] }],
      place: new GeoPoint(23.97, 120.53),
      blob: Buffer.from(`bytes-${i}`),
      ref: db.doc(`accounts/user-${(i + 1) % 30}`),
      name: '台灣 live-commerce ✓',
    });
    batch.set(account.collection('stores').doc('s1').collection('products').doc(`p${i}`).collection('variants').doc('v1'), { price: i * 10, sku: `SKU-${i}` });
  }
  await batch.commit();
}

describe('backups: round trip on the emulator', () => {
  const localDir = tempBackupDir();
  const env = (): Record<string, string> => ({ FIRESTORE_EMULATOR_HOST: firestore.host, BACKUP_LOCAL_DIR: localDir });

  beforeAll(() => {
    // The restore script runs the built functions (functions/lib), like `npm start`.
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  }, 180_000);

  it('when data is backed up, wiped and restored, then every document is identical (count and hash), through the use case and the script', async () => {
    await wipe(firestore.host);
    await seed(env());
    const before = await fingerprint(firestore.host);
    expect(before.count).toBe(60);

    const { deps } = backupDeps(env());
    const backup = await runBackup(deps);
    expect(backup.status).toBe('succeeded');
    expect(backup.outputUri).toBe(`file://${path.join(localDir, backup.backupId)}/`);
    expect(readdirSync(path.join(localDir, backup.backupId)).some((f) => f.endsWith('.overall_export_metadata'))).toBe(true);
    const recorded = (await deps.db.collection('backups').doc(backup.backupId).get()).data();
    expect(recorded).toMatchObject({ state: 'succeeded', target: 'emulator', operationName: null, documents: 60, error: null });

    await wipe(firestore.host);
    expect((await fingerprint(firestore.host)).count).toBe(0);
    const phases: string[] = [];
    const restored = await restoreBackup(deps, backup.backupId, { onProgress: (e) => phases.push(e.phase) });
    expect(phases).toEqual(['started', 'done']);
    expect(restored).toMatchObject({ backupId: backup.backupId, target: 'emulator', documents: 60 });
    // Written after the export, the backup's own record is not in it: the data is exactly what was seeded.
    expect(await fingerprint(firestore.host)).toEqual(before);

    await wipe(firestore.host);
    const script = spawnSync(process.execPath, [path.join(ROOT, 'scripts/restore.mjs'), backup.backupId, '--yes', '--no-build'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env() },
      timeout: 60_000,
    });
    expect(script.stderr).toBe('');
    expect(script.status).toBe(0);
    expect(script.stdout).toContain(`Restored backup ${backup.backupId}`);
    expect(script.stdout).toContain('The database now holds 60 documents.');
    expect(await fingerprint(firestore.host)).toEqual(before);
  }, 120_000);

  it('when the script is given no backup, then it lists the local backups and changes nothing', async () => {
    const { deps } = backupDeps(env());
    const listed = await listRestorableBackups(deps);
    expect(listed.length).toBeGreaterThan(0);
    const before = await fingerprint(firestore.host);
    const script = spawnSync(process.execPath, [path.join(ROOT, 'scripts/restore.mjs'), '--no-build'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env() } });
    expect(script.status).toBe(0);
    for (const b of listed) expect(script.stdout).toContain(b.id);
    expect(await fingerprint(firestore.host)).toEqual(before);
  }, 60_000);

  it('when the script is not told --yes and has no terminal, then it refuses and imports nothing', async () => {
    const { deps } = backupDeps(env());
    const [latest] = await listRestorableBackups(deps);
    await wipe(firestore.host);
    const script = spawnSync(process.execPath, [path.join(ROOT, 'scripts/restore.mjs'), latest?.id ?? 'none', '--no-build'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env() }, input: 'yes\n' });
    expect(script.status).toBe(1);
    expect(script.stderr).toContain('pass --yes');
    expect((await fingerprint(firestore.host)).count).toBe(0);
  }, 60_000);

  it('when a backup is restored over newer data, then same-path documents are overwritten and extra documents are kept', async () => {
    await wipe(firestore.host);
    await seed(env());
    const { deps } = backupDeps(env());
    const backup = await runBackup(deps);
    await deps.db.doc('accounts/user-1').update({ email: 'changed@example.test' });
    await deps.db.doc('extra/added-after').set({ kept: true });
    await restoreBackup(deps, backup.backupId);
    expect((await deps.db.doc('accounts/user-1').get()).get('email')).toBe('user-1@example.test');
    expect((await deps.db.doc('extra/added-after').get()).get('kept')).toBe(true);
  }, 60_000);

  it('when runBackup runs 8 days after an earlier export, then its retention sweep deletes that export and keeps the 7-day-old one', async () => {
    const dir = tempBackupDir();
    const day = 86_400_000;
    const start = new Date('2026-02-01T18:00:00.000Z');
    const { deps, clock } = backupDeps({ ...env(), BACKUP_LOCAL_DIR: dir }, start);
    const first = await runBackup(deps);
    clock.set(new Date(start.getTime() + day));
    const second = await runBackup(deps);
    clock.set(new Date(start.getTime() + 8 * day));
    const third = await runBackup(deps);
    expect(readdirSync(dir).sort()).toEqual([second.backupId, third.backupId]);
    expect(first.status).toBe('succeeded');
  }, 60_000);

  it('when a backup that does not exist is restored, then it fails naming it and nothing is imported', async () => {
    await wipe(firestore.host);
    const { deps } = backupDeps(env());
    await expect(restoreBackup(deps, '2020-01-01T00-00-00.000Z')).rejects.toThrow('No complete local export "2020-01-01T00-00-00.000Z"');
    expect((await fingerprint(firestore.host)).count).toBe(0);
    expect(existsSync(localDir)).toBe(true);
  });
});
