import type { BulkWriter, DocumentData, DocumentReference, Firestore, QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { contentSubtree, pageAfter } from './descendants';
import { holdsWholeDouble, rebased, sameValue } from './restore-values';

/** What one first-level content collection (with its whole subtree) holds in the copy, against the live one. */
export interface CollectionCounts {
  documents: number;
  /** Not in the live database: created. */
  created: number;
  /** In the live database with other data: overwritten. */
  overwritten: number;
  /** Already as the backup has them: left alone. */
  unchanged: number;
  /** Holding a double with a whole value, which comes back as an integer (restore-values.ts). */
  wholeDoubles: number;
}

/** One page of the copy's subtree: how the collection's counts stand after it. */
export type PageProgress = (collectionId: string, counts: Readonly<CollectionCounts>) => void;

/** How a subtree is copied. */
export interface SubtreeCopy {
  readonly source: DocumentReference;
  readonly live: Firestore;
  readonly collectionId: string;
  readonly pageSize: number;
  /** Null for a dry run: compare and count only. */
  readonly writer: BulkWriter | null;
  /** Called before each page is written; throws to stop (the account was terminated meanwhile). */
  readonly beforeWrite: () => Promise<void>;
  readonly onPage?: PageProgress;
}

/** Counts of a collection not yet walked. */
export const emptyCounts = (): CollectionCounts => ({ documents: 0, created: 0, overwritten: 0, unchanged: 0, wholeDoubles: 0 });

/**
 * Compares one page of the copy with the live documents at the same paths and queues the writes
 * of those that differ. Only paths under the account's own collection are ever written.
 */
async function copyPage(job: SubtreeCopy, docs: QueryDocumentSnapshot[], counts: CollectionCounts): Promise<void> {
  const prefix = `${job.source.path}/${job.collectionId}/`;
  const targets = docs.map((d) => {
    if (!d.ref.path.startsWith(prefix)) throw new Error(`The copy answered ${d.ref.path} outside ${prefix}: nothing more is written.`);
    return job.live.doc(d.ref.path);
  });
  const current = await job.live.getAll(...targets);
  const writes: Array<[DocumentReference, DocumentData]> = [];
  docs.forEach((doc, i) => {
    const data = rebased(doc.data(), job.live);
    const now = current[i];
    counts.documents += 1;
    if (holdsWholeDouble(data)) counts.wholeDoubles += 1;
    if (!now?.exists) counts.created += 1;
    else if (sameValue(data, now.data())) {
      counts.unchanged += 1;
      return;
    } else counts.overwritten += 1;
    writes.push([targets[i] as DocumentReference, data]);
  });
  if (!job.writer || writes.length === 0) return;
  await job.beforeWrite();
  // A write that fails for good is reported by the writer's error handler; its promise must not go unhandled.
  for (const [ref, data] of writes) job.writer.set(ref, data).catch(() => undefined);
  await job.writer.flush();
}

/**
 * Copies `accounts/{uid}/{collectionId}` and everything below it from the copy to the live
 * database, a page at a time in key order (a document before its subcollections), each page
 * flushed before the next is read: memory stays bounded, and a run stopped half-way is resumed by
 * running again, which finds the pages already copied unchanged.
 */
export async function copySubtree(job: SubtreeCopy): Promise<CollectionCounts> {
  const subtree = contentSubtree(job.source, job.collectionId);
  const counts = emptyCounts();
  let after: DocumentReference | null = null;
  for (;;) {
    const page = await pageAfter(subtree, job.collectionId, after, job.pageSize).get();
    if (page.empty) break;
    await copyPage(job, page.docs, counts);
    job.onPage?.(job.collectionId, counts);
    after = page.docs[page.docs.length - 1]?.ref ?? null;
    if (page.size < job.pageSize) break;
  }
  return counts;
}
