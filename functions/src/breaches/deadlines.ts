import type { DocumentReference, DocumentSnapshot, Firestore, Transaction } from 'firebase-admin/firestore';
import type { Timestamp } from '../shared/firestore-values';

/**
 * The cure-period deadlines `processLifecycle` escalates from (clause 3.1(b)(i)): one document
 * `breachDeadlines/{uid}__{breachId}` per open breach, `{uid, breachId, cureBy}`.
 *
 * Why a collection of its own rather than a query over the breaches: the only query that finds
 * every account's breaches is a collection group over *every* collection named `breaches`, and a
 * customer may name their content collections as they like below the first level
 * (`accounts/<self>/orders/<anyone>/breaches/<id>` is content, DESIGN §3). Such a decoy, read as a
 * breach, names an account by its path and an address by its parent's fields, and enough of them
 * take a run's whole budget. This collection is top level, so no customer path can produce it,
 * and the rules close it (deny by default): only functions write it, in the same transaction as
 * the breach it points at (`adminRecordBreach` creates it, `adminResolveBreach` and the
 * escalation delete it). The sweep takes the account and the breach from these trusted fields,
 * never from a path, and re-reads `accounts/{uid}/breaches/{breachId}` before acting.
 * The query needs no composite index (one field, `cureBy`).
 */
export const BREACH_DEADLINES = 'breachDeadlines';

/** `breachDeadlines/{uid}__{breachId}` as stored. Written by functions only. */
export interface BreachDeadlineDoc {
  uid: string;
  breachId: string;
  /** The breach's `cureBy`: from then on an open breach is escalated. */
  cureBy: Timestamp;
}

/** The deadline document of breach `breachId` of account `uid`. */
export function breachDeadlineRef(db: Firestore, uid: string, breachId: string): DocumentReference {
  return db.collection(BREACH_DEADLINES).doc(`${uid}__${breachId}`);
}

/** Writes (or moves) the deadline of an open breach, in the transaction that writes the breach. */
export function setBreachDeadline(tx: Transaction, db: Firestore, uid: string, breachId: string, cureBy: Timestamp): void {
  const deadline: BreachDeadlineDoc = { uid, breachId, cureBy };
  tx.set(breachDeadlineRef(db, uid, breachId), deadline);
}

/** True for a value Firestore returns for a timestamp field. */
export function isTimestamp(value: unknown): value is Timestamp {
  return typeof value === 'object' && value !== null && typeof (value as Partial<Timestamp>).toMillis === 'function';
}

// What Firestore accepts as a document id, so a malformed record can never build a wrong path.
const DOC_ID = /^(?!\.\.?$)(?!__.*__$)[^/]{1,700}$/;

/**
 * The deadline a snapshot holds: null when absent, 'malformed' when its fields could not have
 * been written by `setBreachDeadline` for its own id (restored from elsewhere, edited by hand).
 */
export function readBreachDeadline(snap: DocumentSnapshot): BreachDeadlineDoc | null | 'malformed' {
  if (!snap.exists) return null;
  const { uid, breachId, cureBy } = snap.data() as Partial<Record<keyof BreachDeadlineDoc, unknown>>;
  if (typeof uid !== 'string' || typeof breachId !== 'string' || !DOC_ID.test(uid) || !DOC_ID.test(breachId) || !isTimestamp(cureBy)) return 'malformed';
  if (snap.id !== `${uid}__${breachId}`) return 'malformed';
  return { uid, breachId, cureBy };
}
