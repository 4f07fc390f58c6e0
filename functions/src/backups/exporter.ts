import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../config';
import type { Deps } from '../deps';
import { databaseName, firestoreAdminClient } from './admin-client';
import { emulatorCountDocuments, emulatorExport } from './emulator-admin';
import { ensureLocalBackupDir, localBackupDir } from './local-store';
import type { BackupTarget } from './model';
import { AppError } from '../shared/errors';

/**
 * Where exports go. On the emulators (FIRESTORE_EMULATOR_HOST) the emulator's own export endpoint
 * writes a folder; everywhere else, and in tests that point the official client at a recording
 * endpoint (FIRESTORE_ADMIN_ENDPOINT), the Firestore Admin API exports to the bucket.
 */
export function backupTarget(config: Config): BackupTarget {
  if (config.FIRESTORE_ADMIN_ENDPOINT !== undefined) return 'cloud';
  return config.FIRESTORE_EMULATOR_HOST !== undefined ? 'emulator' : 'cloud';
}

/**
 * The bucket a cloud export writes to.
 * @throws AppError FAILED_PRECONDITION when BACKUP_BUCKET is not configured.
 */
export function requireBucket(deps: Deps): string {
  const bucket = deps.config.BACKUP_BUCKET;
  if (!bucket) {
    deps.log.log('ERROR', 'backup.no_bucket', { message: 'BACKUP_BUCKET is not set: no export can run (clause 5.4)' });
    throw new AppError('BACKUP_BUCKET_MISSING', 'BACKUP_BUCKET is not configured: there is nowhere to export the database to.');
  }
  return bucket;
}

/** Where backup `id` is written: `gs://<bucket>/<id>/` or the local folder's `file://` URL. */
export function outputUriFor(deps: Deps, target: BackupTarget, id: string): string {
  if (target === 'cloud') return `gs://${requireBucket(deps)}/${id}/`;
  return `${pathToFileURL(path.join(localBackupDir(deps.config), id)).href}/`;
}

/** What starting an export told us. */
export interface ExportStarted {
  readonly operationName: string | null;
  /** True when the export is already complete (the emulator exports synchronously). */
  readonly finished: boolean;
  readonly documents: number | null;
}

/**
 * Starts the export of the whole database to `outputUri`.
 * @throws whatever the API or the emulator answered (the caller records the failure).
 */
export async function startExport(deps: Deps, target: BackupTarget, id: string, outputUri: string): Promise<ExportStarted> {
  const { config } = deps;
  if (target === 'cloud') {
    const [operation] = await firestoreAdminClient(config).exportDocuments({ name: databaseName(config), outputUriPrefix: outputUri });
    if (!operation.name) throw new Error('exportDocuments answered an operation without a name');
    return { operationName: operation.name, finished: false, documents: null };
  }
  const host = config.FIRESTORE_EMULATOR_HOST as string;
  const dir = ensureLocalBackupDir(config);
  // Counted just before the export: the emulator reports nothing, and locally nothing else writes meanwhile.
  const documents = await emulatorCountDocuments(host, config.GCLOUD_PROJECT).catch(() => null);
  await emulatorExport(host, config.GCLOUD_PROJECT, dir, id);
  return { operationName: null, finished: true, documents };
}

/** The state of an export's long-running operation. */
export interface ExportProgress {
  readonly done: boolean;
  readonly error: string | null;
  readonly documents: number | null;
  readonly bytes: number | null;
}

/** A progress counter from operation metadata (a number, an int64 string or a protobuf Long) as a number. */
export function workCount(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint') n = Number(value);
  else if (value !== null && typeof value === 'object' && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    n = (value as { toNumber: () => number }).toNumber();
  } else return null;
  return Number.isFinite(n) ? n : null;
}

/**
 * Asks the Firestore Admin API how export `operationName` is doing.
 * @throws when the API cannot be asked (the caller retries on its next run).
 */
export async function exportProgress(deps: Deps, operationName: string): Promise<ExportProgress> {
  const operation = await firestoreAdminClient(deps.config).checkExportDocumentsProgress(operationName);
  const metadata = operation.metadata as { progressDocuments?: { completedWork?: unknown }; progressBytes?: { completedWork?: unknown } } | null;
  const error = operation.error as { message?: string; code?: number } | undefined;
  return {
    done: operation.done === true,
    error: error ? `${error.message ?? 'export failed'}${error.code !== undefined ? ` (code ${error.code})` : ''}` : null,
    documents: workCount(metadata?.progressDocuments?.completedWork),
    bytes: workCount(metadata?.progressBytes?.completedWork),
  };
}
