import type { BulkWriter } from 'firebase-admin/firestore';
import { recordActivity } from '../accounts/activity-log';
import { effectiveStatus } from '../accounts/effective-status';
import type { AccountDoc } from '../accounts/model';
import { accountParent, findAccount } from '../accounts/repository';
import type { CopySource } from '../backups/copy-source';
import type { Deps } from '../deps';
import { AppError, fromZodError } from '../shared/errors';
import { singleLineText, targetUid } from '../shared/input';
import { contentCollections } from './descendants';
import { copySubtree, emptyCounts, type CollectionCounts, type PageProgress } from './restore-copy';

/** Documents compared (and written) per page: one `getAll` and one flush of the writer each. */
export const RESTORE_PAGE_SIZE = 500;

/** What a one-account restore found and, unless it was a dry run, wrote. */
export interface AccountRestoreSummary extends CollectionCounts {
  readonly uid: string;
  readonly backupId: string | null;
  readonly source: string;
  readonly dryRun: boolean;
  /** False when the restore stopped early (a write failed): run it again to finish. */
  complete: boolean;
  /** Paths whose write failed for good. */
  failed: number;
  /** Counts per first-level content collection, each with its whole subtree. */
  readonly collections: Record<string, CollectionCounts>;
}

/** A one-account restore: whose content, who asks, and whether to write. */
export interface AccountRestoreOptions {
  readonly uid: string;
  /** The staff member, named in the account's activity log (an email or a uid). */
  readonly by: string;
  /** False (the default of the script) for a dry run that only counts. */
  readonly write: boolean;
  readonly pageSize?: number;
  readonly onPage?: PageProgress;
}

const staffName = singleLineText(200);

/**
 * The live account, if its content may be restored: it exists, and its rights have not ended.
 * The script asks first, before a backup is imported into a new database for nothing.
 * @throws AppError INVALID_ARGUMENT (no uid), ACCOUNT_NOT_FOUND, or ACCOUNT_TERMINATED from the termination date or contract
 *   end on (clause 3.2(a): content is destroyed then, and is not brought back).
 */
export async function restorableAccount(deps: Deps, uid: string): Promise<AccountDoc> {
  const valid = targetUid.safeParse(uid);
  if (!valid.success) throw fromZodError(valid.error, 'account');
  const account = await findAccount(deps.db, uid);
  if (!account) throw new AppError('ACCOUNT_NOT_FOUND', `No account ${uid} in the live database: content is only restored into an existing account.`, { uid });
  if (effectiveStatus(account, deps.clock.now()) === 'terminated') {
    throw new AppError('ACCOUNT_TERMINATED', `Account ${uid} is terminated: its content ended with its rights (clause 3.2) and is not restored.`, { uid });
  }
  return account;
}

/** A writer that retries a failing write a few times, then counts it as failed. */
function boundedWriter(deps: Deps, summary: AccountRestoreSummary): BulkWriter {
  const writer = deps.db.bulkWriter();
  writer.onWriteError((error) => {
    if (error.failedAttempts < 5) return true;
    summary.failed += 1;
    deps.log.log('ERROR', 'content.restore_write_failed', { uid: summary.uid, path: error.documentRef.path, code: error.code });
    return false;
  });
  return writer;
}

/**
 * Copies the customer content of one account (every document below its non-reserved collections,
 * DESIGN §3) from a restored copy into the live database: same-path documents are overwritten with
 * the backup's, missing ones created, and nothing else is touched: not `accounts/{uid}` itself, not
 * its records (invoices, breaches, activity, apiKeys, recordRequests), not another account. Nothing
 * is deleted: content created since the backup stays. A dry run only reads and counts. A write
 * appends `content.restored` to the account's activity log (clause 1.1(a)) naming the staff member.
 * @throws AppError INVALID_ARGUMENT (bad uid or staff name), ACCOUNT_NOT_FOUND, ACCOUNT_TERMINATED.
 */
export async function restoreAccountContent(deps: Deps, source: CopySource, options: AccountRestoreOptions): Promise<AccountRestoreSummary> {
  const uid = targetUid.safeParse(options.uid);
  if (!uid.success) throw fromZodError(uid.error, 'account');
  const by = staffName.safeParse(options.by);
  if (!by.success) throw fromZodError(by.error, 'by');
  // A named copy lives in the live project; only the local scratch copy is another project's (default).
  if (source.db === deps.db || (source.database !== null && source.db.databaseId === deps.db.databaseId)) {
    throw new AppError('DATABASE_ID_INVALID', 'The copy to restore from is the live database itself.');
  }
  await restorableAccount(deps, uid.data);
  const summary: AccountRestoreSummary = { uid: uid.data, backupId: source.backupId, source: source.label, dryRun: !options.write, complete: false, failed: 0, collections: {}, ...emptyCounts() };
  const writer = options.write ? boundedWriter(deps, summary) : null;
  const from = accountParent(source.db, uid.data);
  let walked = false;
  try {
    for (const collectionId of await contentCollections(from)) {
      const counts = await copySubtree({
        source: from,
        live: deps.db,
        collectionId,
        pageSize: options.pageSize ?? RESTORE_PAGE_SIZE,
        writer,
        beforeWrite: async () => void (await restorableAccount(deps, uid.data)),
        onPage: options.onPage,
      });
      summary.collections[collectionId] = counts;
      for (const key of Object.keys(counts) as Array<keyof CollectionCounts>) summary[key] += counts[key];
    }
    walked = true;
  } finally {
    await writer?.close();
    summary.complete = walked && summary.failed === 0;
    if (writer) await finishWrite(deps, summary, by.data);
  }
  return summary;
}

/** Logs the restore and, once anything may have been written, records it on the account. */
async function finishWrite(deps: Deps, summary: AccountRestoreSummary, by: string): Promise<void> {
  const { uid, backupId, source, complete, failed, documents, created, overwritten, unchanged, collections } = summary;
  const details = { by, backupId, source, complete, failed, documents, created, overwritten, unchanged, collections };
  deps.log.log(complete ? 'WARNING' : 'ERROR', 'content.restored', { uid, ...details });
  await deps.db.runTransaction(async (tx) => {
    // Staff act here through the restore script, not a signed-in session: the actor has no uid, `by` names them.
    recordActivity(tx, deps.db, uid, deps.clock.now(), { actor: { uid: null, role: 'admin' }, action: 'content.restored', details });
  });
}
