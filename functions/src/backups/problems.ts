import type { Deps } from '../deps';
import { BACKUPS, type BackupDoc, type BackupProblem } from './model';

/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** Failed exports looked at per run (the newest ones after the last good backup). */
const MAX_FAILED = 20;

/**
 * The current problems: the newest successful backup is older than BACKUP_STALE_HOURS (or there
 * is none), and each export that failed after it. A failure before the newest good backup is
 * history, not a problem. Needs the composite index backups(state, startedAt desc).
 */
export async function findProblems(deps: Deps, now: Date): Promise<{ latest: BackupDoc | null; problems: BackupProblem[] }> {
  const backups = deps.db.collection(BACKUPS);
  const newest = await backups.where('state', '==', 'succeeded').orderBy('startedAt', 'desc').limit(1).get();
  const latest = (newest.docs[0]?.data() as BackupDoc | undefined) ?? null;
  const problems: BackupProblem[] = [];
  const staleMs = deps.config.BACKUP_STALE_HOURS * HOUR_MS;
  if (!latest) {
    problems.push({ key: 'stale-none', kind: 'stale', backupId: null, message: 'There is no successful backup at all.' });
  } else if (now.getTime() - latest.startedAt.toMillis() > staleMs) {
    const hours = Math.floor((now.getTime() - latest.startedAt.toMillis()) / HOUR_MS);
    problems.push({
      // Keyed by the newest good backup: this stale spell is mailed once; after a new good backup, a new spell mails again.
      key: `stale-${latest.id}`,
      kind: 'stale',
      backupId: latest.id,
      message: `The newest successful backup (${latest.id}) started ${hours} hours ago, more than ${deps.config.BACKUP_STALE_HOURS}.`,
    });
  }
  let failed = backups.where('state', '==', 'failed');
  if (latest) failed = failed.where('startedAt', '>', latest.startedAt);
  const failures = await failed.orderBy('startedAt', 'desc').limit(MAX_FAILED).get();
  for (const snap of failures.docs) {
    const backup = snap.data() as BackupDoc;
    problems.push({ key: `failed-${backup.id}`, kind: 'failed', backupId: backup.id, message: `Export ${backup.id} failed: ${backup.error ?? 'no reason given'}.` });
  }
  return { latest, problems };
}

