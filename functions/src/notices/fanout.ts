import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DocumentReference, QueryDocumentSnapshot } from 'firebase-admin/firestore';
import type { AccountDoc, Locale } from '../accounts/model';
import { accountsCollection } from '../accounts/repository';
import type { Deps } from '../deps';
import { workBudgetMs, type ScheduledHandler } from '../spec';
import { newMailDoc } from '../mail/outbox';
import { INBOX, newInboxDoc } from '../mail/inbox';
import { ownerAddress } from '../mail/mail-owner';
import type { RenderedMail } from '../mail/templates/render';
import { serviceNoticeMail } from '../mail/templates/service-notice';
import { EXEMPTION_LABELS, NOTICE_KIND_LABELS, NOTICE_KIND_PHRASES } from './labels';
import { Timestamp, documentIdPath } from '../shared/firestore-values';
import { textIn, type FanoutDoc, type FanoutRound, type ServiceNoticeDoc } from './model';

/** gRPC status of a create whose document exists. */
const ALREADY_EXISTS = 6;

/**
 * gRPC statuses after which the same write can succeed: the database was busy or the answer was
 * lost (DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNAVAILABLE). Repeating a create
 * is safe: one that did land meanwhile answers ALREADY_EXISTS. Any other refusal (permission, a bad
 * document) fails the step at once rather than after the retries' backoff.
 */
const TRANSIENT = new Set([4, 8, 10, 13, 14]);

/** Tries of one write before the step fails. */
const WRITE_ATTEMPTS = 5;

/** Bounds of one fan-out step. */
export interface FanoutLimits {
  /** Accounts read per page (one write flush per page; a cursor save, at most one a second, covers every page written since the last). */
  readonly pageSize: number;
  /** No new page starts after this many milliseconds. */
  readonly maxMs: number;
  /**
   * BulkWriter's ramp-up: 500 writes/s at first, 50 % more every 5 minutes (Firestore's 500/50/5
   * rule for new traffic). Off only where nothing else shares the database (the emulator bench).
   */
  readonly rampUp: boolean;
}

/** 500 accounts a page; 40 s a step (inside a request or one scheduled run); ramp-up on. */
export const FANOUT_LIMITS: FanoutLimits = { pageSize: 500, maxMs: 40_000, rampUp: true };

/**
 * Pages queued at once. With two (the page written and the next), the writer kept running dry
 * between pages; with four, 10,000 accounts took about a sixth less time (bench/notices.mjs).
 */
const PAGES_IN_FLIGHT = 4;

/** How long a worker owns a fan-out between page saves. */
const LEASE_MS = 120_000;

/**
 * Least time between the starts of two saves of a fan-out's progress: Firestore sustains about
 * one write a second to one document, and a page takes well under a second once ramped up. A
 * crash repeats at most the pages written since the last save, whose documents have derived ids.
 */
const SAVE_INTERVAL_MS = 1_000;

/** The fan-out document id of one round of a notice. */
export function fanoutId(noticeId: string, round: FanoutRound): string {
  return `${noticeId}.${round}`;
}

/**
 * The outbox id of one account's copy of one round, also the id of its inbox entry: derived, so
 * writing a page again after a crash finds the messages already there instead of queueing copies.
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
  /** Inbox entries written. */
  readonly posted: number;
}

/** Takes the fan-out's lease; null when it is done, gone or owned by a live worker. */
async function lease(deps: Deps, id: string): Promise<{ fanout: FanoutDoc; notice: ServiceNoticeDoc } | FanoutProgress> {
  const ref = deps.db.collection('noticeFanouts').doc(id);
  return deps.db.runTransaction(async (tx) => {
    const fanout = (await tx.get(ref)).data() as FanoutDoc | undefined;
    if (!fanout) return { fanoutId: id, state: 'missing', queued: 0, skipped: 0, posted: 0 } as const;
    const notice = (await tx.get(deps.db.collection('serviceNotices').doc(fanout.noticeId))).data() as ServiceNoticeDoc | undefined;
    const now = deps.clock.now();
    const counts = { queued: fanout.queued, skipped: fanout.skipped, posted: fanout.posted ?? 0 };
    if (fanout.state === 'done' || !notice) return { fanoutId: id, state: 'done', ...counts } as const;
    if (fanout.leaseUntil && fanout.leaseUntil.toMillis() > now.getTime()) {
      return { fanoutId: id, state: 'busy', ...counts } as const;
    }
    tx.update(ref, { leaseUntil: Timestamp.fromMillis(now.getTime() + LEASE_MS), updatedAt: Timestamp.fromDate(now) });
    return { fanout, notice };
  });
}

/**
 * Sends one round of a notice to every account that is not terminated (clause 2.1: "every
 * affected account"), in the account's language: an inbox entry for each, and a mail to each that
 * has an address we can mail (mailOwner's rule). Page by page with bulk writes, until done or out
 * of time. Resumable: it continues after the last saved page; entries and messages have derived
 * ids, so a page repeated after a crash writes nothing twice. Only one worker runs a fan-out at a time.
 */
export async function advanceFanout(deps: Deps, id: string, limits: Partial<FanoutLimits> = {}): Promise<FanoutProgress> {
  const o = { ...FANOUT_LIMITS, ...limits };
  const deadline = performance.now() + o.maxMs;
  const leased = await lease(deps, id);
  if ('state' in leased) return leased;
  const { notice } = leased;
  let { cursor, queued, skipped } = leased.fanout;
  let posted = leased.fanout.posted ?? 0;
  const { noticeId, round } = leased.fanout;
  const ref = deps.db.collection('noticeFanouts').doc(id);
  const rendered = new Map<Locale, RenderedMail>();
  const mailFor = (locale: Locale): RenderedMail => {
    let mail = rendered.get(locale);
    if (!mail) {
      mail = serviceNoticeMail({
        locale,
        withdrawal: round === 'withdrawal',
        title: textIn(notice.title, locale),
        body: textIn(notice.body, locale),
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
  // carries across pages.
  const writer = deps.db.bulkWriter(o.rampUp ? {} : { throttling: false });
  writer.onWriteError((error) => TRANSIENT.has(Number(error.code)) && error.failedAttempts < WRITE_ATTEMPTS);
  // PAGES_IN_FLIGHT pages queued at most: the next is read and queued while earlier ones are
  // written. A page counts once it and every page before it are written, in page order, and only
  // counted pages reach the saved cursor. A crash therefore repeats at most the pages after the
  // saved cursor, whose documents have derived ids.
  const pages = accountPages(deps, cursor, o.pageSize, () => performance.now() < deadline);
  const saves = cursorSaves(SAVE_INTERVAL_MS, async () => {
    const at = Timestamp.fromDate(deps.clock.now());
    await ref.update({
      cursor,
      queued,
      skipped,
      posted,
      updatedAt: at,
      ...(done ? { state: 'done', finishedAt: at, leaseUntil: null } : { leaseUntil: Timestamp.fromMillis(deps.clock.now().getTime() + LEASE_MS) }),
    });
  });
  let counted: Promise<void> = Promise.resolve();
  const inFlight: Array<Promise<void>> = [];
  let done = false;
  // The last account handed out; `cursor` is the last one written, which may lag behind it.
  let reached = cursor;
  try {
    // At least one page per step, however short the budget: every step makes progress.
    for (let more = true; more; ) {
      const page = await pages.next();
      const pageCursor = page.docs.at(-1)?.id ?? reached;
      reached = pageCursor;
      const pageDone = page.last;
      more = !pageDone && performance.now() < deadline;
      const now = deps.clock.now();
      const writes: Array<Promise<unknown>> = [];
      const counts = { queued: 0, posted: 0, skipped: 0 };
      // A document already there was written by an earlier, interrupted pass over this page.
      const create = (docRef: DocumentReference, doc: object, count: () => void) =>
        writes.push(writer.create(docRef, doc).then(count, (error: { code?: unknown }) => {
          if (error.code !== ALREADY_EXISTS) throw error;
        }));
      for (const snap of page.docs) {
        const account = snap.data();
        if (account.status === 'terminated') {
          counts.skipped += 1;
          continue;
        }
        const entryId = noticeMailId(noticeId, round, snap.id);
        const kind = `serviceNotice.${round}`;
        const mail = mailFor(account.locale === 'en' ? 'en' : 'zh-TW');
        const to = ownerAddress({ uid: snap.id, email: account.email ?? null, emailVerified: account.emailVerified === true, contactEmail: account.contactEmail ?? null });
        create(deps.db.collection(INBOX).doc(entryId), newInboxDoc({ uid: snap.id, kind, title: mail.subject, body: mail.text, mailId: to === null ? null : entryId }, now), () => (counts.posted += 1));
        if (to === null) {
          counts.skipped += 1;
          continue;
        }
        create(deps.db.collection('mail').doc(entryId), newMailDoc(entryId, now, { kind, to, related: `serviceNotices/${noticeId}`, ...mail }), () => (counts.queued += 1));
      }
      // Sends the page's last, partly filled batch now rather than when the next page fills it.
      const written = writer.flush().then(() => Promise.all(writes));
      counted = quiet(Promise.all([counted, written]).then(() => {
        queued += counts.queued;
        posted += counts.posted;
        skipped += counts.skipped;
        cursor = pageCursor;
        done = pageDone;
        saves.request();
        deps.log.log('INFO', 'notice.fanout_page', { fanoutId: id, accounts: page.docs.length, queued: counts.queued, posted: counts.posted, done });
      }));
      // The next page is queued as soon as the oldest in flight is written, without waiting for
      // its cursor to be saved: a save queued behind the writes would leave the writer idle.
      inFlight.push(counted);
      if (inFlight.length >= PAGES_IN_FLIGHT) await inFlight.shift();
      saves.check();
    }
    await counted;
  } finally {
    await Promise.all([pages.close(), writer.close()]);
    // A step that fails part-way first counts and saves the pages written before the failure, so
    // its cursor gets as far as its writes did and nothing is written after it has answered.
    await counted.catch(() => undefined);
    await saves.settled().catch(() => undefined);
  }
  await saves.settled();
  if (!done) await ref.update({ leaseUntil: null });
  return { fanoutId: id, state: done ? 'done' : 'running', queued, skipped, posted };
}

/**
 * Pages read by one query (5,000 accounts of five fields): on the emulator every query costs about
 * 0.1 s before its first account, however few it returns (bench/notices.mjs: 10,000 accounts went
 * from 2.2 to about 1.4 times the writes alone when pages of 500 stopped being a query each).
 */
const PAGES_PER_QUERY = 10;

type AccountFields = Pick<AccountDoc, 'email' | 'emailVerified' | 'contactEmail' | 'locale' | 'status'>;

/** One page of accounts; `last` when no account follows it. */
interface AccountPage {
  readonly docs: Array<QueryDocumentSnapshot<AccountFields>>;
  readonly last: boolean;
}

/** Hands out account pages in id order; `close` sends no more queries and waits for the one running. */
interface AccountPages {
  next(): Promise<AccountPage>;
  close(): Promise<void>;
}

/**
 * Accounts after `cursor` in id order, `pageSize` at a time, read PAGES_PER_QUERY pages per query.
 * Each query is streamed: a page is handed out as soon as its accounts have arrived, so the first
 * page's writes start while the rest of the query is still being read. The next query is sent
 * once the current one has ended and no more than half a query's accounts wait to be handed out,
 * if `reading` says there is still time to use them; a step that runs out of time therefore leaves
 * at most one and a half queries' reads unused. A query is let run to its end rather than
 * cancelled, so that no call of the step is still answering after the step has returned.
 */
function accountPages(deps: Deps, cursor: string | null, pageSize: number, reading: () => boolean): AccountPages {
  const limit = pageSize * PAGES_PER_QUERY;
  const buffered: Array<QueryDocumentSnapshot<AccountFields>> = [];
  // The last account read, where the next query starts.
  let after = cursor;
  let running: Promise<void> | null = null;
  let closed = false;
  let exhausted = false;
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const read = () => {
    const query = accountsCollection(deps.db).orderBy(documentIdPath()).select('email', 'emailVerified', 'contactEmail', 'locale', 'status').limit(limit);
    const stream = (after === null ? query : query.startAfter(after)).stream() as Readable;
    let count = 0;
    running = new Promise<void>((ended) => stream.once('close', ended));
    stream.on('data', (snap: QueryDocumentSnapshot<AccountFields>) => {
      buffered.push(snap);
      after = snap.id;
      count += 1;
      if (buffered.length >= pageSize) notify();
    });
    stream.on('error', (error: unknown) => {
      running = null;
      failure = { error };
      notify();
    });
    stream.on('end', () => {
      running = null;
      exhausted = count < limit;
      readAhead();
      notify();
    });
  };
  const readAhead = () => {
    if (running === null && !closed && failure === null && !exhausted && buffered.length <= limit / 2 && reading()) read();
  };
  read();
  return {
    async next() {
      while (failure === null && buffered.length < pageSize && !exhausted) {
        // A page is owed even when the time for reading ahead is up.
        if (running === null) read();
        await new Promise<void>((resolve) => (wake = resolve));
      }
      if (failure !== null) throw failure.error;
      const docs = buffered.splice(0, pageSize);
      readAhead();
      return { docs, last: buffered.length === 0 && exhausted };
    },
    async close() {
      closed = true;
      await running;
    },
  };
}

/** Saves of a fan-out's progress, one at a time; see `cursorSaves`. */
interface CursorSaves {
  /** Asks for the progress as it is then to be saved. */
  request(): void;
  /** Throws the error of a save that failed. */
  check(): void;
  /** Saves at once what is still asked for; resolves once every requested save is done, rejects when one failed. */
  settled(): Promise<void>;
}

/**
 * Runs `save` when asked, never two at once and never two starting less than `intervalMs` apart:
 * a request made sooner is held until the interval has passed (or `settled` is called), and
 * however many pages finish meanwhile, that one save writes the progress as it is then.
 */
function cursorSaves(intervalMs: number, save: () => Promise<void>): CursorSaves {
  let chain: Promise<void> = Promise.resolve();
  let queuedSave = false;
  let held: ReturnType<typeof setTimeout> | null = null;
  let lastStart = Number.NEGATIVE_INFINITY;
  let failure: { error: unknown } | null = null;
  const enqueue = () => {
    held = null;
    if (queuedSave || failure !== null) return;
    queuedSave = true;
    chain = chain.then(() => {
      queuedSave = false;
      lastStart = performance.now();
      return save();
    });
    chain.catch((error: unknown) => {
      failure ??= { error };
    });
  };
  return {
    request() {
      if (queuedSave || held !== null || failure !== null) return;
      const wait = lastStart + intervalMs - performance.now();
      if (wait <= 0) enqueue();
      else held = setTimeout(enqueue, wait);
    },
    check() {
      if (failure !== null) throw failure.error;
    },
    async settled() {
      if (held !== null) {
        clearTimeout(held);
        enqueue();
      }
      await chain;
    },
  };
}

/**
 * Marks a promise whose failure is awaited later (and rethrown there) as handled now, so a page
 * that fails while an earlier one is still being saved does not end the process.
 */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
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
