import type { QueryDocumentSnapshot } from 'firebase-admin/firestore';
import type { AccountDoc } from '../accounts/model';
import type { Deps } from '../deps';
import type { ScheduledHandler } from '../spec';
import { endContract } from './end-contract';
import { escalateBreach } from './escalate-breach';
import { finaliseAccount } from './finalise';
import { countDue, lifecycleQueries } from './queries';
import { invoiceReminderCandidates, remindContractEnd, remindInvoices, remindTermination } from './reminders';
import { lifecycleLimitsFor, startRun, sweep, type LifecycleLimits } from './sweep';

/** What one `processLifecycle` run did (its JSON summary). */
export interface LifecycleSummary {
  /** Uncured breaches escalated (clause 3.1(b)(i)). */
  escalated: number;
  /** Accounts terminated because their contract ended (clause 3.1(c)). */
  contractsEnded: number;
  /** Reminder mails enqueued (by default termination 7/1 days, contract end 30/7 days ahead: settings; invoices 3 days ahead while terminating). */
  reminders: number;
  /** Accounts whose termination took effect in this run (a due date, a breach, a contract end) and were finalised. */
  finalised: number;
  /** Accounts terminated before this run (immediately elsewhere, or by a run that stopped) that this run finished. */
  resumed: number;
  /** Accounts skipped because another finaliser holds them; it, or the next run, finishes them. */
  busy: number;
  /** Items that failed (logged); the next run tries them again. */
  failed: number;
  /** Due work left when the run ended (null if it could not be counted). */
  remaining: number | null;
  /** True when a limit or the time budget stopped the run with work possibly left. */
  stoppedEarly: boolean;
}

/**
 * The lifecycle sweep (DESIGN §4, clauses 3.1 and 3.2(a)), in bounded phases that share one time
 * budget: escalate uncured breaches, terminate accounts whose contract ended, write the due
 * reminders (before the heavy work, so a backlog of destructions never delays them), then finalise
 * every termination that has taken effect (terminated, Auth user disabled, tokens and API keys
 * revoked, content destroyed, final notice), including those terminated immediately in this run
 * and any left unfinished. Safe to run concurrently with itself and with `finaliseAccount`.
 *
 * Every notice is committed to the outbox with the change it announces and delivered by
 * `deliverMail` (every minute, a group of messages per claim), not by this run: no seller waits on
 * a scheduled job, the run's time goes to destruction however many notices a day brings, and the
 * function that can destroy content holds no mail credentials.
 */
export async function processLifecycle(deps: Deps, limits: Partial<LifecycleLimits> = {}): Promise<LifecycleSummary> {
  const run = startRun(deps, limits);
  const summary: LifecycleSummary = { escalated: 0, contractsEnded: 0, reminders: 0, finalised: 0, resumed: 0, busy: 0, failed: 0, remaining: null, stoppedEarly: false };
  const terminatedNow = new Set<string>();
  const q = lifecycleQueries;

  await sweep(run, 'escalate', q.dueBreaches(deps, deps.clock.now()).select('cureBy'), async (doc) => {
    const escalation = await escalateBreach(deps, doc.ref);
    if (escalation.outcome === 'skipped' || escalation.outcome === 'inconsistent') return;
    summary.escalated += 1;
    if (escalation.outcome === 'terminated' && escalation.uid) terminatedNow.add(escalation.uid);
  });
  await sweep(run, 'contract-end', q.endedContracts(deps, deps.clock.now()).select('contract.endsAt'), async (doc) => {
    const ended = await endContract(deps, doc.id);
    if (ended.outcome === 'skipped') return;
    summary.contractsEnded += 1;
    terminatedNow.add(doc.id);
  });
  const maxTerminationDays = Math.max(...deps.config.TERMINATION_REMINDER_DAYS);
  await sweep(run, 'termination-reminder', q.upcomingTerminations(deps, deps.clock.now(), maxTerminationDays).select('termination.effectiveAt'), async (doc) => {
    const ids = await remindTermination(deps, doc.id);
    summary.reminders += ids.length;
  });
  const maxContractDays = Math.max(...deps.config.CONTRACT_REMINDER_DAYS);
  await sweep(run, 'contract-reminder', q.upcomingContractEnds(deps, deps.clock.now(), maxContractDays).select('contract.endsAt'), async (doc) => {
    const ids = await remindContractEnd(deps, doc.id);
    summary.reminders += ids.length;
  });
  await sweep(run, 'invoice-reminder', invoiceReminderCandidates(deps, deps.clock.now()).select('billing.earliestUnpaidDueAt'), async (doc) => {
    const ids = await remindInvoices(deps, doc.id);
    summary.reminders += ids.length;
  });

  // Whole accounts are read, so each is claimed from what its page read (finalise.ts).
  const finalise = async (doc: QueryDocumentSnapshot<AccountDoc>): Promise<void> => {
    const uid = doc.id;
    const result = await finaliseAccount(deps, uid, { read: doc });
    if (result.outcome === 'busy') summary.busy += 1;
    else if (result.outcome === 'finalised' || (result.outcome === 'resumed' && terminatedNow.has(uid))) summary.finalised += 1;
    else if (result.outcome === 'resumed') summary.resumed += 1;
  };
  await sweep(run, 'finalise', q.dueTerminations(deps, deps.clock.now()), finalise);
  await sweep(run, 'resume', q.unfinishedTerminations(deps), finalise);

  summary.failed = run.failed;
  summary.stoppedEarly = run.stoppedEarly;
  summary.remaining = await countDue(deps, deps.clock.now());
  const busy = Object.entries(summary).some(([key, value]) => key !== 'remaining' && typeof value === 'number' && value > 0);
  deps.log.log(busy || (summary.remaining ?? 0) > 0 ? 'INFO' : 'DEBUG', 'lifecycle.sweep', { ...summary });
  return summary;
}

/** `processLifecycle`, as the scheduled function runs it (every 5 minutes), within its declared timeout. */
export const processLifecycleSpec: ScheduledHandler<LifecycleSummary> = (deps, context) => processLifecycle(deps, lifecycleLimitsFor(context));
