import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Deps } from '../deps';
import { databaseName, firestoreAdminClient } from './admin-client';
import { emulatorCountDocuments, emulatorImport } from './emulator-admin';
import { backupTarget, workCount } from './exporter';
import { listLocalBackups, localBackupDir } from './local-store';
import { BACKUPS, type BackupDoc, type BackupTarget } from './model';

/*
 * Restoring a backup (the restore script, `npm run restore`). An import writes every document of
 * the backup, overwriting a document with the same path; documents that are not in the backup are
 * NOT deleted. To get exactly the backup's state, restore into an empty database.
 */

/** A backup that can be restored. */
export interface RestorableBackup {
  readonly id: string;
  readonly startedAt: Date;
  /** `gs://…/` or the local folder. */
  readonly location: string;
  readonly documents: number | null;
}

/** What a restore did. */
export interface RestoreResult {
  readonly backupId: string;
  readonly target: BackupTarget;
  readonly source: string;
  /** Documents imported (production), or documents the emulator database holds afterwards. */
  readonly documents: number | null;
  readonly ms: number;
}

/** Progress of an import, for the script to show. */
export type RestoreProgress = (event: { phase: 'started' | 'progress' | 'done'; completed?: number | null; estimated?: number | null }) => void;

/**
 * The backups that can be restored, newest first: the local folder's complete exports on the
 * emulators; the `backups` collection's successful exports in production.
 */
export async function listRestorableBackups(deps: Deps, limit = 30): Promise<RestorableBackup[]> {
  if (backupTarget(deps.config) === 'emulator') {
    return listLocalBackups(localBackupDir(deps.config))
      .filter((b) => b.metadataFile !== null)
      .slice(0, limit)
      .map((b) => ({ id: b.id, startedAt: b.startedAt, location: b.dir, documents: null }));
  }
  const snap = await deps.db.collection(BACKUPS).where('state', '==', 'succeeded').orderBy('startedAt', 'desc').limit(limit).get();
  return snap.docs.map((d) => {
    const b = d.data() as BackupDoc;
    return { id: b.id, startedAt: b.startedAt.toDate(), location: b.outputUri, documents: b.documents };
  });
}

/**
 * The emulator import's input for `backup`: a backup id in the local folder, or a path to an
 * export folder or its `.overall_export_metadata` file.
 */
function localMetadataFile(deps: Deps, backup: string): { id: string; file: string } {
  const candidates = [path.join(localBackupDir(deps.config), backup), path.resolve(process.cwd(), backup)];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    if (statSync(candidate).isFile() && candidate.endsWith('.overall_export_metadata')) return { id: path.basename(path.dirname(candidate)), file: candidate };
    if (statSync(candidate).isDirectory()) {
      const metadata = readdirSync(candidate).find((f) => f.endsWith('.overall_export_metadata'));
      if (metadata) return { id: path.basename(candidate), file: path.join(candidate, metadata) };
    }
  }
  throw new Error(`No complete local export "${backup}" (looked in ${localBackupDir(deps.config)} and at that path).`);
}

/** The `gs://` prefix of `backup`: a `backups/{id}` document's output URI, or a `gs://` URI itself. */
async function cloudInputUri(deps: Deps, backup: string): Promise<{ id: string; uri: string }> {
  if (backup.startsWith('gs://')) return { id: backup.replace(/\/+$/, '').split('/').pop() ?? backup, uri: backup.endsWith('/') ? backup : `${backup}/` };
  const snap = await deps.db.collection(BACKUPS).doc(backup).get();
  if (!snap.exists) throw new Error(`No backup "${backup}" in the backups collection of ${deps.config.GCLOUD_PROJECT}.`);
  const doc = snap.data() as BackupDoc;
  if (doc.state !== 'succeeded') throw new Error(`Backup ${backup} is ${doc.state}, not succeeded: it cannot be restored.`);
  return { id: backup, uri: doc.outputUri };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Imports `backup` into the database (the emulator's import locally, `importDocuments` in
 * production, followed until its operation ends). Overwrites same-path documents, keeps others.
 * @throws when the backup is unknown or the import fails.
 */
export async function restoreBackup(deps: Deps, backup: string, onProgress: RestoreProgress = () => undefined, pollMs = 5_000): Promise<RestoreResult> {
  const target = backupTarget(deps.config);
  const started = performance.now();
  const { config } = deps;
  if (target === 'emulator') {
    const { id, file } = localMetadataFile(deps, backup);
    const host = config.FIRESTORE_EMULATOR_HOST as string;
    onProgress({ phase: 'started' });
    await emulatorImport(host, config.GCLOUD_PROJECT, file);
    const documents = await emulatorCountDocuments(host, config.GCLOUD_PROJECT);
    onProgress({ phase: 'done', completed: documents });
    deps.log.log('WARNING', 'backup.restored', { backupId: id, target, source: file, documents });
    return { backupId: id, target, source: file, documents, ms: Math.round(performance.now() - started) };
  }
  const { id, uri } = await cloudInputUri(deps, backup);
  const client = firestoreAdminClient(config);
  const [operation] = await client.importDocuments({ name: databaseName(config), inputUriPrefix: uri });
  if (!operation.name) throw new Error('importDocuments answered an operation without a name');
  onProgress({ phase: 'started' });
  let documents: number | null = null;
  for (;;) {
    const status = await client.checkImportDocumentsProgress(operation.name);
    const metadata = status.metadata as { progressDocuments?: { completedWork?: unknown; estimatedWork?: unknown } } | null;
    const completed = metadata?.progressDocuments?.completedWork;
    const estimated = metadata?.progressDocuments?.estimatedWork;
    documents = workCount(completed) ?? documents;
    if (status.done) {
      const error = status.error as { message?: string } | undefined;
      if (error) throw new Error(`Import of ${uri} failed: ${error.message ?? 'unknown error'}`);
      break;
    }
    onProgress({ phase: 'progress', completed: documents, estimated: workCount(estimated) });
    await sleep(pollMs);
  }
  onProgress({ phase: 'done', completed: documents });
  deps.log.log('WARNING', 'backup.restored', { backupId: id, target, source: uri, documents });
  return { backupId: id, target, source: uri, documents, ms: Math.round(performance.now() - started) };
}
