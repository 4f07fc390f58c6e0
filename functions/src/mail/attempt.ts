import type { Deps } from '../deps';
import { claimGroup, type ClaimResult } from './claim';
import { errorName } from './policy';
import { recordOutcome, type Outcome } from './record-outcome';
import { send } from './send';
import type { SentRecorder } from './sent-recorder';

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

/** A summary of a run that did nothing yet. */
export function emptySummary(): DeliverySummary {
  return { claimed: 0, sent: 0, retried: 0, failed: 0 };
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
  /** Called once the SMTP send has ended, before its result is recorded. */
  readonly onSent?: () => void;
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
 * parallel (the pooled transport queues them), record each (a batched write when sent, through
 * `options.recorder` if given, a transaction when not), log.
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
  // With a recorder, the group's `sent` records go out in one commit as soon as its last send has
  // ended, rather than after the recorder's wait.
  let sending = claims.filter((c) => c.kind === 'claimed').length;
  const onSent = (): void => {
    options.onSent?.();
    sending -= 1;
    if (sending === 0) void options.recorder?.flush();
  };
  return Promise.all(claims.map((claimed, i) => deliverClaimed(deps, ids[i] as string, claimed, { ...options, onSent })));
}

/** One message, start to end: `attemptGroup` of one. */
export async function attemptDelivery(deps: Deps, id: string, options: AttemptOptions): Promise<AttemptReport> {
  const [report] = await attemptGroup(deps, [id], options);
  return report ?? { claimed: false, outcome: 'skipped', alertId: null };
}

/**
 * One message whose claim is decided, to the end: send it if it was claimed, record the result, log.
 * Never throws (see `attemptGroup`).
 */
export async function deliverClaimed(deps: Deps, id: string, claimed: ClaimResult, options: AttemptOptions): Promise<AttemptReport> {
  if (claimed.kind === 'skipped') return { claimed: false, outcome: 'skipped', alertId: null };
  if (claimed.kind === 'failed') {
    deps.log.log('ERROR', 'mail.failed', { mailId: id, kind: claimed.doc.kind, attempt: claimed.attempt, status: 'failed', reason: 'lease expired on the last attempt' });
    return { claimed: true, outcome: 'failed', alertId: claimed.alertId };
  }
  const { claim } = claimed;
  const result = await send(deps, claim.doc, options.signal);
  options.onSent?.();
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

/** Adds one attempt's report to a summary. */
export function count(summary: DeliverySummary, report: AttemptReport): void {
  if (report.claimed) summary.claimed += 1;
  if (report.outcome === 'sent') summary.sent += 1;
  else if (report.outcome === 'retried') summary.retried += 1;
  else if (report.outcome === 'failed') summary.failed += 1;
}
