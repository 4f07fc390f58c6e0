import { z } from 'zod';
import { MAX_NOTE_CHARS, multiLineText, singleLineText } from '../incidents/schema';

/** Longest termination reason, in characters (clause 3.1 notices quote it). */
export const MAX_TERMINATION_REASON_CHARS = 500;

/** Longest suspension reason, in characters. */
export const MAX_SUSPENSION_REASON_CHARS = 200;

/** Longest breach description, in characters. */
export const MAX_BREACH_DESCRIPTION_CHARS = 2_000;

// A uid is used as a Firestore document id: no '/', not '.' or '..', not the reserved `__…__`,
// and valid Unicode (a lone surrogate cannot be stored). Control characters are never in a uid.
const DOCUMENT_ID_UNSAFE = /[/\p{Cc}\p{Cs}]/u;

function documentId(what: string) {
  return z
    .string({ error: `must be a ${what} (a string)` })
    .min(1, 'must not be empty')
    .max(128, 'must be at most 128 characters')
    .refine((s) => !DOCUMENT_ID_UNSAFE.test(s) && s !== '.' && s !== '..' && !/^__.*__$/.test(s), `must be a ${what}`);
}

/** The target account of a staff action: a Firebase Auth uid (1–128 characters), as `accounts/{uid}`. */
export const targetUid = documentId('Firebase user id');

/** A breach id as `adminRecordBreach` returned it. */
export const breachId = documentId('breach id');

/** A reason shown to the customer: one line, trimmed, 1–`max` characters. */
export const reasonText = (max: number) => singleLineText(max);

/** A staff note: free text, trimmed, 1–2,000 characters. */
export const staffNote = multiLineText(MAX_NOTE_CHARS);

/** A breach description: free text, trimmed, 1–2,000 characters. */
export const breachDescription = multiLineText(MAX_BREACH_DESCRIPTION_CHARS);

/** An optional field: `null` counts as absent, as the Firebase SDKs send it. */
export const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/**
 * The input of a function that takes no arguments, or only optional ones: `httpsCallable(fn)()`
 * sends `{"data": null}`, which counts as `{}`.
 */
export function argumentsOrNone<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => v ?? {}, schema);
}
