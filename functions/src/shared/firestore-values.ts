import type * as firestore from 'firebase-admin/firestore';

/* eslint-disable @typescript-eslint/no-require-imports --
   Loading firebase-admin/firestore pulls in gRPC and costs ~150 ms. A module that only needs
   Timestamp or FieldPath values must not make every function's cold start pay that (health,
   securityTxt and the blocking functions never touch those values): they load on first use.
   Kept once loaded: `require` resolves its path again on every call (file-system lookups), which
   cost a fan-out to 10,000 accounts about a third of a second in creating timestamps. */
let loaded: typeof firestore | undefined;
function load(): typeof firestore {
  return (loaded ??= require('firebase-admin/firestore') as typeof firestore);
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** Firestore's Timestamp type. */
export type Timestamp = firestore.Timestamp;

/** Timestamp constructors, loaded on first use. */
export const Timestamp = {
  fromDate: (at: Date): Timestamp => load().Timestamp.fromDate(at),
  fromMillis: (ms: number): Timestamp => load().Timestamp.fromMillis(ms),
  of: (seconds: number, nanoseconds: number): Timestamp => new (load().Timestamp)(seconds, nanoseconds),
};

/** `FieldPath.documentId()`, loaded on first use. */
export function documentIdPath(): firestore.FieldPath {
  return load().FieldPath.documentId();
}
