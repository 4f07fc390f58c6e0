import type { Timestamp } from 'firebase-admin/firestore';
import type { Locale } from '../shared/locale';

/**
 * Staff-written text of a notice: one string read in both languages, or one text per language
 * (`{"zh-TW": …, "en": …}`, both required).
 */
export type LocalizedText = string | Readonly<Record<Locale, string>>;

/** The text of `text` for a reader of `locale`. */
export function textIn(text: LocalizedText, locale: Locale): string {
  return typeof text === 'string' ? text : text[locale];
}

/** What a service notice announces (clauses 2.1, 2.2). */
export const NOTICE_KINDS = ['change', 'discontinuation', 'sla'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The three cases in which clause 2.1 allows less than a month's notice: (a), (b), (c). */
export const EXEMPTIONS = ['security-or-ip', 'force-majeure', 'legal'] as const;
export type Exemption = (typeof EXEMPTIONS)[number];

/** `serviceNotices/{noticeId}`: public (firestore.rules), so nothing here names staff or accounts. */
export interface ServiceNoticeDoc {
  title: LocalizedText;
  body: LocalizedText;
  kind: NoticeKind;
  effectiveAt: Timestamp;
  announcedAt: Timestamp;
  /** Whole Taipei calendar days between announcement and effect. */
  noticeDays: number;
  exemption: Exemption | null;
  justification: string | null;
  status: 'announced' | 'withdrawn';
  withdrawnAt: Timestamp | null;
  withdrawalReason: string | null;
}

/** Which mailing of a notice a fan-out sends. */
export type FanoutRound = 'announcement' | 'withdrawal';

/**
 * `noticeFanouts/{noticeId}.{round}` (closed to clients): the progress of mailing one notice to
 * every account, page by page in account-id order, so an interrupted fan-out resumes after the
 * last finished page. Messages have ids derived from notice, round and account, so a page
 * written twice (a crash before its cursor was saved) never queues a message twice.
 */
export interface FanoutDoc {
  noticeId: string;
  round: FanoutRound;
  state: 'running' | 'done';
  /** The last account id whose page is fully queued; null before the first page. */
  cursor: string | null;
  /** Accounts expected when it started (not terminated then). */
  expected: number;
  /** Mails queued. */
  queued: number;
  /** Accounts that got no mail: terminated, or no address we can mail. */
  skipped: number;
  /** Inbox entries written (every account not terminated); absent on fan-outs from before the inbox. */
  posted?: number;
  startedAt: Timestamp;
  updatedAt: Timestamp;
  finishedAt: Timestamp | null;
  /** While set in the future, one worker owns the fan-out; others leave it. */
  leaseUntil: Timestamp | null;
}

/** `auditLog/{id}` (closed): staff actions that concern no single account. */
export interface AuditDoc {
  at: Timestamp;
  actor: { uid: string | null; role: string };
  action: string;
  details: Record<string, unknown>;
}
