import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { Timestamp } from 'firebase-admin/firestore';
import { closeFirestoreAdminClients } from '../../src/backups/admin-client';
import { restoreBackup, type RestoreOptions } from '../../src/backups/restore';
import { database, fakeAdminApi, operation, type FakeAdminApi } from './admin-endpoint';
import { backupDeps, ROOT, useOwnFirestore, wipe } from './helpers';
import { AppError } from '../../src/shared/errors';

// A production restore through the official Firestore Admin client, pointed at a recording
// endpoint; the live database's documents (backups, accounts, mail) are in this file's emulator.
const firestore = useOwnFirestore();
const PROJECT = 'demo-orderpally';
const BUCKET = 'orderpally-backups-test';
const ID = '2026-04-01T18-00-00.000Z';
const AT = new Date('2026-04-02T09:30:15.000Z');
const NEW_DB = 'restore-20260402-093015';
const CREATE_OP = `projects/${PROJECT}/databases/${NEW_DB}/operations/create-1`;
let api: FakeAdminApi;

beforeAll(async () => {
  api = await fakeAdminApi();
  // The script runs the built functions (functions/lib), like `npm start`.
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
}, 180_000);
afterAll(() => closeFirestoreAdminClients().then(() => api.close()));
beforeEach(async () => {
  await wipe(firestore.host);
  api.reset();
  api.databases.set('(default)', database(PROJECT, '(default)'));
  api.create = operation(CREATE_OP, 'CreateDatabase');
  api.operations.set(CREATE_OP, [operation(CREATE_OP, 'CreateDatabase'), operation(CREATE_OP, 'CreateDatabase', { done: true })]);
  const { deps } = production();
  await deps.db.collection('backups').doc(ID).set({ id: ID, target: 'cloud', outputUri: `gs://${BUCKET}/${ID}/`, operationName: null, state: 'succeeded', startedAt: Timestamp.fromDate(new Date('2026-04-01T18:00:00Z')), finishedAt: null, error: null, documents: 3, bytes: null, checkedAt: null });
});

function production() {
  return backupDeps({ FIRESTORE_EMULATOR_HOST: firestore.host, FIRESTORE_ADMIN_ENDPOINT: api.endpoint, BACKUP_BUCKET: BUCKET }, AT);
}

/** An import of `db` that reports 1 of 3 documents, then ends with 3. */
function importWillSucceed(db: string): void {
  const name = `projects/${PROJECT}/databases/${db}/operations/import-1`;
  api.import = operation(name, 'Import');
  api.operations.set(name, [operation(name, 'Import', { documents: 1, estimated: 3 }), operation(name, 'Import', { done: true, documents: 3 })]);
}

const imports = () => api.requests.filter((r) => r.path.endsWith(':importDocuments')).map((r) => r.path);
const restore = (options: RestoreOptions = {}) => restoreBackup(production().deps, ID, { pollMs: 5, ...options });

async function seedLiveAccountAndMail(): Promise<void> {
  const { deps } = production();
  await deps.db.doc('accounts/live-user').set({ email: 'live@example.test', status: 'active' });
  await deps.db.doc('mail/pending-1').set({ status: 'pending', to: ['live@example.test'] });
}

describe('a production restore', () => {
  it('when no database is named, then a new database restore-<UTC time> is created where the live one is, the import names it (never (default)), and progress is followed', async () => {
    importWillSucceed(NEW_DB);
    const events: string[] = [];
    const result = await restore({ onProgress: (e) => events.push(`${e.phase}:${e.completed ?? ''}`) });
    expect(result).toMatchObject({ target: 'cloud', database: NEW_DB, inPlace: false, backupId: ID, source: `gs://${BUCKET}/${ID}/`, documents: 3, mailToSend: null });
    const calls = api.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls.slice(0, 4)).toEqual([
      `GET /v1/projects/${PROJECT}/databases/${NEW_DB}`,
      `GET /v1/projects/${PROJECT}/databases/(default)`,
      `POST /v1/projects/${PROJECT}/databases`,
      `GET /v1/${CREATE_OP}`,
    ]);
    expect(api.requests[2]).toMatchObject({ query: { databaseId: NEW_DB }, body: { locationId: 'asia-east1', type: 1 /* FIRESTORE_NATIVE, as the REST transport sends enums */ }, authorization: 'Bearer test-endpoint-token' });
    const importCall = api.requests.find((r) => r.path.endsWith(':importDocuments'));
    expect(importCall).toMatchObject({ path: `/v1/projects/${PROJECT}/databases/${NEW_DB}:importDocuments`, body: { inputUriPrefix: `gs://${BUCKET}/${ID}/` } });
    // The import starts only once the database exists.
    expect(calls.indexOf(`POST ${importCall?.path}`)).toBeGreaterThan(calls.lastIndexOf(`GET /v1/${CREATE_OP}`));
    expect(calls.some((c) => c.includes('(default):'))).toBe(false);
    expect(events).toEqual(['started:', 'progress:1', 'done:3']);
  });

  it('when the database named already exists, then DATABASE_EXISTS and nothing is created or imported', async () => {
    api.databases.set('restore-review', database(PROJECT, 'restore-review'));
    await expect(restore({ database: 'restore-review' })).rejects.toMatchObject({ reason: 'DATABASE_EXISTS' });
    expect(api.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it.each(['(default)', 'Prod_DB', 'abc', '9restore', 'restore-'])('when the new database is named %p, then INVALID_ARGUMENT DATABASE_ID_INVALID and no request is made', async (name) => {
    const error = await restore({ database: name }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ reason: 'DATABASE_ID_INVALID' });
    expect(api.requests).toEqual([]);
  });

  it('when in place is asked together with a database name, then INVALID_ARGUMENT and no request is made', async () => {
    await expect(restore({ inPlace: true, database: 'restore-review' })).rejects.toMatchObject({ reason: 'IN_PLACE_WITH_DATABASE' });
    expect(api.requests).toEqual([]);
  });

  it('when the new database cannot be created, then the restore fails and nothing is imported', async () => {
    api.operations.set(CREATE_OP, [operation(CREATE_OP, 'CreateDatabase', { error: { code: 7, message: 'Permission datastore.databases.create denied' } })]);
    await expect(restore()).rejects.toThrow(`Creating database ${NEW_DB} failed: Permission datastore.databases.create denied`);
    expect(imports()).toEqual([]);
  });

  it('when in place and the live database holds accounts, then LIVE_DATABASE_HAS_ACCOUNTS and nothing is imported', async () => {
    await seedLiveAccountAndMail();
    const error = await restore({ inPlace: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'LIVE_DATABASE_HAS_ACCOUNTS' });
    expect((error as Error).message).toContain('holds 1 accounts');
    expect(api.requests).toEqual([]);
  });

  it('when in place with force over accounts, then the import names (default), no database is created, and the mail deliverMail will send is counted', async () => {
    await seedLiveAccountAndMail();
    importWillSucceed('(default)');
    const result = await restore({ inPlace: true, force: true });
    expect(result).toMatchObject({ database: '(default)', inPlace: true, documents: 3, mailToSend: 1 });
    expect(imports()).toEqual([`/v1/projects/${PROJECT}/databases/(default):importDocuments`]);
    expect(api.requests.some((r) => r.method === 'POST' && r.path.endsWith('/databases'))).toBe(false);
  });
});

describe('npm run restore -- --project', () => {
  // Asynchronously: the recording endpoint answers from this process.
  const script = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const argv = [path.join(ROOT, 'scripts/restore.mjs'), ID, '--project', PROJECT, '--emulator', firestore.host, '--yes', '--no-build', ...args];
      const env = { ...process.env, FIRESTORE_ADMIN_ENDPOINT: api.endpoint, BACKUP_BUCKET: BUCKET };
      execFile(process.execPath, argv, { cwd: ROOT, env, timeout: 120_000 }, (error, stdout, stderr) => {
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      });
    });

  it('when run with a backup id, then it restores into a new database, says the live one is untouched, and how to inspect it', async () => {
    importWillSucceed('restore-review');
    const create = `projects/${PROJECT}/databases/restore-review/operations/create-1`;
    api.create = operation(create, 'CreateDatabase');
    api.operations.set(create, [operation(create, 'CreateDatabase', { done: true })]);
    const run = await script('--database', 'restore-review');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('into a NEW database "restore-review"');
    expect(run.stdout).toContain('The live (default) database is not touched.');
    expect(run.stdout).toContain('gcloud firestore databases describe --database=restore-review');
    expect(imports()).toEqual([`/v1/projects/${PROJECT}/databases/restore-review:importDocuments`]);
  }, 150_000);

  it('when run --in-place over live accounts without --force, then it lists what it cannot undo, refuses, and imports nothing', async () => {
    await seedLiveAccountAndMail();
    const run = await script('--in-place');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('THE LIVE (default) DATABASE');
    expect(run.stdout).toMatch(/API keys revoked since the backup work again/);
    expect(run.stdout).toMatch(/sent \(again\)/);
    expect(run.stderr).toContain('holds 1 accounts');
    expect(imports()).toEqual([]);
  }, 150_000);

  it('when --force is given without --in-place, then it refuses before doing anything', async () => {
    const run = await script('--force');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--force only goes with --in-place');
    expect(api.requests).toEqual([]);
  }, 150_000);
});
