import { createHash } from 'node:crypto';
import type { AccountDoc, Locale } from '../accounts/model';
import { accountsCollection } from '../accounts/repository';
import type { Deps } from '../deps';
import { workBudgetMs, type ScheduledHandler } from '../spec';
import { newMailDoc } from '../mail/outbox';
import { isSafeAddress } from '../shared/email';
import type { RenderedMail } from '../mail/templates/render';
import { serviceNoticeMail } from '../mail/templates/service-notice';
import { EXEMPTION_LABELS, NOTICE_KIND_LABELS, NOTICE_KIND_PHRASES } from './labels';
import { Timestamp, documentIdPath } from '../shared/firestore-values';
import type { FanoutDoc, FanoutRound, ServiceNoticeDoc } from './model';

/** gRPC status of a create whose document exists. */
const ALREADY_EXISTS = 6;

/** Bounds of one fan-out step. */
export interface FanoutLimits {
  /** Accounts read per page (one cursor save per page). */
  readonly pageSize: number;
  /** No new page starts after this many milliseconds. */
  readonly maxMs: number;
}

/** 500 accounts a page; 40 s a step (inside a request or one scheduled run). */
export const FANOUT_LIMITS: FanoutLimits = { pageSize: 500, maxMs: 40_000 };

/** How long a worker owns a fan-out between page saves. */
const LEASE_MS = 120_000;

/** The fan-out document id of one round of a notice. */
export function fanoutId(noticeId: string, round: FanoutRound): string {
  return `${noticeId}.${round}`;
}

/**
 * The outbox id of one account's copy of one round: derived, so writing a page again after a
 * crash finds the messages already there instead of queueing copies.
 */
export function noticeMailId(noticeId: string, round: FanoutRound, uid: string): string {
  return `notice-${createHash('sha256').update(`${noticeId}\n${round}\n${uid}`).digest('hex').slice(0, 40)}`;
}

/** What one fan-out step did. */
export interface FanoutProgress {
  readonly fanoutId: string;
  readonly state: 'running' | 'done' | 'busy' | 'missing';
  readonly queued: number;
  readonly skipped: number;
}

/** Takes the fan-out's lease; null when it is done, gone or owned by a live worker. */
async function lease(deps: Deps, id: string): Promise<{ fanout: FanoutDoc; notice: ServiceNoticeDoc } | FanoutProgress> {
  const ref = deps.db.collection('noticeFanouts').doc(id);
  return deps.db.runTransaction(async (tx) => {
    const fanout = (await tx.get(ref)).data() as FanoutDoc | undefined;
    if (!fanout) return { fanoutId: id, state: 'missing', queued: 0, skipped: 0 } as const;
    const notice = (await tx.get(deps.db.collection('serviceNotices').doc(fanout.noticeId))).data() as ServiceNoticeDoc | undefined;
    const now = deps.clock.now();
    if (fanout.state === 'done' || !notice) return { fanoutId: id, state: 'done', queued: fanout.queued, skipped: fanout.skipped } as const;
    if (fanout.leaseUntil && fanout.leaseUntil.toMillis() > now.getTime()) {
      return { fanoutId: id, state: 'busy', queued: fanout.queued, skipped: fanout.skipped } as const;
    }
    tx.update(ref, { leaseUntil: Timestamp.fromMillis(now.getTime() + LEASE_MS), updatedAt: Timestamp.fromDate(now) });
    return { fanout, notice };
  });
}

/**
 * Queues one round of a notice for every account that is not terminated (clause 2.1: "every
 * affected account"), in the account's language, page by page with bulk writes, until done or
 * out of time. Resumable: it continues after the last saved page; messages have derived ids,
 * so a page repeated after a crash queues nothing twice. Only one worker runs a fan-out at a time.
 */
export async function advanceFanout(deps: Deps, id: string, limits: Partial<FanoutLimits> = {}): Promise<FanoutProgress> {
  const o = { ...FANOUT_LIMITS, ...limits };
  const deadline = performance.now() + o.maxMs;
  const leased = await lease(deps, id);
  if ('state' in leased) return leased;
  const { notice } = leased;
  let { cursor, queued, skipped } = leased.fanout;
  const { noticeId, round } = leased.fanout;
  const ref = deps.db.collection('noticeFanouts').doc(id);
  const rendered = new Map<Locale, RenderedMail>();
  const mailFor = (locale: Locale): RenderedMail => {
    let mail = rendered.get(locale);
    if (!mail) {
      mail = serviceNoticeMail({
        locale,
        withdrawal: round === 'withdrawal',
        title: notice.title,
        body: notice.body,
        kindLabel: NOTICE_KIND_LABELS[locale][notice.kind],
        kindPhrase: NOTICE_KIND_PHRASES[locale][notice.kind],
        announcedAt: notice.announcedAt.toDate(),
        effectiveAt: notice.effectiveAt.toDate(),
        exemptionLabel: notice.exemption && EXEMPTION_LABELS[locale][notice.exemption],
        justification: notice.justification,
        withdrawalReason: notice.withdrawalReason,
        supportEmail: deps.config.SUPPORT_EMAIL,
      });
      rendered.set(locale, mail);
    }
    return mail;
  };

  // One writer for the whole step, so its ramp-up (Firestore's 500/50/5 rule for new traffic)
  // carries across pages; each page is flushed before its cursor is saved.
  const writer = deps.db.bulkWriter();
  // A message already there was queued by an earlier, interrupted pass over this page.
  writer.onWriteError((error) => Number(error.code) !== ALREADY_EXISTS && error.failedAttempts < 5);
  let done = false;
  // At least one page per step, however short the budget: every step makes progress.
  do {
    let query = accountsCollection(deps.db).orderBy(documentIdPath()).select('email', 'locale', 'status').limit(o.pageSize);
    if (cursor !== null) query = query.startAfter(cursor);
    const page = await query.get();
    const now = deps.clock.now();
    const writes: Array<Promise<unknown>> = [];
    let pageQueued = 0;
    for (const snap of page.docs) {
      const account = snap.data() as Pick<AccountDoc, 'email' | 'locale' | 'status'>;
      if (account.status === 'terminated' || !account.email || !isSafeAddress(account.email)) {
        skipped += 1;
        continue;
      }
      const mailId = noticeMailId(noticeId, round, snap.id);
      const doc = newMailDoc(mailId, now, { kind: `serviceNotice.${round}`, to: account.email, related: `serviceNotices/${noticeId}`, ...mailFor(account.locale === 'en' ? 'en' : 'zh-TW') });
      writes.push(
        writer.create(deps.db.collection('mail').doc(mailId), doc).then(
          () => (pageQueued += 1),
          (error: { code?: unknown }) => {
            if (error.code !== ALREADY_EXISTS) throw error;
          },
        ),
      );
    }
    await writer.flush();
    await Promise.all(writes);
    queued += pageQueued;
    const last = page.docs.at(-1);
    if (last) cursor = last.id;
    done = page.size < o.pageSize;
    const at = Timestamp.fromDate(deps.clock.now());
    await ref.update({
      cursor,
      queued,
      skipped,
      updatedAt: at,
      ...(done ? { state: 'done', finishedAt: at, leaseUntil: null } : { leaseUntil: Timestamp.fromMillis(deps.clock.now().getTime() + LEASE_MS) }),
    });
    deps.log.log('INFO', 'notice.fanout_page', { fanoutId: id, accounts: page.size, queued: pageQueued, done });
  } while (!done && performance.now() < deadline);
  await writer.close();
  if (!done) await ref.update({ leaseUntil: null });
  return { fanoutId: id, state: done ? 'done' : 'running', queued, skipped };
}

/** What a `sendServiceNotices` run returns. */
export interface FanoutSweep {
  readonly fanouts: FanoutProgress[];
}

/**
 * `sendServiceNotices` (scheduled every minute): continues every unfinished fan-out (a
 * notice to 100,000 accounts takes longer than the request that announced it, and a crashed
 * worker's lease runs out). Needs no composite index: one equality filter.
 */
export async function sendServiceNotices(deps: Deps, limits: Partial<FanoutLimits> = {}): Promise<FanoutSweep> {
  const started = performance.now();
  const maxMs = limits.maxMs ?? FANOUT_LIMITS.maxMs;
  const open = await deps.db.collection('noticeFanouts').where('state', '==', 'running').limit(20).get();
  const fanouts: FanoutProgress[] = [];
  for (const snap of open.docs) {
    const left = maxMs - (performance.now() - started);
    if (left <= 0) break;
    fanouts.push(await advanceFanout(deps, snap.id, { ...limits, maxMs: left }));
  }
  return { fanouts };
}

/** `sendServiceNotices`, as the scheduled function runs it (every minute). */
export const sendServiceNoticesSpec: ScheduledHandler<FanoutSweep> = (deps, context) =>
  // Half the timeout is kept for the page in flight; the lease lets the next run take over anyway.
  sendServiceNotices(deps, { maxMs: Math.min(FANOUT_LIMITS.maxMs, workBudgetMs(context, 1 / 2)) });
