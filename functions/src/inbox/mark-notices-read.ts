import { z } from 'zod';
import { assertUsable } from '../accounts/load';
import { findAccount } from '../accounts/repository';
import type { Deps } from '../deps';
import { INBOX, type InboxDoc } from '../mail/inbox';
import { Timestamp } from '../shared/firestore-values';
import { documentId } from '../shared/input';
import type { SignedInCallableSpec } from '../spec';

/** Most ids one call may mark: a page of `listMyNotices` at its largest. */
export const MAX_MARK_IDS = 100;

const input = z
  .object({ ids: z.array(documentId('notice id')).min(1, 'must name at least one notice').max(MAX_MARK_IDS, `must name at most ${MAX_MARK_IDS} notices`) })
  .strict();

/** What `markNoticesRead` returns: how many of the ids were newly marked. */
export interface MarkedRead {
  marked: number;
}

/**
 * Marks the caller's own notices read, in one transaction. Ids of entries that do not exist or
 * belong to another account are passed over exactly as unknown ones (so nothing says whether
 * they exist); an entry read before keeps its first `readAt`, so a retry changes nothing.
 */
export async function markNoticesRead(deps: Deps, uid: string, ids: readonly string[]): Promise<MarkedRead> {
  const account = await findAccount(deps.db, uid);
  if (account) assertUsable(account, deps.clock.now());
  const refs = [...new Set(ids)].map((id) => deps.db.collection(INBOX).doc(id));
  return deps.db.runTransaction(async (tx) => {
    const snaps = await tx.getAll(...refs);
    const now = Timestamp.fromDate(deps.clock.now());
    let marked = 0;
    for (const snap of snaps) {
      const doc = snap.data() as InboxDoc | undefined;
      if (doc?.uid !== uid || doc.readAt !== null) continue;
      tx.update(snap.ref, { readAt: now });
      marked += 1;
    }
    return { marked };
  });
}

/** `markNoticesRead({ids})` → `{marked}`: only the caller's own, at most 100 ids. */
export const markNoticesReadSpec: SignedInCallableSpec<z.output<typeof input>, MarkedRead, z.input<typeof input>> = {
  auth: 'required',
  input,
  handler: (deps, { ids }, { caller }) => markNoticesRead(deps, caller.uid, ids),
};
