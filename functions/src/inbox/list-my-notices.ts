import type { Query } from 'firebase-admin/firestore';
import { z } from 'zod';
import { assertUsable } from '../accounts/load';
import { findAccount } from '../accounts/repository';
import type { Deps } from '../deps';
import { INBOX, type InboxDoc } from '../mail/inbox';
import { AppError } from '../shared/errors';
import { Timestamp, documentIdPath } from '../shared/firestore-values';
import { iso } from '../shared/time';
import type { SignedInCallableSpec } from '../spec';

/** One inbox entry as the app shows it. */
export interface NoticeEntryView {
  id: string;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

/** What `listMyNotices` returns. */
export interface NoticePage {
  notices: NoticeEntryView[];
  nextPageToken: string | null;
}

const input = z
  .object({
    pageSize: z.number().int().min(1).max(100).optional(),
    pageToken: z.string().min(1).max(200).optional(),
  })
  .strict()
  .nullish()
  .transform((v) => ({ pageSize: v?.pageSize ?? 20, pageToken: v?.pageToken }));

const cursor = z.tuple([z.number().int(), z.number().int().min(0).max(999_999_999), z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)]);

function encodeToken(at: Timestamp, id: string): string {
  return Buffer.from(JSON.stringify([at.seconds, at.nanoseconds, id])).toString('base64url');
}

function decodeToken(token: string): [Timestamp, string] {
  try {
    const [seconds, nanos, id] = cursor.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
    return [Timestamp.of(seconds, nanos), id];
  } catch {
    throw new AppError('BAD_PAGE_TOKEN', 'pageToken is not one this function issued; start again without it.');
  }
}

/** An inbox entry as the app shows it. */
export function toNoticeEntryView(id: string, doc: InboxDoc): NoticeEntryView {
  return { id, kind: doc.kind, title: doc.title, body: doc.body, createdAt: iso(doc.createdAt), readAt: iso(doc.readAt) };
}

/**
 * The caller's in-app notices, newest first, one page at a time: every notice the account was
 * sent, whether or not it could be mailed (clauses 2.1, 3.1). Refused, like every customer
 * function, for a suspended or ended account.
 */
export async function listMyNotices(deps: Deps, uid: string, page: { pageSize: number; pageToken?: string }): Promise<NoticePage> {
  // Index: inbox(uid, createdAt desc).
  let query: Query = deps.db.collection(INBOX).where('uid', '==', uid).orderBy('createdAt', 'desc').orderBy(documentIdPath(), 'desc');
  if (page.pageToken) query = query.startAfter(...decodeToken(page.pageToken));
  const [account, snap] = await Promise.all([findAccount(deps.db, uid), query.limit(page.pageSize + 1).get()]);
  if (account) assertUsable(account, deps.clock.now());
  const docs = snap.docs.slice(0, page.pageSize);
  const last = docs.at(-1);
  const more = snap.docs.length > page.pageSize && last !== undefined;
  return {
    notices: docs.map((d) => toNoticeEntryView(d.id, d.data() as InboxDoc)),
    nextPageToken: more ? encodeToken(last.get('createdAt') as Timestamp, last.id) : null,
  };
}

/** `listMyNotices({pageSize?, pageToken?})` → `{notices[], nextPageToken}`. */
export const listMyNoticesSpec: SignedInCallableSpec<z.output<typeof input>, NoticePage> = {
  auth: 'required',
  input,
  handler: (deps, page, { caller }) => listMyNotices(deps, caller.uid, page),
};
