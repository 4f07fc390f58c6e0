import { z } from 'zod';
import type { Deps } from '../deps';
import type { CallableSpec } from '../http/callable';
import { Timestamp } from '../shared/firestore-values';
import { iso } from '../shared/time';
import type { ServiceNoticeDoc } from './model';

/** A service notice as the app shows it. */
export interface NoticeView {
  noticeId: string;
  title: string;
  body: string;
  kind: string;
  announcedAt: string;
  effectiveAt: string;
  noticeDays: number;
  exemption: string | null;
  justification: string | null;
  status: string;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
}

/** Notices that took effect longer ago than this are no longer listed. */
export const RECENT_DAYS = 90;

const DAY_MS = 86_400_000;

/**
 * Upcoming notices and those that took effect within the last 90 days, newest announcement
 * first (clauses 2.1, 2.2); withdrawn ones stay listed, marked so.
 */
export async function listServiceNotices(deps: Deps): Promise<{ notices: NoticeView[] }> {
  const since = Timestamp.fromMillis(deps.clock.now().getTime() - RECENT_DAYS * DAY_MS);
  const snap = await deps.db.collection('serviceNotices').where('effectiveAt', '>=', since).orderBy('effectiveAt').limit(500).get();
  const notices = snap.docs.map((d) => {
    const n = d.data() as ServiceNoticeDoc;
    return {
      noticeId: d.id,
      title: n.title,
      body: n.body,
      kind: n.kind,
      announcedAt: iso(n.announcedAt),
      effectiveAt: iso(n.effectiveAt),
      noticeDays: n.noticeDays,
      exemption: n.exemption,
      justification: n.justification,
      status: n.status,
      withdrawnAt: iso(n.withdrawnAt),
      withdrawalReason: n.withdrawalReason,
    };
  });
  notices.sort((a, b) => b.announcedAt.localeCompare(a.announcedAt) || a.noticeId.localeCompare(b.noticeId));
  return { notices };
}

/** `listServiceNotices()` → `{notices[]}`; no sign-in needed (the notices are public). */
export const listServiceNoticesSpec: CallableSpec<null, { notices: NoticeView[] }> = {
  auth: 'none',
  input: z.union([z.null(), z.undefined(), z.object({}).strict()]).transform(() => null),
  handler: (deps) => listServiceNotices(deps),
};
