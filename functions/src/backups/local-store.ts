import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { deleteAgeDays } from './bucket-policy';
import { backupIdTime } from './model';
import { DAY_MS } from '../shared/input';

/*
 * The local backup folder: what the bucket is in production. Each export is a folder named by its
 * backup id, holding the emulator's managed-export layout (`<id>.overall_export_metadata`,
 * `all_namespaces/…`). Only folders whose names are backup ids are ever listed or deleted.
 */


/** The absolute local backup folder (BACKUP_LOCAL_DIR, relative to the working directory). */
export function localBackupDir(config: Config): string {
  return path.resolve(process.cwd(), config.BACKUP_LOCAL_DIR);
}

/** Creates the local backup folder if needed and returns it: the emulator only exports into an existing one. */
export function ensureLocalBackupDir(config: Config): string {
  const dir = localBackupDir(config);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A local export on disk. */
export interface LocalBackup {
  readonly id: string;
  readonly startedAt: Date;
  readonly dir: string;
  /** The `…overall_export_metadata` file an emulator import takes; null when the export is incomplete. */
  readonly metadataFile: string | null;
}

/** The local exports in `dir`, newest first. */
export function listLocalBackups(dir: string): LocalBackup[] {
  if (!existsSync(dir)) return [];
  const found: LocalBackup[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const startedAt = entry.isDirectory() ? backupIdTime(entry.name) : null;
    if (!startedAt) continue;
    const folder = path.join(dir, entry.name);
    const metadata = readdirSync(folder).find((f) => f.endsWith('.overall_export_metadata'));
    found.push({ id: entry.name, startedAt, dir: folder, metadataFile: metadata ? path.join(folder, metadata) : null });
  }
  return found.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
}

/**
 * The bucket's lifecycle rule applied to the local folder: deletes the exports older than
 * retention + 1 days (the same age the bucket's rule uses), never one inside its retention.
 * Ages come from the backup ids, not file times, so a copied folder keeps its age.
 * @returns the ids deleted.
 */
export function sweepLocalBackups(dir: string, now: Date, retentionDays: number): string[] {
  const maxAgeMs = deleteAgeDays(retentionDays) * DAY_MS;
  const deleted: string[] = [];
  for (const backup of listLocalBackups(dir)) {
    if (now.getTime() - backup.startedAt.getTime() < maxAgeMs) continue;
    rmSync(backup.dir, { recursive: true, force: true });
    deleted.push(backup.id);
  }
  return deleted;
}
