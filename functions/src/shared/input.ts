import { z } from 'zod';
import { isSafeAddress } from './email';

/**
 * The input rules every function shares: how text is measured and bounded, what counts as
 * absent, which ids can be document ids. Each function's own schema composes these.
 */

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** Longest staff note or customer note, in characters. */
export const MAX_NOTE_CHARS = 2_000;

/**
 * Lengths are counted in Unicode code points, as people count characters: an emoji counts once
 * (it is two UTF-16 units). The same rule as API key labels.
 */
export function codePointLength(s: string): number {
  return [...s].length;
}

// C0/C1 controls (tab and newlines included), Unicode line/paragraph separators and the bidi
// embedding/override/isolate controls that can make text display as something it is not.
const LINE_BREAKING = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
// In multi-line text: C0/C1 controls except tab, LF and CR.
const NON_TEXT_CONTROLS = /(?![\t\n\r])\p{Cc}/u;
// A UTF-16 surrogate not part of a pair: not a character, and not storable as UTF-8.
const LONE_SURROGATE = /\p{Cs}/u;

// `2,000`, as toLocaleString('en-US') writes it, without it: ICU's first number format costs every
// function's cold start tens of milliseconds, and these messages are built at module load.
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function bounded(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    // Cheap first: a string longer than 2×max UTF-16 units has more than max code points.
    .refine((s) => s.length <= max || (s.length <= 2 * max && codePointLength(s) <= max), `must be at most ${grouped(max)} characters`)
    .refine((s) => !LONE_SURROGATE.test(s), 'must be valid Unicode text');
}

/** One line of text (a summary, a name, a reason): trimmed, 1–`max` characters, no control characters. */
export function singleLineText(max: number) {
  return bounded(max).refine((s) => !LINE_BREAKING.test(s), 'must be a single line without control characters');
}

/** Free text (a description, a note): trimmed, 1–`max` characters, line breaks and tabs allowed. */
export function multiLineText(max: number) {
  return bounded(max).refine((s) => !NON_TEXT_CONTROLS.test(s), 'must not contain control characters other than line breaks and tabs');
}

/** A reason shown to the customer: one line, trimmed, 1–`max` characters. */
export const reasonText = (max: number) => singleLineText(max);

/** A staff note: free text, trimmed, 1–2,000 characters. */
export const staffNote = multiLineText(MAX_NOTE_CHARS);

/** A contact address that can go into a mail header as it is. */
export const emailAddress = z
  .string()
  .trim()
  .refine(isSafeAddress, 'must be one plain email address, such as name@example.com');

/** An optional field: `null` counts as absent, as the Firebase SDKs send it. */
export const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/** The input of a function that takes no arguments: nothing, `null` or `{}`. */
export const noArguments = z.union([z.null(), z.undefined(), z.object({}).strict()]);

/**
 * The input of a function that takes no arguments, or only optional ones: `httpsCallable(fn)()`
 * sends `{"data": null}`, which counts as `{}`.
 */
export function argumentsOrNone<T extends z.ZodType>(schema: T) {
  // Typed by what clients may send (the schema's input, or nothing), which the typed client reads.
  return z.preprocess<unknown, T, z.input<T> | null | undefined>((v) => v ?? {}, schema);
}

// A document id: no '/', not '.' or '..', not the reserved `__…__`, and valid Unicode (a lone
// surrogate cannot be stored). Control characters are never in one.
const DOCUMENT_ID_UNSAFE = /[/\p{Cc}\p{Cs}]/u;

/** An id used as a Firestore document id (1–128 characters), named `what` in errors. */
export function documentId(what: string) {
  return z
    .string({ error: `must be a ${what} (a string)` })
    .min(1, 'must not be empty')
    .max(128, 'must be at most 128 characters')
    .refine((s) => !DOCUMENT_ID_UNSAFE.test(s) && s !== '.' && s !== '..' && !/^__.*__$/.test(s), `must be a ${what}`);
}

/** The target account of a staff action: a Firebase Auth uid (1–128 characters), as `accounts/{uid}`. */
export const targetUid = documentId('Firebase user id');
