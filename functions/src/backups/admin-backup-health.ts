import { z } from 'zod';
import type { Deps } from '../deps';
import { argumentsOrNone } from '../shared/input';
import type { Timestamp } from '../shared/firestore-values';
import { iso } from '../shared/time';
import type { SignedInCallableSpec } from '../spec';
import { BACKUP_ALERTS, BACKUPS, type BackupDoc, type BackupProblem, type BackupState } from './model';
import { findProblems } from './problems';

/** One recent export as staff see it. */
export interface BackupSummary {
  id: string;
  state: BackupState;
  startedAt: string;
  finishedAt: string | null;
  /** Why it failed, as the export said; null otherwise. */
  error: string | null;
  documents: number | null;
  bytes: number | null;
}

/** A current problem, and when ops were mailed about it (null: the hourly check has not run since). */
export interface BackupHealthProblem extends BackupProblem {
  alertedAt: string | null;
}

/** What `adminBackupHealth` answers. */
export interface BackupHealth {
  /** No problem by the rules `checkBackups` alerts on. */
  healthy: boolean;
  /** When the newest successful backup started (its data is as of then); null if there is none. */
  latestSuccessAt: string | null;
  problems: BackupHealthProblem[];
  /** The newest first, at most `BACKUPS_SHOWN`. */
  backups: BackupSummary[];
  /** How long exports are kept (clause 5.4: at least 7 days), and when a backup counts as stale. */
  retentionDays: number;
  staleAfterHours: number;
}

/** Exports listed: a week of nightly backups and a few retries. */
export const BACKUPS_SHOWN = 10;

const input = argumentsOrNone(z.object({}).strict());

/**
 * Backup health at a glance (clause 5.4): the newest exports and the problems `checkBackups`
 * alerts on, found by the same code, with when each was mailed to ops. Reads only: following
 * running exports to their end stays with the hourly `checkBackups`.
 */
export async function adminBackupHealth(deps: Deps): Promise<BackupHealth> {
  const [{ latest, problems }, recent] = await Promise.all([
    findProblems(deps, deps.clock.now()),
    deps.db.collection(BACKUPS).orderBy('startedAt', 'desc').limit(BACKUPS_SHOWN).get(),
  ]);
  const alerts = problems.length === 0 ? [] : await deps.db.getAll(...problems.map((p) => deps.db.collection(BACKUP_ALERTS).doc(p.key)));
  return {
    healthy: problems.length === 0,
    latestSuccessAt: iso(latest?.startedAt ?? null),
    problems: problems.map((p, i) => ({ ...p, alertedAt: iso((alerts[i]?.get('alertedAt') as Timestamp | undefined) ?? null) })),
    backups: recent.docs.map((d) => {
      const b = d.data() as BackupDoc;
      return { id: d.id, state: b.state, startedAt: iso(b.startedAt), finishedAt: iso(b.finishedAt), error: b.error, documents: b.documents, bytes: b.bytes };
    }),
    retentionDays: deps.config.BACKUP_RETENTION_DAYS,
    staleAfterHours: deps.config.BACKUP_STALE_HOURS,
  };
}

/** `adminBackupHealth()` → `{healthy, latestSuccessAt, problems[], backups[], retentionDays, staleAfterHours}`. Support or admin. */
export const adminBackupHealthSpec: SignedInCallableSpec<z.output<typeof input>, BackupHealth, z.input<typeof input>> = {
  auth: 'required',
  roles: ['support', 'admin'],
  input,
  handler: (deps) => adminBackupHealth(deps),
};
