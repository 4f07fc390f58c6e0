import type { Deps } from '../deps';
import type { ScheduledHandler } from '../spec';
import { Timestamp } from '../shared/firestore-values';
import { alertOnce } from './alerts';
import { exportProgress } from './exporter';
import { BACKUPS, type BackupDoc, type BackupProblem } from './model';
import { findProblems, HOUR_MS } from './problems';

/** One problem in the answer; `alertedNow` is true when this run mailed it (false: mailed before). */
export interface BackupAlert extends BackupProblem {
  readonly alertedNow: boolean;
}

/** What `checkBackups` answers (DESIGN §5). */
export interface CheckBackupsResult {
  readonly healthy: boolean;
  /** When the newest successful backup started (its data is as of then), ISO UTC; null if there is none. */
  readonly latestSuccessAt: string | null;
  readonly alerts: BackupAlert[];
}

/** A `running` record without an operation (runBackup never writes one: a hand-made or damaged record) this old is failed. */
const NEVER_STARTED_MS = HOUR_MS;

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
}

/** Follows every unfinished export to its end state and records it (`state`, `finishedAt`, counts). */
async function pollRunning(deps: Deps, now: Date): Promise<void> {
  const running = await deps.db.collection(BACKUPS).where('state', '==', 'running').limit(50).get();
  for (const snap of running.docs) {
    const backup = snap.data() as BackupDoc;
    const at = Timestamp.fromDate(now);
    if (!backup.operationName) {
      if (now.getTime() - backup.startedAt.toMillis() < NEVER_STARTED_MS) continue;
      await snap.ref.update({ state: 'failed', error: 'recorded as running without an export operation', finishedAt: at, checkedAt: at });
      continue;
    }
    try {
      const progress = await exportProgress(deps, backup.operationName);
      const counts = { documents: progress.documents ?? backup.documents, bytes: progress.bytes ?? backup.bytes };
      if (!progress.done) {
        await snap.ref.update({ checkedAt: at, ...counts });
        continue;
      }
      const state = progress.error ? 'failed' : 'succeeded';
      await snap.ref.update({ state, error: progress.error, finishedAt: at, checkedAt: at, ...counts });
      deps.log.log(state === 'failed' ? 'ERROR' : 'INFO', `backup.${state}`, { backupId: backup.id, error: progress.error, ...counts });
    } catch (error) {
      // Asked again next hour; if it never answers, the backups go stale and that is alerted.
      deps.log.log('WARNING', 'backup.poll_failed', { backupId: backup.id, operationName: backup.operationName, error: message(error) });
    }
  }
}

/**
 * Agreement clause 5.4, checked hourly: follows unfinished exports to their end, then answers
 * whether the backups are healthy and mails ops once per problem (`backupAlerts/{key}`): the
 * official export sample starts exports and never notices one that fails later.
 */
export async function checkBackups(deps: Deps): Promise<CheckBackupsResult> {
  await pollRunning(deps, deps.clock.now());
  const now = deps.clock.now();
  const { latest, problems } = await findProblems(deps, now);
  const alertedNow = await alertOnce(deps, problems);
  const result: CheckBackupsResult = {
    healthy: problems.length === 0,
    latestSuccessAt: latest ? latest.startedAt.toDate().toISOString() : null,
    alerts: problems.map((p) => ({ ...p, alertedNow: alertedNow.has(p.key) })),
  };
  deps.log.log(result.healthy ? 'INFO' : 'WARNING', 'backup.checked', { healthy: result.healthy, latestSuccessAt: result.latestSuccessAt, problems: problems.map((p) => p.key) });
  return result;
}

/** `checkBackups`, as Cloud Scheduler runs it (hourly). */
export const checkBackupsSpec: ScheduledHandler<CheckBackupsResult> = (deps) => checkBackups(deps);
