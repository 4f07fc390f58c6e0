import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkBackups } from '../../src/backups/check-backups';
import { runBackup } from '../../src/backups/run-backup';
import { allMail, sentTo, waitForMail } from '../support/maildev';
import { useLocalFunctions } from '../support/local';
import { backupDeps, tempBackupDir, useOwnFirestore, wipe } from './helpers';

const firestore = useOwnFirestore();
const localDir = tempBackupDir();
// The local server's functions read the process environment on their first request.
process.env.BACKUP_LOCAL_DIR = localDir;
const local = useLocalFunctions();

const T0 = new Date('2026-03-01T18:00:00.000Z'); // 02:00 in Taipei
const HOUR = 3_600_000;
let opsCounter = 0;

/** Deps for one test: its own ops address (to find its mail in the shared MailDev), a fixed clock. */
function setup(at: Date, env: Record<string, string> = {}) {
  opsCounter += 1;
  const ops = `ops-${process.pid}-${Date.now()}-${opsCounter}@example.test`;
  return { ops, ...backupDeps({ FIRESTORE_EMULATOR_HOST: firestore.host, BACKUP_LOCAL_DIR: localDir, OPS_EMAIL: ops, ...env }, at) };
}

async function mailTo(ops: string) {
  return (await allMail()).filter((m) => sentTo(m, ops));
}

describe('checkBackups', () => {
  beforeEach(async () => {
    await wipe(firestore.host);
  });

  it('when a backup has just succeeded, then it is healthy and names when that backup started', async () => {
    const { deps, clock } = setup(T0);
    expect(await runBackup(deps)).toMatchObject({ status: 'succeeded' });
    clock.set(new Date(T0.getTime() + HOUR));
    expect(await checkBackups(deps)).toEqual({ healthy: true, latestSuccessAt: T0.toISOString(), alerts: [] });
  });

  it.each([
    [26 * HOUR, true],
    [26 * HOUR + 1, false],
  ])('when the newest good backup started %i ms ago, then healthy is %s', async (age, healthy) => {
    const { deps, clock } = setup(T0);
    await runBackup(deps);
    clock.set(new Date(T0.getTime() + age));
    expect((await checkBackups(deps)).healthy).toBe(healthy);
  });

  it('when there is no backup at all, then it is unhealthy with no latestSuccessAt, and ops are told', async () => {
    const { deps, ops } = setup(T0);
    const result = await checkBackups(deps);
    expect(result).toMatchObject({ healthy: false, latestSuccessAt: null, alerts: [{ key: 'stale-none', kind: 'stale', alertedNow: true }] });
    await waitForMail((m) => sentTo(m, ops));
  });

  it('when the newest good backup is older than 26 h, then ops get one alert mail and no repeat on later checks; a new stale spell after recovery alerts again', async () => {
    const { deps, clock, ops } = setup(T0);
    const first = await runBackup(deps);
    clock.set(new Date(T0.getTime() + 27 * HOUR));
    const stale = await checkBackups(deps);
    expect(stale).toMatchObject({ healthy: false, latestSuccessAt: T0.toISOString() });
    expect(stale.alerts).toEqual([expect.objectContaining({ key: `stale-${first.backupId}`, kind: 'stale', backupId: first.backupId, alertedNow: true })]);
    const [mail] = await waitForMail((m) => sentTo(m, ops));
    expect(mail?.subject).toContain('Backup problem: no recent backup');
    expect(mail?.text).toContain(first.backupId);

    for (const hours of [28, 29]) {
      clock.set(new Date(T0.getTime() + hours * HOUR));
      expect((await checkBackups(deps)).alerts).toEqual([expect.objectContaining({ key: `stale-${first.backupId}`, alertedNow: false })]);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailTo(ops)).toHaveLength(1);

    clock.set(new Date(T0.getTime() + 30 * HOUR));
    const second = await runBackup(deps);
    expect((await checkBackups(deps)).healthy).toBe(true);
    clock.set(new Date(T0.getTime() + 60 * HOUR));
    expect((await checkBackups(deps)).alerts).toEqual([expect.objectContaining({ key: `stale-${second.backupId}`, alertedNow: true })]);
    await waitForMail((m) => sentTo(m, ops), { count: 2 });
  }, 60_000);

  it('when an export fails, then it is unhealthy, ops are mailed once about that export, and a later good backup makes it history', async () => {
    const { deps } = setup(T0);
    await runBackup(deps);
    // A backup folder that cannot be created (its parent is a file): the export fails.
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'backup-fail-')), 'not-a-dir');
    writeFileSync(file, 'x');
    const failing = setup(new Date(T0.getTime() + 24 * HOUR), { BACKUP_LOCAL_DIR: path.join(file, 'backups') });
    const failed = await runBackup(failing.deps);
    expect(failed.status).toBe('failed');
    const record = (await deps.db.collection('backups').doc(failed.backupId).get()).data();
    expect(record).toMatchObject({ state: 'failed', error: expect.stringMatching(/ENOTDIR|EEXIST|not a directory/i) as unknown });

    failing.clock.set(new Date(T0.getTime() + 25 * HOUR));
    const result = await checkBackups(failing.deps);
    expect(result.healthy).toBe(false);
    expect(result.alerts).toEqual([expect.objectContaining({ key: `failed-${failed.backupId}`, kind: 'failed', alertedNow: true })]);
    const [mail] = await waitForMail((m) => sentTo(m, failing.ops));
    expect(mail?.subject).toContain('an export failed');
    expect((await checkBackups(failing.deps)).alerts).toEqual([expect.objectContaining({ alertedNow: false })]);
    await new Promise((r) => setTimeout(r, 500));
    expect(await mailTo(failing.ops)).toHaveLength(1);

    const { deps: later } = setup(new Date(T0.getTime() + 26 * HOUR));
    await runBackup(later);
    expect(await checkBackups(later)).toMatchObject({ healthy: true, alerts: [] });
  }, 60_000);

  it('when Cloud Scheduler (here the local cron) POSTs runBackup then checkBackups over HTTP, then the export is written and the check is healthy', async () => {
    const post = async (name: string) => {
      const response = await fetch(`${local.server.baseUrl}/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const run = await post('runBackup');
    expect(run).toMatchObject({ status: 200, body: { status: 'succeeded', outputUri: expect.stringContaining(localDir) as unknown } });
    const check = await post('checkBackups');
    expect(check).toEqual({ status: 200, body: { healthy: true, latestSuccessAt: expect.any(String) as unknown, alerts: [] } });
    const get = await fetch(`${local.server.baseUrl}/runBackup`);
    expect(get.status).toBe(405);
  }, 60_000);
});
