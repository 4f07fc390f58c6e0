import type { DocumentData, DocumentReference, Timestamp, UpdateData, WithFieldValue, WriteBatch } from 'firebase-admin/firestore';

/**
 * Where a change's writes go: a transaction (which read what it changes), or a write batch whose
 * update of the document it was decided on holds only if that document is unchanged since it was
 * read (`preconditioned`). Either commits all of the change or none of it.
 */
export interface DocumentWrites {
  create<T extends DocumentData>(ref: DocumentReference<T>, data: WithFieldValue<T>): unknown;
  update<T extends DocumentData>(ref: DocumentReference<T>, data: UpdateData<T>): unknown;
}

/**
 * Writes into `batch` in which every update of `ref` carries `lastUpdateTime` as a precondition:
 * the batch commits only if `ref` was not written since it was read at that time, so a decision
 * made on that read is as safe as one made in a transaction, for one commit instead of three calls.
 */
export function preconditioned(batch: WriteBatch, ref: DocumentReference, lastUpdateTime: Timestamp): DocumentWrites {
  return {
    create: (target, data) => batch.create(target, data),
    update: (target, data) => (target.path === ref.path ? batch.update(target, data, { lastUpdateTime }) : batch.update(target, data)),
  };
}
