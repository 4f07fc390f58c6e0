import { z } from 'zod';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import { iso } from '../shared/time';
import type { LocalizedText, ServiceNoticeDoc } from './model';
import type { CallableSpec } from '../spec';
import { DAY_MS, noArguments } from '../shared/input';

/**
 * A service notice as the app shows it. `title` and `body` are as staff wrote them: a string, or
 * `{"zh-TW": …, "en": …}` for the app to pick its language from.
 */
export interface NoticeView {
  noticeId: string;
  title: LocalizedText;
  body: LocalizedText;
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


/**
 * Upcoming notices and those that took effect within the last 90 days, newest announcement
 * first (clauses 2.1, 2.2); withdrawn ones stay listed, marked so. Reads Firestore every time:
 * callers go through `listServiceNotices`, which caches.
 */
export async function queryServiceNotices(deps: Deps): Promise<{ notices: NoticeView[] }> {
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

interface CachedList {
  /** deps.clock time of the query, in ms. */
  readonly at: number;
  readonly list: Promise<{ notices: NoticeView[] }>;
}

// One cached answer per Deps (one per instance in production): nothing a caller sends is part of
// the key, so no request can force a fresh query.
const cache = new WeakMap<Deps, CachedList>();

/**
 * The public notice list, served from this instance's memory for NOTICES_CACHE_SECONDS after
 * each query. The function is anonymous and one query reads up to 500 documents: uncached, every
 * call would cost us 500 reads (a read amplifier for anyone with a loop). Cached, a flood costs
 * one query per instance per window; calls that arrive while the query runs share it, and a
 * failed query is not kept. Rate-limiting per IP instead would itself cost a Firestore
 * transaction per call. A notice announced or withdrawn elsewhere shows within the window (it is
 * effective a month later, or days later under an exemption); this instance's own announcements
 * show at once (`forgetServiceNotices`).
 */
export function listServiceNotices(deps: Deps): Promise<{ notices: NoticeView[] }> {
  const now = deps.clock.now().getTime();
  const cached = cache.get(deps);
  if (cached && now >= cached.at && now - cached.at < deps.config.NOTICES_CACHE_SECONDS * 1000) return cached.list;
  const list = queryServiceNotices(deps);
  const entry = { at: now, list };
  cache.set(deps, entry);
  list.catch(() => {
    if (cache.get(deps) === entry) cache.delete(deps);
  });
  return list;
}

/** Drops this instance's cached list, after staff announced or withdrew a notice through it. */
export function forgetServiceNotices(deps: Deps): void {
  cache.delete(deps);
}

/** `listServiceNotices()` → `{notices[]}`; no sign-in needed (the notices are public). */
export const listServiceNoticesSpec: CallableSpec<null, { notices: NoticeView[] }, z.input<typeof noArguments>> = {
  auth: 'none',
  input: noArguments.transform(() => null),
  handler: (deps) => listServiceNotices(deps),
};
