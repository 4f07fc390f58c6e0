import type { Deps } from '../deps';
import { backupTarget } from './exporter';
import { listLocalBackups, localBackupDir } from './local-store';
import { BACKUPS, type BackupDoc } from './model';
import type { RestoreOptions, RestorePlan, RestoreResult } from './restore-model';
import { restoreInCloud } from './restore-cloud';
import { restoreInEmulator } from './restore-local';
import { AppError } from '../shared/errors';

export type { RestoreOptions, RestorePlan, RestoreProgress, RestoreResult } from './restore-model';

/*
 * Restoring a backup (the restore script, `npm run restore`). An import writes every document of
 * the backup, overwriting a document with the same path; documents that are not in the backup are
 * NOT deleted. In production a restore therefore goes into a NEW database by default, which the
 * operator inspects and copies from: overwriting the live database would bring back what was ended
 * since the backup (IN_PLACE_CONSEQUENCES). Locally the emulator's one database is restored in place.
 */

/** A backup that can be restored. */
export interface RestorableBackup {
  readonly id: string;
  readonly startedAt: Date;
  /** `gs://…/` or the local folder. */
  readonly location: string;
  readonly documents: number | null;
}

/**
 * What an in-place restore cannot undo: the script prints it before asking, the README repeats it.
 * Firebase Auth is not in a backup; everything in Firestore is.
 */
export const IN_PLACE_CONSEQUENCES: readonly string[] = [
  'API keys revoked since the backup work again (their hashes come back): revoke them again.',
  'Accounts suspended or terminated since the backup, and content destroyed since (clause 3.2), come back as the backup has them.',
  'Outbox mail that was pending or sending in the backup is sent (again) by deliverMail. Locally, messages the database had already sent are kept sent; in production pause the deliverMail job first and review the mail collection.',
  'Documents created since the backup are kept (an import deletes nothing): the database mixes both times. Reference counters go back; new incident and records references skip past the existing ones.',
  'Firebase Auth is not in a backup: users disabled or deleted since stay so, and staff roles are unchanged.',
];

const DATABASE_ID = /^[a-z][a-z0-9-]{2,61}[a-z0-9]$/;
const pad = (n: number) => String(n).padStart(2, '0');

/** `restore-20260402-093015`: a new database id from the clock (UTC, like backup ids). */
export function derivedDatabaseId(at: Date): string {
  const date = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}`;
  return `restore-${date}-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
}

/**
 * Where a restore with `options` goes. The emulator is always restored in place (it is no live
 * system); production goes into a new database unless `inPlace` is asked for.
 * @throws AppError INVALID_ARGUMENT for a database id Firestore would refuse, `(default)` as a new
 *   database, or a database named together with `inPlace`.
 */
export function planRestore(deps: Deps, options: Pick<RestoreOptions, 'database' | 'inPlace'> = {}): RestorePlan {
  const target = backupTarget(deps.config);
  if (target === 'emulator') {
    if (options.database !== undefined) throw new AppError('DATABASE_NOT_LOCAL', 'Locally a restore goes into the emulator\'s database: --database is for production (--project).');
    return { target, database: '(default)', inPlace: true };
  }
  if (options.inPlace) {
    if (options.database !== undefined) throw new AppError('IN_PLACE_WITH_DATABASE', 'Give either --in-place (the live (default) database) or --database <new id>, not both.');
    return { target, database: '(default)', inPlace: true };
  }
  const database = options.database ?? derivedDatabaseId(deps.clock.now());
  if (!DATABASE_ID.test(database)) {
    throw new AppError('DATABASE_ID_INVALID', `"${database}" is not a new database id: 4 to 63 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit. To restore into (default), pass --in-place.`);
  }
  return { target, database, inPlace: false };
}

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
 * Imports `backup` as `planRestore` decides: into the emulator, into a new production database
 * (created in the live database's location, clause 5.10), or, when asked, into the live one.
 * @throws AppError when the plan is refused (bad id, existing database, live accounts without
 *   `force`), Error when the backup is unknown or the import fails.
 */
export async function restoreBackup(deps: Deps, backup: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const plan = planRestore(deps, options);
  const started = performance.now();
  const done = plan.target === 'emulator' ? await restoreInEmulator(deps, backup, options) : await restoreInCloud(deps, backup, plan, options);
  const result: RestoreResult = { ...plan, ...done, ms: Math.round(performance.now() - started) };
  deps.log.log('WARNING', 'backup.restored', { backupId: result.backupId, target: plan.target, database: plan.database, inPlace: plan.inPlace, source: result.source, documents: result.documents });
  return result;
}
