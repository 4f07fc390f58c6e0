import type { Firestore, Transaction } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { taipeiYear } from '../shared/taipei';

/** Prefixes of the references people quote to support: incidents and record requests. */
export type ReferencePrefix = 'INC' | 'REC';

const DIGITS = 6;
const MAX_SEQUENCE = 10 ** DIGITS - 1;

/** `INC-2026-000123`: prefix, Taipei year, six-digit sequence. */
export function referencePattern(prefix: ReferencePrefix): RegExp {
  return new RegExp(`^${prefix}-\\d{4}-\\d{${DIGITS}}$`);
}

/** `counters/{id}`: the last sequence number handed out for one prefix and year. */
export interface CounterDoc {
  last: number;
}

/** A reference read in a transaction, and the write that claims it. */
export interface AllocatedReference {
  readonly reference: string;
  /** Stores the new counter value; run it in the transaction's write phase. */
  readonly commit: () => void;
}

/** Where the documents named by each prefix's references live. */
const COLLECTIONS: Record<ReferencePrefix, string> = { INC: 'incidents', REC: 'recordRequests' };

const format = (prefix: ReferencePrefix, year: number, sequence: number) => `${prefix}-${year}-${String(sequence).padStart(DIGITS, '0')}`;

/**
 * The highest sequence number of `prefix` references of `year` among the stored documents, read
 * in `tx` (references are fixed-width, so their order is number order), or 0 when there is none.
 * Ordered by the `reference` field each document carries (equal to its id), not by the id itself:
 * inside a transaction Firestore refuses a descending scan of document keys.
 */
async function highestStored(tx: Transaction, db: Firestore, prefix: ReferencePrefix, year: number): Promise<number> {
  const query = db
    .collection(COLLECTIONS[prefix])
    .where('reference', '>=', format(prefix, year, 0))
    .where('reference', '<=', format(prefix, year, MAX_SEQUENCE))
    .orderBy('reference', 'desc')
    .limit(1);
  const [last] = (await tx.get(query)).docs;
  return last ? Number(last.id.slice(-DIGITS)) : 0;
}

/**
 * Allocates the next reference of the year (in Taipei) inside the caller's transaction. The year
 * counter is read and written in the same transaction that creates the referenced document, so
 * concurrent allocations serialise on it and no two commits can get the same number; a
 * transaction that fails leaves no gap either. Call it before the transaction's writes.
 *
 * The counter can be behind the documents it numbers: a backup restored in place brings back an
 * older counter but keeps the documents created since. So the candidate document is read too; when
 * it already exists, the counter moves past the highest stored reference of the year (one ordered
 * query), instead of every later report failing with ALREADY_EXISTS. Both reads are part of the
 * transaction, so a concurrent creation of the same number still aborts and retries this one.
 * @throws Error past 999,999 references in one year, which the rate limits make unreachable.
 */
export async function allocateReference(tx: Transaction, db: Firestore, prefix: ReferencePrefix, at: Date): Promise<AllocatedReference> {
  const year = taipeiYear(at);
  const ref = db.collection('counters').doc(`${prefix}-${year}`);
  const documents = db.collection(COLLECTIONS[prefix]);
  const stored = (await tx.get(ref)).data() as CounterDoc | undefined;
  let next = (stored?.last ?? 0) + 1;
  if (next <= MAX_SEQUENCE && (await tx.get(documents.doc(format(prefix, year, next)))).exists) {
    next = Math.max(next, (await highestStored(tx, db, prefix, year)) + 1);
    if (next <= MAX_SEQUENCE) await tx.get(documents.doc(format(prefix, year, next)));
  }
  if (next > MAX_SEQUENCE) throw new Error(`${prefix} references for ${year} are exhausted`);
  return {
    reference: format(prefix, year, next),
    commit: () => tx.set(ref, { last: next } satisfies CounterDoc),
  };
}

// Tails of the per-prefix queues of this process (see runAllocatingTransaction).
const queues = new Map<string, Promise<void>>();

/** Runs `fn` once every earlier call with the same `key` in this process has settled. */
export function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(key) ?? Promise.resolve()).then(fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

/** Attempts per transaction that allocates a reference: contention on the counter aborts some. */
export const ALLOCATING_TRANSACTION_ATTEMPTS = 10;

/**
 * Runs a transaction that allocates a `prefix` reference. Every such transaction reads and writes
 * the same year counter, so concurrent ones conflict: Firestore aborts and retries the losers,
 * and under a burst (50 reports at once) the retries pile up until some give up. Within one
 * instance they are therefore queued and run one at a time (tens of milliseconds each); only
 * transactions from other instances still contend, which the extra attempts absorb.
 */
export function runAllocatingTransaction<T>(deps: Deps, prefix: ReferencePrefix, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return serialized(`reference:${prefix}`, () => deps.db.runTransaction(fn, { maxAttempts: ALLOCATING_TRANSACTION_ATTEMPTS }));
}
