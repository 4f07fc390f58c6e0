import type { Deps } from '../deps';
import type { ScheduledHandler } from '../spec';
import { Timestamp } from '../shared/firestore-values';
import { backupTarget, outputUriFor, startExport, type ExportStarted } from './exporter';
import { localBackupDir, sweepLocalBackups } from './local-store';
import { BACKUPS, backupIdAt, type BackupDoc, type BackupState } from './model';
import { AppError } from '../shared/errors';

/** What `runBackup` answers (DESIGN §5). */
export interface RunBackupResult {
  readonly backupId: string;
  readonly outputUri: string;
  /** `running` while a cloud export's operation works; locally `succeeded` (or `failed`) at once. */
  readonly status: BackupState;
}

const ALREADY_EXISTS = 6;

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
}

/**
 * Agreement clause 5.4: snapshots the whole database. In production `exportDocuments` to
 * `gs://<bucket>/<UTC timestamp>/`, recorded as `running` with its operation, which
 * `checkBackups` follows to its end; on the emulators an export into the local backup folder,
 * complete at once, followed by the local retention sweep. The `backups/{id}` record is written
 * once the export has started (so a restored database never holds a record of an export that
 * "never started"); a failed start is recorded as `failed`, not thrown, so `checkBackups` alerts
 * on it like any other failed export.
 * @throws AppError FAILED_PRECONDITION when production has no BACKUP_BUCKET; ALREADY_EXISTS when
 *   a backup started in the same millisecond.
 */
export async function runBackup(deps: Deps): Promise<RunBackupResult> {
  const target = backupTarget(deps.config);
  const startedAt = deps.clock.now();
  const id = backupIdAt(startedAt);
  const outputUri = outputUriFor(deps, target, id);
  let status: BackupState = 'failed';
  let started: ExportStarted | null = null;
  let error: string | null = null;
  try {
    started = await startExport(deps, target, id, outputUri);
    status = started.finished ? 'succeeded' : 'running';
  } catch (cause) {
    error = message(cause);
    deps.log.log('ERROR', 'backup.failed', { backupId: id, target, outputUri, error });
  }
  const finishedAt = status === 'running' ? null : Timestamp.fromDate(deps.clock.now());
  const doc: BackupDoc = {
    id,
    target,
    outputUri,
    operationName: started?.operationName ?? null,
    state: status,
    startedAt: Timestamp.fromDate(startedAt),
    finishedAt,
    error,
    documents: started?.documents ?? null,
    bytes: null,
    checkedAt: null,
  };
  try {
    await deps.db.collection(BACKUPS).doc(id).create(doc);
  } catch (cause) {
    if ((cause as { code?: unknown }).code === ALREADY_EXISTS) {
      throw new AppError('BACKUP_EXISTS', `A backup with id ${id} already exists.`);
    }
    throw cause;
  }
  deps.log.log(status === 'failed' ? 'WARNING' : 'INFO', 'backup.started', { backupId: id, target, outputUri, status });

  if (target === 'emulator') {
    try {
      const deleted = sweepLocalBackups(localBackupDir(deps.config), deps.clock.now(), deps.config.BACKUP_RETENTION_DAYS);
      if (deleted.length > 0) deps.log.log('INFO', 'backup.local_swept', { deleted });
    } catch (error) {
      deps.log.log('WARNING', 'backup.local_sweep_failed', { error: message(error) });
    }
  }
  return { backupId: id, outputUri, status };
}

/** `runBackup`, as Cloud Scheduler runs it (daily at 02:00 Asia/Taipei). */
export const runBackupSpec: ScheduledHandler<RunBackupResult> = (deps) => runBackup(deps);
