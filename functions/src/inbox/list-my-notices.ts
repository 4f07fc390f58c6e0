import type { Query } from 'firebase-admin/firestore';
import { z } from 'zod';
import { assertUsable } from '../accounts/load';
import { findAccount } from '../accounts/repository';
import type { Deps } from '../deps';
import { INBOX, type InboxDoc } from '../mail/inbox';
import { Timestamp, documentIdPath } from '../shared/firestore-values';
import { iso } from '../shared/time';
import { decodeTimePageToken, encodeTimePageToken, timePageInput } from '../shared/time-page';
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

const input = timePageInput;

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
  if (page.pageToken) query = query.startAfter(...decodeTimePageToken(page.pageToken, /^[A-Za-z0-9_-]{1,64}$/));
  const [account, snap] = await Promise.all([findAccount(deps.db, uid), query.limit(page.pageSize + 1).get()]);
  if (account) assertUsable(account, deps.clock.now());
  const docs = snap.docs.slice(0, page.pageSize);
  const last = docs.at(-1);
  const more = snap.docs.length > page.pageSize && last !== undefined;
  return {
    notices: docs.map((d) => toNoticeEntryView(d.id, d.data() as InboxDoc)),
    nextPageToken: more ? encodeTimePageToken(last.get('createdAt') as Timestamp, last.id) : null,
  };
}

/** `listMyNotices({pageSize?, pageToken?})` → `{notices[], nextPageToken}`. */
export const listMyNoticesSpec: SignedInCallableSpec<z.output<typeof input>, NoticePage, z.input<typeof input>> = {
  auth: 'required',
  input,
  handler: (deps, page, { caller }) => listMyNotices(deps, caller.uid, page),
};
