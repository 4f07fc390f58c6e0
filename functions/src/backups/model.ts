import type { Timestamp } from 'firebase-admin/firestore';

/** Where a backup's export runs: the Firestore Admin API (a bucket) or the local emulator (a folder). */
export type BackupTarget = 'cloud' | 'emulator';

/** States of one export (DESIGN §7). `running` until its long-running operation ends. */
export type BackupState = 'running' | 'succeeded' | 'failed';

/** `backups/{id}`: one export of the whole database (clause 5.4). Never client-readable. */
export interface BackupDoc {
  /** Same as the document id: the export's UTC timestamp, e.g. `2026-05-01T18-00-00.000Z`. */
  id: string;
  target: BackupTarget;
  /** `gs://<bucket>/<id>/`, or `file:///…/<id>/` for a local export. */
  outputUri: string;
  /** The export's long-running operation (`projects/…/operations/…`); null locally or before it started. */
  operationName: string | null;
  state: BackupState;
  startedAt: Timestamp;
  finishedAt: Timestamp | null;
  /** Why it failed, as the API or emulator said it. */
  error: string | null;
  /** Documents and bytes exported, when known. */
  documents: number | null;
  bytes: number | null;
  /** When `checkBackups` last asked about the operation. */
  checkedAt: Timestamp | null;
}

/** `backupAlerts/{problemKey}`: an ops alert already sent, so a problem is mailed once. */
export interface BackupAlertDoc {
  kind: BackupProblemKind;
  message: string;
  backupId: string | null;
  alertedAt: Timestamp;
  mailId: string;
}

/** What can be wrong with the backups. */
export type BackupProblemKind = 'stale' | 'failed';

/** One current problem, as `checkBackups` reports it. */
export interface BackupProblem {
  /** Stable per problem: `stale-<newest good backup id | none>` or `failed-<backup id>`. */
  readonly key: string;
  readonly kind: BackupProblemKind;
  readonly backupId: string | null;
  readonly message: string;
}

/** Collection names. */
export const BACKUPS = 'backups';
export const BACKUP_ALERTS = 'backupAlerts';

/** The id (and folder / object prefix) of a backup started at `at`: its UTC time, path-safe. */
export function backupIdAt(at: Date): string {
  return at.toISOString().replace(/:/g, '-');
}

const ID = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2}\.\d{3})Z$/;

/** The start time encoded in a backup id, or null when `id` is not one of ours. */
export function backupIdTime(id: string): Date | null {
  const m = ID.exec(id);
  if (!m) return null;
  const at = new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}
