import type { DocumentData, Firestore } from 'firebase-admin/firestore';

/*
 * Document data on its way from a restored copy to the live database. The copy is read with
 * integers as BigInt (backups/copy-source.ts), so a whole number held as an integer stays one,
 * however large. The SDK writes every whole JavaScript number as an integer: a double with a
 * whole value (10.0, as some mobile SDKs store it) comes back as the integer 10, equal in every
 * query and ordering. Such documents are counted so the operator is told.
 */

// Recognised by shape, as in encode.ts: firebase-admin may load its own copy of the SDK.
const isReference = (v: object): v is { path: string } =>
  typeof (v as { path?: unknown }).path === 'string' && typeof (v as { collection?: unknown }).collection === 'function' && 'firestore' in v;
const hasIsEqual = (v: object): v is { isEqual(other: unknown): boolean } => typeof (v as { isEqual?: unknown }).isEqual === 'function';
const isPlainMap = (v: object): boolean => Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null;

/** Whether `value` holds a double with a whole value (read with integers as BigInt, only doubles are numbers). */
export function holdsWholeDouble(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return false;
  if (Array.isArray(value)) return value.some(holdsWholeDouble);
  return isPlainMap(value) && Object.values(value).some(holdsWholeDouble);
}

/**
 * `value` with every document reference pointed at `target`: a reference read from the copy names
 * the copy's database, and would lead there from the live one.
 */
export function rebased<T>(value: T, target: Firestore): T {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => rebased(v, target)) as T;
  if (isReference(value)) return target.doc(value.path) as T;
  if (!isPlainMap(value)) return value;
  const out: DocumentData = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[key] = rebased(v, target);
  return out as T;
}

function sameNumber(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  const [big, num] = (typeof a === 'bigint' ? [a, b] : [b, a]) as [bigint, number];
  // The live side is read without BigInt: beyond 2^53 its number may be rounded, so it is no proof.
  return Number.isSafeInteger(num) && BigInt(num) === big;
}

/**
 * Whether two Firestore values are the same value of the same type (a document read from the copy,
 * rebased, against the live one): timestamps to the nanosecond, bytes byte by byte, maps key by key.
 * When unsure it says no, and the document is written again.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  const numeric = (v: unknown): v is number | bigint => typeof v === 'number' || typeof v === 'bigint';
  if (numeric(a) || numeric(b)) return numeric(a) && numeric(b) && sameNumber(a, b);
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  if (!isPlainMap(a) || !isPlainMap(b)) return a.constructor === b.constructor && hasIsEqual(a) && a.isEqual(b);
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && sameValue((a as DocumentData)[k], (b as DocumentData)[k]));
}
