import type { CollectionReference } from 'firebase-admin/firestore';
import { RESERVED_SUBCOLLECTIONS } from '../accounts/model';
import { accountParent } from '../accounts/repository';
import type { Deps } from '../deps';

/** What a content destruction did. */
export interface Destruction {
  /** First-level content collections found (and emptied), sorted. */
  readonly collections: string[];
  /** Documents this call deleted (a resumed destruction counts only what was left). */
  readonly deleted: number;
}

/** The account's first-level subcollections, records and content alike. */
export function subcollectionsOf(deps: Deps, uid: string): Promise<CollectionReference[]> {
  return accountParent(deps.db, uid).listCollections();
}

/**
 * Destroys all customer content of `accounts/{uid}` (clause 3.2(a)(ii)): every subcollection that
 * is not in RESERVED_SUBCOLLECTIONS, at any depth, including documents under ancestors that do not
 * exist, with Firestore's bulk deletion (`recursiveDelete`: one all-descendants query per
 * collection, deletes through one BulkWriter with its default 500/50/5 ramp). The account document
 * and its records (invoices, breaches, activity, apiKeys, recordRequests) are not touched, nor is
 * anything outside the account. Idempotent: an interrupted call leaves less to do for the next.
 *
 * One pass is complete: the caller lists the collections after the account became `terminated`,
 * and from then on nothing writes content (the rules refuse the owner's writes unless the account
 * is active, and no function writes customer content), so nothing can appear behind the deletion.
 * @param listed the account's subcollections, listed after the account became terminated; listed here if absent.
 * @throws when deletes fail; the caller retries later.
 */
export async function destroyContent(deps: Deps, uid: string, listed?: readonly CollectionReference[]): Promise<Destruction> {
  const reserved: readonly string[] = RESERVED_SUBCOLLECTIONS;
  const content = (listed ?? (await subcollectionsOf(deps, uid))).filter((c) => !reserved.includes(c.id));
  let deleted = 0;
  if (content.length > 0) {
    const writer = deps.db.bulkWriter();
    writer.onWriteResult(() => {
      deleted += 1;
    });
    try {
      // One writer for the account: its rate limit is the account's, however many collections.
      await Promise.all(content.map((c) => deps.db.recursiveDelete(c, writer)));
    } finally {
      await writer.close();
    }
  }
  return { collections: content.map((c) => c.id).sort(), deleted };
}
