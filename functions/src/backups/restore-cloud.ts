import type { Deps } from '../deps';
import { databaseName, firestoreAdminClient, type FirestoreAdminClient } from './admin-client';
import { workCount } from './exporter';
import { BACKUPS, type BackupDoc } from './model';
import type { RestoreOptions, RestorePlan, RestoreProgress, RestoreResult } from './restore-model';
import { AppError } from '../shared/errors';

type Imported = Pick<RestoreResult, 'backupId' | 'source' | 'documents' | 'mailToSend' | 'mailKeptSent'>;

const NOT_FOUND = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `gs://` prefix of `backup`: a `backups/{id}` document's output URI, or a `gs://` URI itself. */
async function cloudInputUri(deps: Deps, backup: string): Promise<{ id: string; uri: string }> {
  if (backup.startsWith('gs://')) return { id: backup.replace(/\/+$/, '').split('/').pop() ?? backup, uri: backup.endsWith('/') ? backup : `${backup}/` };
  const snap = await deps.db.collection(BACKUPS).doc(backup).get();
  if (!snap.exists) throw new Error(`No backup "${backup}" in the backups collection of ${deps.config.GCLOUD_PROJECT}.`);
  const doc = snap.data() as BackupDoc;
  if (doc.state !== 'succeeded') throw new Error(`Backup ${backup} is ${doc.state}, not succeeded: it cannot be restored.`);
  return { id: backup, uri: doc.outputUri };
}

/** Polls a long-running operation until it ends; reports progress in documents when it has some. */
async function follow(
  check: (name: string) => Promise<{ done?: boolean; error?: unknown; metadata: unknown }>,
  name: string | null | undefined,
  what: string,
  pollMs: number,
  onProgress?: RestoreProgress,
): Promise<number | null> {
  if (!name) throw new Error(`${what} answered an operation without a name`);
  let documents: number | null = null;
  for (;;) {
    const status = await check(name);
    const progress = (status.metadata as { progressDocuments?: { completedWork?: unknown; estimatedWork?: unknown } } | null)?.progressDocuments;
    documents = workCount(progress?.completedWork) ?? documents;
    if (status.done) {
      const error = status.error as { message?: string } | undefined;
      if (error) throw new Error(`${what} failed: ${error.message ?? 'unknown error'}`);
      return documents;
    }
    onProgress?.({ phase: 'progress', completed: documents, estimated: workCount(progress?.estimatedWork) });
    await sleep(pollMs);
  }
}

/**
 * Creates the new database `id`, in the location and of the type of the live one (clause 5.10:
 * the data stays in Taiwan).
 * @throws AppError FAILED_PRECONDITION DATABASE_EXISTS: a restore never writes into a database that
 *   already exists, whatever it holds.
 */
async function createDatabase(deps: Deps, client: FirestoreAdminClient, id: string, pollMs: number): Promise<void> {
  const { config } = deps;
  const exists = await client.getDatabase({ name: databaseName(config, id) }).then(
    () => true,
    (error: { code?: number }) => {
      if (error.code === NOT_FOUND) return false;
      throw error;
    },
  );
  if (exists) {
    throw new AppError('DATABASE_EXISTS', `Database ${id} already exists in ${config.GCLOUD_PROJECT}: a restore only creates new databases. Name another with --database, or delete it first.`);
  }
  const [live] = await client.getDatabase({ name: databaseName(config) });
  const [operation] = await client.createDatabase({
    parent: `projects/${config.GCLOUD_PROJECT}`,
    databaseId: id,
    database: { locationId: live.locationId, type: live.type ?? 'FIRESTORE_NATIVE' },
  });
  await follow((name) => client.checkCreateDatabaseProgress(name), operation.name, `Creating database ${id}`, pollMs);
}

/**
 * Refuses an in-place restore over live accounts unless forced: the import would put each of them
 * back to its state at the backup.
 */
async function assertInPlaceAllowed(deps: Deps, force: boolean): Promise<void> {
  const accounts = (await deps.db.collection('accounts').count().get()).data().count;
  if (accounts > 0 && !force) {
    throw new AppError('LIVE_DATABASE_HAS_ACCOUNTS', `The live (default) database of ${deps.config.GCLOUD_PROJECT} holds ${accounts} accounts: importing over it puts them back as the backup has them. Restore into a new database (the default), or pass --force with --in-place.`);
  }
}

/**
 * Production restore through the Firestore Admin API: `importDocuments` into the plan's database,
 * which is created first unless the restore is in place, followed to the end.
 */
export async function restoreInCloud(deps: Deps, backup: string, plan: RestorePlan, options: RestoreOptions): Promise<Imported> {
  const pollMs = options.pollMs ?? 5_000;
  const { id, uri } = await cloudInputUri(deps, backup);
  const client = firestoreAdminClient(deps.config);
  if (plan.inPlace) await assertInPlaceAllowed(deps, options.force === true);
  else await createDatabase(deps, client, plan.database, pollMs);
  const [operation] = await client.importDocuments({ name: databaseName(deps.config, plan.database), inputUriPrefix: uri });
  options.onProgress?.({ phase: 'started' });
  const documents = await follow((name) => client.checkImportDocumentsProgress(name), operation.name, `Import of ${uri}`, pollMs, options.onProgress);
  options.onProgress?.({ phase: 'done', completed: documents });
  const mailToSend = plan.inPlace ? (await deps.db.collection('mail').where('status', 'in', ['pending', 'sending']).count().get()).data().count : null;
  return { backupId: id, source: uri, documents, mailToSend, mailKeptSent: null };
}
