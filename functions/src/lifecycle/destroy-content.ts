import type { DocumentReference } from 'firebase-admin/firestore';
import { RESERVED_SUBCOLLECTIONS } from '../accounts/model';
import { accountParent } from '../accounts/repository';
import { accountDescendants, type DescendantCursor } from '../content/descendants';
import type { Deps } from '../deps';

/** What a content destruction did. */
export interface Destruction {
  /** First-level content collections found (and emptied), sorted. */
  readonly collections: string[];
  /** Documents this call deleted (a resumed destruction counts only what was left). */
  readonly deleted: number;
  /** First-level record collections that hold documents (kept), sorted. */
  readonly records: string[];
}

/** Names per page of the walk: as many as `recursiveDelete` asks for at once. */
const PAGE = 5_000;

/** How {@link destroyContent} goes about it. */
export interface DestroyOptions {
  /** Settles when deleting may start (sign-in has ended); the first page is read meanwhile. */
  readonly ready?: Promise<unknown>;
  /** Names per page of the walk (tests step page boundaries with small ones). */
  readonly pageSize?: number;
}

const RESERVED: ReadonlySet<string> = new Set(RESERVED_SUBCOLLECTIONS);

/** The first-level collection of the account that `doc` lies under (`accounts/u/stores/s/products/p` → `stores`). */
function firstCollection(account: DocumentReference, doc: DocumentReference): string {
  const rest = doc.path.slice(account.path.length + 1);
  return rest.slice(0, rest.indexOf('/'));
}

/**
 * Destroys all customer content of `accounts/{uid}` (clause 3.2(a)(ii)): every document below a
 * first-level collection that is not in RESERVED_SUBCOLLECTIONS, at any depth, including documents
 * under ancestors that do not exist. The account document and its records (invoices, breaches,
 * activity, apiKeys, recordRequests) are not touched, nor is anything outside the account.
 * Idempotent: an interrupted call leaves less to do for the next.
 *
 * One walk of the account's descendants in key order, names only (the all-descendants query of
 * Firestore's `recursiveDelete`, one per page), deleting through one BulkWriter with its default
 * 500/50/5 ramp. No `listCollections`: content may sit under any name, and one walk finds it all
 * for the cost of the deletion's own query. A page that ends inside a record collection resumes
 * past that collection's whole subtree, so records cost at most one page each to step over.
 *
 * One pass is complete: the caller starts it after the account became `terminated`, and from then
 * on nothing writes content (the rules refuse the owner's writes unless the account is active, and
 * no function writes customer content), so nothing can appear behind the walk.
 * @throws when `options.ready` rejects (nothing is deleted), or a read or delete fails; the caller retries later.
 */
export async function destroyContent(deps: Deps, uid: string, options: DestroyOptions = {}): Promise<Destruction> {
  const { ready = Promise.resolve(), pageSize = PAGE } = options;
  const account = accountParent(deps.db, uid);
  const collections = new Set<string>();
  const records = new Set<string>();
  const pageFrom = (cursor: DescendantCursor) => accountDescendants(account, cursor).select().limit(pageSize).get();
  let [, page] = await Promise.all([ready, pageFrom(null)]);
  const writer = deps.db.bulkWriter();
  let deleted = 0;
  // The first delete that failed for good; the callbacks set it, so it lives in an object.
  const failed: { error?: Error } = {};
  const remove = (ref: DocumentReference): void => {
    void writer.delete(ref).then(
      () => {
        deleted += 1;
      },
      (error: unknown) => {
        // BulkWriter rejects with a BulkWriterError once its retries are spent.
        failed.error ??= error instanceof Error ? error : new Error(String(error));
      },
    );
  };
  // The deletes queued up to the page before: at most two pages are queued while the next is read.
  let previous: Promise<unknown> = Promise.resolve();
  try {
    for (;;) {
      let cursor: DescendantCursor = null;
      for (const doc of page.docs) {
        const top = firstCollection(account, doc.ref);
        if (RESERVED.has(top)) {
          records.add(top);
          cursor = { past: top };
        } else {
          collections.add(top);
          remove(doc.ref);
          cursor = { after: doc.ref };
        }
      }
      if (page.size < pageSize || cursor === null || failed.error) break;
      await previous;
      // Sends the page's last, partly filled batch too, and settles once all queued so far are done.
      previous = writer.flush();
      page = await pageFrom(cursor);
    }
  } finally {
    await writer.close();
  }
  if (failed.error) throw failed.error;
  return { collections: [...collections].sort(), deleted, records: [...records].sort() };
}
