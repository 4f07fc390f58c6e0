import { z } from 'zod';
import { AppError } from './errors';
import { Timestamp } from './firestore-values';

/**
 * Paging newest first through documents ordered by a timestamp and then their id (the activity
 * log, the inbox): the input every such list takes and its opaque page token, which carries the
 * last entry's time and id and is checked on the way back in.
 */

/** `{pageSize?, pageToken?}` (or nothing): 20 entries a page by default, at most 100. */
export const timePageInput = z
  .object({
    pageSize: z.number().int().min(1).max(100).optional(),
    pageToken: z.string().min(1).max(200).optional(),
  })
  .strict()
  .nullish()
  .transform((v) => ({ pageSize: v?.pageSize ?? 20, pageToken: v?.pageToken }));

/** The token that continues after the entry at `at` with document id `id`. */
export function encodeTimePageToken(at: Timestamp, id: string): string {
  return Buffer.from(JSON.stringify([at.seconds, at.nanoseconds, id])).toString('base64url');
}

/**
 * The entry a token continues after, for `startAfter`.
 * @param idPattern the document ids the list can hold.
 * @throws AppError `BAD_PAGE_TOKEN` for a token this list did not issue.
 */
export function decodeTimePageToken(token: string, idPattern: RegExp): [Timestamp, string] {
  const cursor = z.tuple([z.number().int(), z.number().int().min(0).max(999_999_999), z.string().regex(idPattern)]);
  try {
    const [seconds, nanos, id] = cursor.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return [Timestamp.of(seconds, nanos), id];
  } catch {
    throw new AppError('BAD_PAGE_TOKEN', 'pageToken is not one this function issued; start again without it.');
  }
}
