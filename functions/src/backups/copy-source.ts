import type { App } from 'firebase-admin/app';
import type { Firestore } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { AppError } from '../shared/errors';
import { emulatorImport, emulatorWipe } from './emulator-admin';
import { backupTarget } from './exporter';
import { restoreBackup } from './restore';
import type { RestoreProgress } from './restore-model';
import { localMetadataFile } from './restore-local';

/*
 * Where a partial restore (one account's content) reads a backup from: never the live database
 * itself, but a copy the backup was imported into. In production that is a second database of the
 * project (`npm run restore -- <backup>` makes one; Firestore imports only whole databases). The
 * emulator cannot import into a named database (its import ignores the database id), so locally the
 * backup goes into a scratch *project* of the same emulator, which the emulator keeps apart.
 */

/** A database holding a backup's documents, opened for reading. */
export interface CopySource {
  readonly db: Firestore;
  /** The backup it holds, when known (a database named with `--from-database` does not say). */
  readonly backupId: string | null;
  /** Where it is, for people: `database restore-… of <project>`. */
  readonly label: string;
  /** The database id in production (or a named emulator database), null for the local scratch project. */
  readonly database: string | null;
  /** Releases the client; locally also empties the scratch project. The copy database itself is kept. */
  close(): Promise<void>;
}

/** The emulator project a local backup is imported into: never the live project. */
export const scratchProject = (project: string): string => `${project}-restore-copy`;

let opened = 0;

/* eslint-disable @typescript-eslint/no-require-imports -- loaded by the restore script only */
function openFirestore(project: string, databaseId: string): { app: App; db: Firestore } {
  const { initializeApp } = require('firebase-admin/app') as typeof import('firebase-admin/app');
  const { getFirestore } = require('firebase-admin/firestore') as typeof import('firebase-admin/firestore');
  // An app of its own per copy, so its settings never meet those of the functions' app.
  opened += 1;
  const app = initializeApp({ projectId: project }, `orderpally-copy-${opened}`);
  const db = getFirestore(app, databaseId);
  // Integers come back as BigInt, so an int64 beyond 2^53 is copied exactly, not rounded.
  db.settings({ useBigInt: true });
  return { app, db };
}

async function closeApp(app: App): Promise<void> {
  const { deleteApp } = require('firebase-admin/app') as typeof import('firebase-admin/app');
  await deleteApp(app);
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Opens the copy database `databaseId` of the live project (production; on the emulator, a named
 * database of the same project, which behaves alike).
 * @throws AppError DATABASE_ID_INVALID for `(default)`: the live database is no copy.
 */
export function openCopyDatabase(deps: Deps, databaseId: string, backupId: string | null = null): CopySource {
  if (databaseId === '(default)' || databaseId.trim() === '') {
    throw new AppError('DATABASE_ID_INVALID', 'The database to copy from must be a restored copy (npm run restore -- <backup>), not the live (default) database.');
  }
  const { app, db } = openFirestore(deps.config.GCLOUD_PROJECT, databaseId);
  return { db, backupId, label: `database ${databaseId} of ${deps.config.GCLOUD_PROJECT}`, database: databaseId, close: () => closeApp(app) };
}

/** Locally: imports `backup` into the emptied scratch project of the emulator and opens it. */
async function importLocalCopy(deps: Deps, backup: string, onProgress?: RestoreProgress): Promise<CopySource> {
  const { id, file } = localMetadataFile(deps, backup);
  const host = deps.config.FIRESTORE_EMULATOR_HOST as string;
  const project = scratchProject(deps.config.GCLOUD_PROJECT);
  // A copy left by an earlier run may hold documents of another backup: start empty.
  await emulatorWipe(host, project);
  onProgress?.({ phase: 'started' });
  await emulatorImport(host, project, file);
  onProgress?.({ phase: 'done' });
  const { app, db } = openFirestore(project, '(default)');
  return {
    db,
    backupId: id,
    label: `emulator project ${project} (backup ${id})`,
    database: null,
    close: async () => {
      await closeApp(app);
      await emulatorWipe(host, project);
    },
  };
}

/**
 * The copy a one-account restore reads from: the database `fromDatabase` when named; else `backup`
 * imported first, into the emulator's scratch project locally, or into a NEW database of the
 * project in production (as `npm run restore -- <backup>` does; `database` names it), which is kept.
 */
export async function openRestoreSource(
  deps: Deps,
  options: { backup?: string; fromDatabase?: string; database?: string; onProgress?: RestoreProgress },
): Promise<CopySource> {
  if (options.fromDatabase !== undefined) return openCopyDatabase(deps, options.fromDatabase, options.backup ?? null);
  if (options.backup === undefined) throw new AppError('INVALID_ARGUMENT', 'Name the backup to restore from, or a restored copy with --from-database.');
  if (backupTarget(deps.config) === 'emulator') {
    if (options.database !== undefined) throw new AppError('DATABASE_NOT_LOCAL', 'Locally the backup goes into a scratch project of the emulator: --database is for production (--project).');
    return importLocalCopy(deps, options.backup, options.onProgress);
  }
  const restored = await restoreBackup(deps, options.backup, { database: options.database, onProgress: options.onProgress });
  return openCopyDatabase(deps, restored.database, restored.backupId);
}
