import type { CollectionReference, DocumentReference, Firestore, Query } from 'firebase-admin/firestore';
import { RESERVED_SUBCOLLECTIONS } from '../accounts/model';
import { documentIdPath } from '../shared/firestore-values';

/*
 * Customer content is every document below a non-reserved collection of `accounts/{uid}`, at any
 * depth and under any collection names (DESIGN §3). Walking it with `listCollections()` per
 * document costs one round trip per document: far too slow for 100k documents. Firestore can
 * instead answer a *kindless all-descendants* query: every document under a parent, whatever its
 * collection, in key order. `@google-cloud/firestore` builds exactly that query for its own
 * `recursiveDelete` (build/src/recursive-delete.js, `getAllDescendants`), but does not expose it:
 * the `kindless` flag lives in the internal `QueryOptions`. We build the same query here, in this
 * one module, from the query of a public `CollectionReference`:
 *   - its `_queryOptions` (parent `accounts/{uid}`) with `allDescendants` and `kindless` set, and
 *     `requireConsistency: false` as recursiveDelete does (pages are separate queries anyway);
 *   - a `__name__` range that keeps the documents of one first-level collection and its subtree,
 *     `<id>/<min key>` ≤ name < `<id>\0/<min key>`, the same bounds recursiveDelete uses;
 *   - or no range: the whole account in one walk (destruction), stepping over a record
 *     collection's subtree with the same upper bound.
 * Both the emulator and production answer it (recursiveDelete depends on it). A release of the
 * SDK that drops these internals fails the checks below loudly instead of exporting less; the
 * content tests (five levels deep, under collection names that differ) would catch a silent change.
 */

/** The smallest document id in Firestore's key order (recursive-delete.js `REFERENCE_NAME_MIN_ID`). */
const MIN_ID = '__id-9223372036854775808__';

/** The internal members we rely on, as far as we use them. */
interface InternalQuery {
  _queryOptions?: { with?: (settings: Record<string, unknown>) => { kindless?: unknown; allDescendants?: unknown } };
}

/** Firestore's `Query` class, taken from the prototype chain of a collection (CollectionReference extends Query). */
function queryClass(collection: CollectionReference): new (firestore: Firestore, options: unknown) => Query {
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(collection) as object) as { constructor: unknown } | null;
  if (typeof proto?.constructor !== 'function' || proto.constructor.name !== 'Query') {
    throw new Error('@google-cloud/firestore changed: CollectionReference no longer extends Query; content cannot be enumerated');
  }
  return proto.constructor as new (firestore: Firestore, options: unknown) => Query;
}

/** The kindless all-descendants query of `account`: every document below it, in key order. */
function kindlessUnder(account: DocumentReference, collectionId: string): Query {
  const collection = account.collection(collectionId);
  const options = (collection as unknown as InternalQuery)._queryOptions;
  if (typeof options?.with !== 'function') {
    throw new Error('@google-cloud/firestore changed: Query._queryOptions.with is gone; content cannot be enumerated');
  }
  const kindless = options.with({ allDescendants: true, kindless: true, requireConsistency: false });
  if (kindless.kindless !== true || kindless.allDescendants !== true) {
    throw new Error('@google-cloud/firestore changed: kindless all-descendants queries are no longer supported');
  }
  const Query = queryClass(collection);
  return new Query(account.firestore, kindless);
}

/**
 * Every document at any depth under `accounts/{uid}/{collectionId}` (the collection's own documents
 * and all their descendants), in Firestore key order: a document before its subcollections' documents.
 * Add `.limit()` and, for the next page, {@link pageAfter}.
 */
export function contentSubtree(account: DocumentReference, collectionId: string): Query {
  return kindlessUnder(account, collectionId).where(documentIdPath(), '<', `${collectionId}\0/${MIN_ID}`);
}

/** Where a walk of an account's descendants goes on: after a document, or past the whole subtree of a first-level collection. */
export type DescendantCursor = { readonly after: DocumentReference } | { readonly past: string } | null;

/**
 * Every document at any depth below `accounts/{uid}`, records and content alike, in key order,
 * from `cursor` on (from the first when null). A first-level collection and its whole subtree
 * lie before `<id>\0/<min key>`, so `{ past: id }` skips them in one step.
 */
export function accountDescendants(account: DocumentReference, cursor: DescendantCursor): Query {
  // The collection id only carries the parent: a kindless query names no collection.
  const all = kindlessUnder(account, account.parent.id);
  if (!cursor) return all;
  if ('after' in cursor) return all.where(documentIdPath(), '>', cursor.after);
  return all.where(documentIdPath(), '>=', `${cursor.past}\0/${MIN_ID}`);
}

/** The first page of `subtree` (no cursor yet), or the page after the document `after`. */
export function pageAfter(subtree: Query, collectionId: string, after: DocumentReference | null, limit: number): Query {
  const from = after ? subtree.where(documentIdPath(), '>', after) : subtree.where(documentIdPath(), '>=', `${collectionId}/${MIN_ID}`);
  return from.limit(limit);
}

const RESERVED: ReadonlySet<string> = new Set(RESERVED_SUBCOLLECTIONS);

/** Firestore orders ids by their UTF-8 bytes; JavaScript's default sort compares UTF-16 units. */
function byKeyOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The first-level collections of the account that hold customer content: all but the reserved
 * records (invoices, breaches, activity, apiKeys, recordRequests), in key order. Below the first
 * level those names are content like any other (`stores/s1/invoices` is the store's data).
 */
export async function contentCollections(account: DocumentReference): Promise<string[]> {
  const collections = await account.listCollections();
  return collections.map((c) => c.id).filter((id) => !RESERVED.has(id)).sort(byKeyOrder);
}
