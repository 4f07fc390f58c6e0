import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { enqueueMail } from '../mail/outbox';
import { isSafeAddress } from '../shared/email';
import { renderMail } from '../mail/templates/render';
import { Timestamp } from '../shared/firestore-values';
import { BACKUP_ALERTS, type BackupAlertDoc, type BackupProblem } from './model';

/** Kind of the ops mail about a backup problem. */
export const BACKUP_ALERT_KIND = 'backup.alert';

/** The ops mail for one problem, in English like every ops alert (it goes to engineers, not customers). */
function alertMail(problem: BackupProblem, projectId: string, at: Date) {
  return renderMail({
    locale: 'en',
    subject: `[OrderPally ops] Backup problem: ${problem.kind === 'stale' ? 'no recent backup' : 'an export failed'} (${projectId})`,
    intro: ['The database backups do not meet agreement clause 5.4 (snapshots kept at least 7 days).'],
    fields: [
      ['Problem', problem.message],
      ['Backup', problem.backupId ?? '-'],
      ['Project', projectId],
      ['Checked at', at.toISOString()],
    ],
    outro: [
      'Look at backups/{id} in Firestore and the runBackup/checkBackups logs; run runBackup again once the cause is fixed.',
      'This problem is mailed once; a new problem (or this one again after a good backup) is mailed again.',
    ],
  });
}

/**
 * Mails ops about each problem that has not been mailed before: `backupAlerts/{key}` and the
 * outbox message are written in one transaction, so concurrent checks mail a problem once, and a
 * problem is never marked alerted without its mail. First delivery attempt right after commit.
 * @returns the keys alerted by this call.
 */
export async function alertOnce(deps: Deps, problems: readonly BackupProblem[]): Promise<Set<string>> {
  const alerted = new Set<string>();
  const to = deps.config.OPS_EMAIL;
  if (problems.length === 0) return alerted;
  if (!isSafeAddress(to)) {
    deps.log.log('ERROR', 'backup.alert_skipped', { reason: 'OPS_EMAIL is not a plain address', problems });
    return alerted;
  }
  const mailIds: string[] = [];
  for (const problem of problems) {
    const ref = deps.db.collection(BACKUP_ALERTS).doc(problem.key);
    const mailId = await deps.db.runTransaction(async (tx) => {
      if ((await tx.get(ref)).exists) return null;
      const now = deps.clock.now();
      const id = enqueueMail(tx, deps.db, now, {
        kind: BACKUP_ALERT_KIND,
        to,
        related: problem.backupId ? `backups/${problem.backupId}` : null,
        ...alertMail(problem, deps.config.GCLOUD_PROJECT, now),
      });
      const doc: BackupAlertDoc = { kind: problem.kind, message: problem.message, backupId: problem.backupId, alertedAt: Timestamp.fromDate(now), mailId: id };
      tx.create(ref, doc);
      return id;
    });
    if (mailId) {
      alerted.add(problem.key);
      mailIds.push(mailId);
      deps.log.log('ERROR', 'backup.alert', { key: problem.key, message: problem.message, mailId });
    }
  }
  await deliverNow(deps, mailIds);
  return alerted;
}
