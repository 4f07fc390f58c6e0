import { closeFirestoreAdminClients } from '../../src/backups/admin-client';
import { checkBackups } from '../../src/backups/check-backups';
import { runBackup } from '../../src/backups/run-backup';
import { sentTo, waitForMail } from '../support/maildev';
import { fakeAdminApi, operation, type FakeAdminApi } from './admin-endpoint';
import { backupDeps, useOwnFirestore, wipe } from './helpers';
import { AppError } from '../../src/shared/errors';

const firestore = useOwnFirestore();
const BUCKET = 'orderpally-backups-test';
const T0 = new Date('2026-04-01T18:00:00.000Z');
const ID = '2026-04-01T18-00-00.000Z';
const OP = 'projects/demo-orderpally/databases/(default)/operations/export-1';
let api: FakeAdminApi;
let opsCounter = 0;

beforeAll(async () => {
  api = await fakeAdminApi();
});
afterAll(() => closeFirestoreAdminClients().then(() => api.close()));
beforeEach(async () => {
  await wipe(firestore.host);
  api.reset();
  api.export = operation(OP, 'Export');
});

/** Production configuration, but the official client pointed at the recording endpoint. */
function production(at: Date, env: Record<string, string | undefined> = {}) {
  opsCounter += 1;
  const ops = `ops-prod-${process.pid}-${Date.now()}-${opsCounter}@example.test`;
  const base = { FIRESTORE_EMULATOR_HOST: firestore.host, FIRESTORE_ADMIN_ENDPOINT: api.endpoint, BACKUP_BUCKET: BUCKET, OPS_EMAIL: ops };
  return { ops, ...backupDeps({ ...base, ...env }, at) };
}

describe('backups through the official Firestore Admin client', () => {
  it('when runBackup runs, then the export request names the database and gs://<bucket>/<UTC timestamp>/, and the backup is recorded running with its operation', async () => {
    const { deps } = production(T0);
    expect(await runBackup(deps)).toEqual({ backupId: ID, outputUri: `gs://${BUCKET}/${ID}/`, status: 'running' });
    expect(api.requests).toEqual([
      {
        method: 'POST',
        path: '/v1/projects/demo-orderpally/databases/(default):exportDocuments',
        query: {},
        body: { outputUriPrefix: `gs://${BUCKET}/${ID}/` },
        authorization: 'Bearer test-endpoint-token',
      },
    ]);
    const doc = (await deps.db.collection('backups').doc(ID).get()).data();
    expect(doc).toMatchObject({ target: 'cloud', state: 'running', operationName: OP, outputUri: `gs://${BUCKET}/${ID}/`, finishedAt: null });
  });

  it('when the operation is still working, then checkBackups records its progress and keeps it running', async () => {
    const { deps, clock } = production(T0);
    await runBackup(deps);
    api.operations.set(OP, [operation(OP, 'Export', { documents: 10, estimated: 100 })]);
    clock.set(new Date(T0.getTime() + 3_600_000));
    const result = await checkBackups(deps);
    expect(api.requests.at(-1)).toMatchObject({ method: 'GET', path: `/v1/${OP}` });
    expect((await deps.db.collection('backups').doc(ID).get()).data()).toMatchObject({ state: 'running', documents: 10 });
    expect(result).toMatchObject({ healthy: false, latestSuccessAt: null });
  });

  it('when the operation succeeds, then checkBackups records it succeeded with its counts and is healthy', async () => {
    const { deps, clock } = production(T0);
    await runBackup(deps);
    api.operations.set(OP, [operation(OP, 'Export', { done: true, documents: 1234, bytes: 56789 })]);
    clock.set(new Date(T0.getTime() + 3_600_000));
    expect(await checkBackups(deps)).toEqual({ healthy: true, latestSuccessAt: T0.toISOString(), alerts: [] });
    expect((await deps.db.collection('backups').doc(ID).get()).data()).toMatchObject({ state: 'succeeded', documents: 1234, bytes: 56789, error: null });
  });

  it('when the operation ends with an error, then checkBackups detects it, records it failed and mails ops once', async () => {
    const { deps, clock, ops } = production(T0);
    await runBackup(deps);
    api.operations.set(OP, [operation(OP, 'Export', { error: { code: 7, message: 'The caller does not have permission to write to the bucket' } })]);
    clock.set(new Date(T0.getTime() + 3_600_000));
    const result = await checkBackups(deps);
    expect(result.healthy).toBe(false);
    expect(result.alerts).toEqual(expect.arrayContaining([expect.objectContaining({ key: `failed-${ID}`, kind: 'failed', alertedNow: true })]));
    expect((await deps.db.collection('backups').doc(ID).get()).data()).toMatchObject({ state: 'failed', error: expect.stringContaining('does not have permission') as unknown });
    const [mail] = await waitForMail((m) => sentTo(m, ops) && m.text.includes(ID));
    expect(mail?.text).toContain('does not have permission');
    expect((await checkBackups(deps)).alerts.every((a) => !a.alertedNow)).toBe(true);
  });

  it('when the Admin API refuses the export, then the backup is recorded failed and checkBackups alerts on it', async () => {
    api.export = { status: 403, body: { error: { code: 403, message: 'Permission denied on resource project', status: 'PERMISSION_DENIED' } } };
    const { deps, ops } = production(T0);
    expect(await runBackup(deps)).toMatchObject({ status: 'failed' });
    expect((await deps.db.collection('backups').doc(ID).get()).data()).toMatchObject({ state: 'failed', operationName: null, error: expect.stringContaining('Permission denied') as unknown });
    expect((await checkBackups(deps)).alerts).toEqual(expect.arrayContaining([expect.objectContaining({ key: `failed-${ID}`, alertedNow: true })]));
    await waitForMail((m) => sentTo(m, ops) && m.text.includes(ID));
  });

  it('when production has no BACKUP_BUCKET, then runBackup answers FAILED_PRECONDITION and writes and requests nothing', async () => {
    const { deps } = production(T0, { BACKUP_BUCKET: undefined });
    const error = await runBackup(deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ reason: 'BACKUP_BUCKET_MISSING' });
    expect(api.requests).toEqual([]);
    expect((await deps.db.collection('backups').get()).size).toBe(0);
  });
});
