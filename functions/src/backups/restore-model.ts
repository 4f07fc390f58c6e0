import type { BackupTarget } from './model';

/** Progress of an import, for the script to show. */
export type RestoreProgress = (event: { phase: 'started' | 'progress' | 'done'; completed?: number | null; estimated?: number | null }) => void;

/** How to restore. Production only, except `onProgress` and `pollMs`. */
export interface RestoreOptions {
  /** The new database to create and import into (`--database`); derived from the clock when omitted. */
  readonly database?: string;
  /** Import into the live `(default)` database instead (`--in-place`). */
  readonly inPlace?: boolean;
  /** With `inPlace`: import even though the live database holds accounts (`--force`). */
  readonly force?: boolean;
  readonly onProgress?: RestoreProgress;
  /** How often a cloud operation is polled. */
  readonly pollMs?: number;
}

/** Where a restore goes. */
export interface RestorePlan {
  readonly target: BackupTarget;
  /** The database id: `(default)` in place, else the new database's id. */
  readonly database: string;
  readonly inPlace: boolean;
}

/** What a restore did. */
export interface RestoreResult extends RestorePlan {
  readonly backupId: string;
  readonly source: string;
  /** Documents imported (production), or documents the emulator database holds afterwards. */
  readonly documents: number | null;
  /** In place: outbox messages the restore left pending or sending, which deliverMail will send. */
  readonly mailToSend: number | null;
  /** Locally: outbox messages the backup had as unsent that the live database had sent, kept sent. */
  readonly mailKeptSent: number | null;
  readonly ms: number;
}
