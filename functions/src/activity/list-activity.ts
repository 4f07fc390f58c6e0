import type { Query } from 'firebase-admin/firestore';
import { Timestamp, documentIdPath } from '../shared/firestore-values';
import { z } from 'zod';
import { assertUsable } from '../accounts/load';
import { findAccount, recordsOf } from '../accounts/repository';
import type { Deps } from '../deps';
import { iso } from '../shared/time';
import { decodeTimePageToken, encodeTimePageToken, timePageInput } from '../shared/time-page';
import type { SignedInCallableSpec } from '../spec';

/** One activity entry as clients see it. */
export interface ActivityView {
  id: string;
  at: string;
  actor: { uid: string | null; role: string };
  action: string;
  details: Record<string, unknown>;
}

const input = timePageInput;

/**
 * The owner's activity log, newest first, one page at a time (clause 1.1(a)). Like every customer
 * function, refused once the account is suspended or its rights have ended (DESIGN §5), from the
 * termination date on (clause 3.2(a)(i)). A user with no account document yet has no log and is
 * not refused (nothing is provisioned here).
 */
export async function listActivity(
  deps: Deps,
  uid: string,
  page: { pageSize: number; pageToken?: string },
): Promise<{ entries: ActivityView[]; nextPageToken: string | null }> {
  let query: Query = recordsOf(deps.db, uid, 'activity').orderBy('at', 'desc').orderBy(documentIdPath(), 'desc');
  if (page.pageToken) query = query.startAfter(...decodeTimePageToken(page.pageToken, /^[A-Za-z0-9]{1,64}$/));
  const [account, snap] = await Promise.all([findAccount(deps.db, uid), query.limit(page.pageSize + 1).get()]);
  if (account) assertUsable(account, deps.clock.now());
  const docs = snap.docs.slice(0, page.pageSize);
  const entries = docs.map((d) => {
    const data = d.data() as { at: Timestamp; actor: ActivityView['actor']; action: string; details?: Record<string, unknown> };
    return { id: d.id, at: iso(data.at), actor: data.actor, action: data.action, details: data.details ?? {} };
  });
  const last = docs.at(-1);
  const more = snap.docs.length > page.pageSize && last !== undefined;
  return { entries, nextPageToken: more ? encodeTimePageToken(last.get('at') as Timestamp, last.id) : null };
}

/** `listActivity({pageSize?, pageToken?})` → `{entries[], nextPageToken}`. */
export const listActivitySpec: SignedInCallableSpec<z.output<typeof input>, Awaited<ReturnType<typeof listActivity>>, z.input<typeof input>> = {
  auth: 'required',
  input,
  handler: (deps, page, { caller }) => listActivity(deps, (caller).uid, page),
};
