import { setMaxListeners } from 'node:events';
import type { DocumentReference, DocumentSnapshot, Firestore, Transaction, UpdateData } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';
import { mailExpiresAt, type MailDoc } from './model';
import { enqueueMail, isSafeAddress } from './outbox';

/** How long a sender owns a message it claimed; after that a sweep may take it over (DESIGN §6). */
export const LEASE_MS = 60_000;

/** Attempts a message gets before it is `failed` (and ops are alerted). */
export const MAX_ATTEMPTS = 10;

/** Kind of the ops alert about a failed message. A failed alert raises no further alert. */
export const FAILED_ALERT_KIND = 'mail.failedAlert';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BACKOFF_MS = [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR] as const;
const DAILY_MS = 24 * HOUR;

/**
 * Longest a run of sends may take from its start (a sweep's first claim, deliverSoon's call): well
 * inside the lease of every message it claims, so a result is recorded before anyone may take over.
 */
export const MAX_SEND_MS = LEASE_MS - 10_000;

/**
 * The wait after the `attempts`-th failed attempt before the next one: 1 min, 5 min, 30 min, 2 h,
 * 6 h, then daily.
 * @returns milliseconds, or null when no attempt is left (`attempts >= MAX_ATTEMPTS`): the message fails.
 */
export function backoffMs(attempts: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return BACKOFF_MS[Math.max(0, attempts - 1)] ?? DAILY_MS;
}

/** Counts of what one delivery run did. */
export interface DeliverySummary {
  /** Messages this run took a lease on (each one SMTP attempt, unless a lease ran out after attempt 10). */
  claimed: number;
  sent: number;
  /** Failed attempts that went back to `pending` for a later retry. */
  retried: number;
  /** Messages that became `failed` (attempts exhausted or rejected permanently). */
  failed: number;
}

export function emptySummary(): DeliverySummary {
  return { claimed: 0, sent: 0, retried: 0, failed: 0 };
}

/** What went wrong with an attempt, classified, with a message safe to store and log. */
export interface SendFailure {
  /** nodemailer's code (`ESOCKET`, `EENVELOPE`, `EABORT`, …) or `ERROR`. */
  readonly code: string;
  readonly responseCode: number | null;
  /** True when retrying the same message would be refused again (see `classifySendError`). */
  readonly permanent: boolean;
  /** Stored as `lastError`: no SMTP URL or credentials. */
  readonly message: string;
}

// SMTP commands whose permanent refusal is about this message (its recipients or its content),
// not about our account or the connection: MAIL FROM / AUTH refusals are our configuration, which
// an operator can fix, so those stay temporary and are retried.
const MESSAGE_COMMANDS = new Set(['RCPT TO', 'DATA']);

/** Removes the SMTP URL and its user/password from an error message, if they appear in it. */
export function scrubSecrets(message: string, smtpUrl: string | undefined): string {
  let out = message;
  if (smtpUrl) {
    const secrets = [smtpUrl];
    try {
      const url = new URL(smtpUrl);
      if (url.password) secrets.push(url.password, decodeURIComponent(url.password));
      if (url.username) secrets.push(url.username, decodeURIComponent(url.username));
    } catch {
      // not a URL: the whole string is still scrubbed
    }
    for (const secret of secrets.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join('[redacted]');
    }
  }
  return out.replace(/smtps?:\/\/\S+/gi, '[redacted]');
}

/**
 * Permanent means: the server answered a 5xx (other than 503, which is about session state) to
 * RCPT TO for every recipient, or to the message data. Retrying that exact message gets the same
 * answer, so it fails at once and ops are alerted. Everything else (4xx, connection refused or
 * dropped, timeouts, TLS, authentication, a 5xx to MAIL FROM) is temporary: it depends on the
 * server or on our configuration, not on the message, and is retried with backoff.
 */
export function classifySendError(error: unknown, smtpUrl: string | undefined): SendFailure {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'ERROR';
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const command = typeof e.command === 'string' ? e.command : null;
  const permanent =
    responseCode !== null && responseCode >= 500 && responseCode < 600 && responseCode !== 503 &&
    command !== null && MESSAGE_COMMANDS.has(command);
  const raw = error instanceof Error ? error.message : typeof e.message === 'string' ? e.message : String(error);
  const message = scrubSecrets(`${code}${responseCode ? ` ${responseCode}` : ''}${command ? ` (${command})` : ''}: ${raw}`, smtpUrl)
    .replace(/\s+/g, ' ')
    .slice(0, 500);
  return { code, responseCode, permanent, message };
}

/** A message this process holds the lease on, for attempt number `attempt`. */
interface Claim {
  readonly ref: DocumentReference;
  readonly attempt: number;
  readonly doc: MailDoc;
}

type ClaimResult =
  | { readonly kind: 'claimed'; readonly claim: Claim }
  | { readonly kind: 'failed'; readonly doc: MailDoc; readonly attempt: number; readonly alertId: string | null }
  | { readonly kind: 'skipped' };

function isWellFormed(doc: Partial<MailDoc>): doc is MailDoc {
  return Array.isArray(doc.to) && doc.to.length > 0 && typeof doc.subject === 'string' && typeof doc.text === 'string' &&
    typeof doc.html === 'string' && typeof doc.messageId === 'string' && typeof doc.attempts === 'number' &&
    isTimestamp(doc.nextAttemptAt);
}

function isTimestamp(value: unknown): value is Timestamp {
  return typeof value === 'object' && value !== null && typeof (value as { toMillis?: unknown }).toMillis === 'function';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Puts the ops alert about failed message `id` in the outbox, in `tx`. Only ids, kind, attempts
 * and the error go in: ops look the rest up in `mail/{id}`. Never for an alert itself.
 * @returns the alert's id, or null when none is due.
 */
function enqueueFailedAlert(deps: Deps, tx: Transaction, at: Date, id: string, doc: MailDoc, attempts: number, error: string): string | null {
  if (doc.kind === FAILED_ALERT_KIND) return null;
  const to = deps.config.OPS_EMAIL;
  if (!isSafeAddress(to)) {
    deps.log.log('ERROR', 'mail.alert_skipped', { mailId: id, kind: doc.kind, reason: 'OPS_EMAIL is not a plain address' });
    return null;
  }
  const lines = [
    'An outbox message could not be delivered and will not be retried.',
    '',
    `Message:   mail/${id}`,
    `Kind:      ${doc.kind}`,
    `Related:   ${doc.related ?? '-'}`,
    `Created:   ${isTimestamp(doc.createdAt) ? doc.createdAt.toDate().toISOString() : '-'}`,
    `Attempts:  ${attempts}`,
    `Error:     ${error}`,
    '',
    'Check the SMTP service (SMTP_URL) and the recipients in the document; to send it again, set',
    'its status to "pending", attempts to 0 and nextAttemptAt to now.',
  ];
  return enqueueMail(tx, deps.db, at, {
    kind: FAILED_ALERT_KIND,
    to,
    subject: `[OrderPally ops] Mail delivery failed: ${doc.kind} (mail/${id})`,
    text: lines.join('\n'),
    html: `<pre>${escapeHtml(lines.join('\n'))}</pre>`,
    related: `mail/${id}`,
  });
}

/**
 * Decides, inside a claiming transaction, whether `mail/{id}` (just read as `snap`) is claimable
 * and writes the lease if it is. A message is claimable when it is `pending` and due (or, with
 * `firstAttempt`, never tried yet), or `sending` with its lease run out (its sender crashed or
 * timed out). A lease that ran out on the last attempt fails the message.
 */
function claimInTransaction(deps: Deps, tx: Transaction, snap: DocumentSnapshot, now: Date, firstAttempt: boolean): ClaimResult {
  const { ref, id } = snap;
  if (!snap.exists) return { kind: 'skipped' };
  const data = snap.data() as Partial<MailDoc>;
  const nowMs = now.getTime();
  if (!isWellFormed(data)) {
    if (data.status === 'pending' || data.status === 'sending') {
      tx.update(ref, { status: 'failed', leaseUntil: null, lastError: 'malformed outbox document', expiresAt: mailExpiresAt(deps.config, 'failed', now) });
      deps.log.log('ERROR', 'mail.failed', { mailId: id, kind: data.kind ?? null, reason: 'malformed' });
    }
    return { kind: 'skipped' };
  }
  const doc = data;
  const due =
    (doc.status === 'pending' && (doc.nextAttemptAt.toMillis() <= nowMs || (firstAttempt && doc.attempts === 0))) ||
    (doc.status === 'sending' && doc.leaseUntil !== null && doc.leaseUntil.toMillis() <= nowMs);
  if (!due) return { kind: 'skipped' };
  if (doc.status === 'sending' && doc.attempts >= MAX_ATTEMPTS) {
    const lastError = `lease expired during attempt ${doc.attempts}: outcome unknown${doc.lastError ? `; before: ${doc.lastError}` : ''}`.slice(0, 500);
    tx.update(ref, { status: 'failed', leaseUntil: null, lastError, expiresAt: mailExpiresAt(deps.config, 'failed', now) });
    const alertId = enqueueFailedAlert(deps, tx, now, id, doc, doc.attempts, lastError);
    return { kind: 'failed', doc, attempt: doc.attempts, alertId };
  }
  const attempt = doc.attempts + 1;
  const leaseUntil = Timestamp.fromMillis(nowMs + LEASE_MS);
  // A failed message that ops set back to pending keeps its old expiresAt: drop it, or the TTL
  // policy could delete the message while it is being delivered again.
  tx.update(ref, { status: 'sending', attempts: attempt, leaseUntil, nextAttemptAt: leaseUntil, ...(doc.expiresAt ? { expiresAt: null } : {}) });
  return { kind: 'claimed', claim: { ref, attempt, doc } };
}

/**
 * Takes the lease on every claimable message among `ids` in ONE transaction, so that two senders
 * never hold the same message (status and lease are read and written inside it) while a sweep
 * pays one commit per group rather than one per message.
 * @returns one result per id, in the order of `ids`.
 */
async function claimGroup(deps: Deps, ids: readonly string[], firstAttempt: boolean): Promise<ClaimResult[]> {
  const refs = ids.map((id) => deps.db.collection('mail').doc(id));
  return deps.db.runTransaction(async (tx) => {
    const snaps = await tx.getAll(...refs);
    const now = deps.clock.now();
    return snaps.map((snap) => claimInTransaction(deps, tx, snap, now, firstAttempt));
  });
}

type SendResult =
  | { readonly ok: true; readonly smtp: NonNullable<MailDoc['smtp']> }
  | { readonly ok: false; readonly failure: SendFailure };

const addressText = (a: unknown): string => {
  if (typeof a === 'string') return a;
  const address = typeof a === 'object' && a !== null && 'address' in a ? a.address : undefined;
  return typeof address === 'string' ? address : JSON.stringify(a);
};

async function send(deps: Deps, doc: MailDoc, signal: AbortSignal): Promise<SendResult> {
  try {
    const info = await deps.mailer.sendMail({
      from: deps.config.MAIL_FROM,
      to: doc.to,
      ...(doc.replyTo ? { replyTo: doc.replyTo } : {}),
      subject: doc.subject,
      text: doc.text,
      html: doc.html,
      // The same Message-ID on every attempt: a receiver can drop a copy that an attempt with an
      // unknown outcome (timeout, crash after DATA) already delivered.
      messageId: doc.messageId,
      signal,
    });
    const smtp = {
      accepted: (info.accepted ?? []).map(addressText),
      rejected: (info.rejected ?? []).map(addressText),
      response: typeof info.response === 'string' ? scrubSecrets(info.response, deps.config.SMTP_URL).slice(0, 500) : '',
      messageId: typeof info.messageId === 'string' ? info.messageId : doc.messageId,
    };
    return { ok: true, smtp };
  } catch (error) {
    return { ok: false, failure: classifySendError(error, deps.config.SMTP_URL) };
  }
}

/** How an attempt ended, as recorded on the document. */
type Outcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'retried'; readonly nextAttemptAt: Date }
  | { readonly kind: 'failed'; readonly alertId: string | null }
  /** Our lease was taken over (we were too slow) and someone else's result stands. */
  | { readonly kind: 'lost' };

/**
 * Commits `sent` records together: one write batch per `maxSize` records, or after `maxWaitMs`,
 * whichever comes first. Each `write` resolves once its record is committed. A sweep sends
 * hundreds of messages, and a commit of its own per message costs about as much as its SMTP send.
 */
export class SentRecorder {
  private items: Array<{ ref: DocumentReference; data: UpdateData<MailDoc>; resolve: () => void; reject: (error: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Firestore,
    private readonly maxSize = 25,
    private readonly maxWaitMs = 20,
  ) {}

  write(ref: DocumentReference, data: UpdateData<MailDoc>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.items.push({ ref, data, resolve, reject });
      if (this.items.length >= this.maxSize) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.maxWaitMs);
    });
  }

  /** Commits what is waiting now. Never rejects: each write's own promise carries its outcome. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.items.splice(0);
    if (items.length === 0) return;
    const batch = this.db.batch();
    for (const item of items) batch.update(item.ref, item.data);
    try {
      await batch.commit();
      items.forEach((item) => item.resolve());
    } catch {
      // One document gone (deleted meanwhile) fails the whole batch: write each on its own.
      await Promise.all(items.map((item) => item.ref.update(item.data).then(item.resolve, item.reject)));
    }
  }
}

/**
 * Writes the attempt's result. A success is written as it is, without reading first: the message
 * went out, whatever a holder that took over meanwhile thinks (its own failure, recorded later,
 * then finds the message `sent` and leaves it). A failure is recorded in a transaction, only while
 * we still hold the lease (status `sending`, same attempt number), so a slow sender never undoes
 * the work of the sweep that took over.
 */
async function recordOutcome(deps: Deps, claim: Claim, result: SendResult, recorder: SentRecorder | undefined): Promise<Outcome> {
  const { ref, attempt } = claim;
  if (result.ok) {
    const sentAt = deps.clock.now();
    const sent: UpdateData<MailDoc> = { status: 'sent', sentAt: Timestamp.fromDate(sentAt), leaseUntil: null, smtp: result.smtp, expiresAt: mailExpiresAt(deps.config, 'sent', sentAt) };
    await (recorder ? recorder.write(ref, sent) : ref.update(sent));
    return { kind: 'sent' };
  }
  const { failure } = result;
  return deps.db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const doc = snap.data() as MailDoc | undefined;
    if (!doc || doc.status !== 'sending' || doc.attempts !== attempt) return { kind: 'lost' } as const;
    const now = deps.clock.now();
    const wait = failure.permanent ? null : backoffMs(attempt);
    if (wait === null) {
      tx.update(ref, { status: 'failed', leaseUntil: null, lastError: failure.message, expiresAt: mailExpiresAt(deps.config, 'failed', now) });
      const alertId = enqueueFailedAlert(deps, tx, now, ref.id, doc, attempt, failure.message);
      return { kind: 'failed', alertId } as const;
    }
    const next = new Date(now.getTime() + wait);
    tx.update(ref, { status: 'pending', leaseUntil: null, nextAttemptAt: Timestamp.fromDate(next), lastError: failure.message });
    return { kind: 'retried', nextAttemptAt: next } as const;
  });
}

/** Options of one message's delivery attempt. */
export interface AttemptOptions {
  /** Also claim a `pending` message that was never tried, whatever its `nextAttemptAt` (deliverSoon). */
  readonly firstAttempt: boolean;
  /**
   * Aborts the SMTP send (counted as a failed attempt). Shared by a whole run: it must fire before
   * the lease of any message the run claims runs out (see MAX_SEND_MS).
   */
  readonly signal: AbortSignal;
  /** Writes `sent` records in batches (the sweep); without it each is written on its own. */
  readonly recorder?: SentRecorder;
}

/** What `attemptDelivery` did, for the caller's counts. */
export interface AttemptReport {
  readonly claimed: boolean;
  readonly outcome: 'sent' | 'retried' | 'failed' | 'lost' | 'skipped';
  /** The ops alert enqueued when the message failed, which the caller may try at once. */
  readonly alertId: string | null;
}

/**
 * Messages start to end: claim (one transaction for all of `ids`), send each over SMTP in
 * parallel (the pooled transport queues them), record each (a batched write when sent, a
 * transaction when not), log.
 * Never throws: a Firestore error leaves the messages for a later sweep (claimed ones once their
 * lease runs out) and is logged.
 * @returns one report per id, in the order of `ids`.
 */
export async function attemptGroup(deps: Deps, ids: readonly string[], options: AttemptOptions): Promise<AttemptReport[]> {
  let claims: ClaimResult[];
  try {
    claims = await claimGroup(deps, ids, options.firstAttempt);
  } catch (error) {
    deps.log.log('WARNING', 'mail.claim_failed', { mailIds: ids, error: errorName(error) });
    return ids.map(() => ({ claimed: false, outcome: 'skipped', alertId: null }));
  }
  return Promise.all(claims.map((claimed, i) => deliverClaimed(deps, ids[i] as string, claimed, options)));
}

/** One message, start to end: `attemptGroup` of one. */
export async function attemptDelivery(deps: Deps, id: string, options: AttemptOptions): Promise<AttemptReport> {
  const [report] = await attemptGroup(deps, [id], options);
  return report ?? { claimed: false, outcome: 'skipped', alertId: null };
}

async function deliverClaimed(deps: Deps, id: string, claimed: ClaimResult, options: AttemptOptions): Promise<AttemptReport> {
  if (claimed.kind === 'skipped') return { claimed: false, outcome: 'skipped', alertId: null };
  if (claimed.kind === 'failed') {
    deps.log.log('ERROR', 'mail.failed', { mailId: id, kind: claimed.doc.kind, attempt: claimed.attempt, status: 'failed', reason: 'lease expired on the last attempt' });
    return { claimed: true, outcome: 'failed', alertId: claimed.alertId };
  }
  const { claim } = claimed;
  const result = await send(deps, claim.doc, options.signal);
  let outcome: Outcome;
  try {
    outcome = await recordOutcome(deps, claim, result, options.recorder);
  } catch (error) {
    // The lease stays on the document; the message is retried once it runs out.
    deps.log.log('ERROR', 'mail.record_failed', { mailId: id, kind: claim.doc.kind, attempt: claim.attempt, sent: result.ok, error: errorName(error) });
    return { claimed: true, outcome: 'lost', alertId: null };
  }
  const base = { mailId: id, kind: claim.doc.kind, attempt: claim.attempt };
  const error = result.ok ? undefined : { code: result.failure.code, responseCode: result.failure.responseCode, permanent: result.failure.permanent };
  switch (outcome.kind) {
    case 'sent':
      deps.log.log('INFO', 'mail.sent', { ...base, status: 'sent' });
      return { claimed: true, outcome: 'sent', alertId: null };
    case 'retried':
      deps.log.log('WARNING', 'mail.retry', { ...base, status: 'pending', nextAttemptAt: outcome.nextAttemptAt, error });
      return { claimed: true, outcome: 'retried', alertId: null };
    case 'failed':
      deps.log.log('ERROR', 'mail.failed', { ...base, status: 'failed', error, alertId: outcome.alertId });
      return { claimed: true, outcome: 'failed', alertId: outcome.alertId };
    case 'lost':
      deps.log.log('WARNING', 'mail.lease_lost', { ...base, sent: result.ok });
      return { claimed: true, outcome: 'lost', alertId: null };
  }
}

function errorName(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `${typeof code === 'string' || typeof code === 'number' ? `${code} ` : ''}${text}`.slice(0, 300);
}

/** Adds one attempt's report to a summary. */
export function count(summary: DeliverySummary, report: AttemptReport): void {
  if (report.claimed) summary.claimed += 1;
  if (report.outcome === 'sent') summary.sent += 1;
  else if (report.outcome === 'retried') summary.retried += 1;
  else if (report.outcome === 'failed') summary.failed += 1;
}

/** Default bound of `deliverSoon`, in milliseconds. */
export const DELIVER_SOON_TIMEOUT_MS = 8_000;

/** Messages `deliverSoon` works on at once. */
const DELIVER_SOON_CONCURRENCY = 16;

/**
 * The first delivery attempt of messages just committed to the outbox: attempts `ids` now, in
 * parallel over the pooled transport. Call it after the transaction that enqueued them committed,
 * and await it before answering the request (Cloud Functions throttles the CPU after the response).
 *
 * Never throws and returns within about `timeoutMs` (default 8 s): a send still running then is
 * aborted, counted as a failed attempt and retried by `deliverMail`; a message whose outcome could
 * not be recorded keeps its lease and is retried when it runs out.
 */
export async function deliverSoon(deps: Deps, ids: readonly string[], options: { timeoutMs?: number } = {}): Promise<DeliverySummary> {
  const summary = emptySummary();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return summary;
  const timeoutMs = Math.max(100, options.timeoutMs ?? DELIVER_SOON_TIMEOUT_MS);
  const deadline = performance.now() + timeoutMs;
  // Sends still running then are aborted, leaving time to record that outcome before the deadline.
  const signal = AbortSignal.timeout(Math.min(MAX_SEND_MS, Math.max(timeoutMs / 2, timeoutMs - 2_000)));
  setMaxListeners(0, signal); // one listener per send in flight, removed when it ends
  const one = async (id: string): Promise<void> => {
    const report = await attemptDelivery(deps, id, { firstAttempt: true, signal });
    count(summary, report);
    // A message that failed at once (rejected permanently): try its ops alert too, if time is left.
    if (report.alertId && deadline - performance.now() > 1_000) {
      count(summary, await attemptDelivery(deps, report.alertId, { firstAttempt: true, signal }));
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    // At most DELIVER_SOON_CONCURRENCY in flight: a caller with many ids must not open hundreds
    // of transactions at once (the pooled transport queues the sends anyway).
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < unique.length && performance.now() < deadline) await one(unique[next++] as string);
    };
    const workers = Array.from({ length: Math.min(DELIVER_SOON_CONCURRENCY, unique.length) }, worker);
    const work = Promise.all(workers).catch((error: unknown) => {
      deps.log.log('ERROR', 'mail.deliver_soon_failed', { error: errorName(error) });
    });
    if ((await Promise.race([work, timedOut])) === 'timeout') {
      deps.log.log('WARNING', 'mail.deliver_soon_timeout', { ids: unique.length, timeoutMs });
    }
  } catch (error) {
    deps.log.log('ERROR', 'mail.deliver_soon_failed', { error: errorName(error) });
  } finally {
    clearTimeout(timer);
  }
  return { ...summary };
}
