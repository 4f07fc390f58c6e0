import type {
  CollectionReference,
  DocumentReference,
  Firestore,
  FirestoreDataConverter,
  QueryDocumentSnapshot,
  Transaction,
} from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { AppError } from '../shared/errors';
import { ACCOUNTS, RESERVED_SUBCOLLECTIONS, type AccountDoc } from './model';

/**
 * `accounts/{uid}` as `AccountDoc`. Only functions write these documents (the rules refuse
 * clients), always in this shape: provisioning creates them whole and every change is a patch of
 * the same fields, so reading them back needs no mapping, only the type.
 */
export const accountConverter: FirestoreDataConverter<AccountDoc> = {
  toFirestore: (account) => account,
  fromFirestore: (snap: QueryDocumentSnapshot) => snap.data() as AccountDoc,
};

/** Every account, typed: for the queries of the sweeps and fan-outs. */
export function accountsCollection(db: Firestore): CollectionReference<AccountDoc> {
  return db.collection(ACCOUNTS).withConverter(accountConverter);
}

/** `accounts/{uid}`, typed. */
export function accountRef(db: Firestore, uid: string): DocumentReference<AccountDoc> {
  return accountsCollection(db).doc(uid);
}

/**
 * `accounts/{uid}` as the parent of its subcollections, untyped: below it lie the records and the
 * customer's content, which may hold anything (DESIGN §3).
 */
export function accountParent(db: Firestore, uid: string): DocumentReference {
  return db.collection(ACCOUNTS).doc(uid);
}

/** A collection of the account's records (DESIGN §3): `accounts/{uid}/{name}`. */
export function recordsOf(db: Firestore, uid: string, name: (typeof RESERVED_SUBCOLLECTIONS)[number]): CollectionReference {
  return accountParent(db, uid).collection(name);
}

/**
 * The account, or undefined when there is none. Read in `tx` when given (before the
 * transaction's writes, as Firestore requires), else as of now.
 */
export async function findAccount(db: Firestore, uid: string, tx?: Transaction): Promise<AccountDoc | undefined> {
  const ref = accountRef(db, uid);
  return (tx ? await tx.get(ref) : await ref.get()).data();
}

/**
 * The account found by `findAccount`, for reads made in parallel with others: check it once they
 * have all settled, so no read is left running behind a refusal.
 * @throws AppError `ACCOUNT_NOT_FOUND` when there is none.
 */
export function found(account: AccountDoc | undefined, uid: string): AccountDoc {
  if (!account) throw new AppError('ACCOUNT_NOT_FOUND', `No account ${uid} exists.`, { uid });
  return account;
}

/**
 * The account, read in `tx` when given.
 * @throws AppError `ACCOUNT_NOT_FOUND` when it does not exist.
 */
export async function readAccount(db: Firestore, uid: string, tx?: Transaction): Promise<AccountDoc> {
  return found(await findAccount(db, uid, tx), uid);
}

/** The account a staff action is about, read in the action's transaction. */
export interface TargetAccount {
  readonly ref: DocumentReference<AccountDoc>;
  readonly account: AccountDoc;
}

/**
 * Reads `accounts/{uid}` for a staff action inside `tx`.
 * @throws AppError `ACCOUNT_NOT_FOUND` when it does not exist.
 */
export async function readTargetAccount(tx: Transaction, deps: Deps, uid: string): Promise<TargetAccount> {
  return { ref: accountRef(deps.db, uid), account: await readAccount(deps.db, uid, tx) };
}
