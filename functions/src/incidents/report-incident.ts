import type { z } from 'zod';
import { Timestamp } from '../shared/firestore-values';
import { loadAccount } from '../accounts/load';
import { findAccount } from '../accounts/repository';
import type { AccountDoc, Locale } from '../accounts/model';
import { actorOf, recordActivity, SYSTEM_ACTOR } from '../accounts/activity-log';
import type { Deps } from '../deps';
import { incidentAckMail } from '../mail/templates/incident-ack';
import { incidentSupportMail } from '../mail/templates/incident-support';
import { CATEGORY_LABELS } from './labels';
import { enqueueMail } from '../mail/outbox';
import { isSafeAddress } from '../shared/email';
import { chargeRateLimits, ipBucketKey, mailboxKey, type RateLimitCharge, type RateLimitRule } from '../shared/rate-limit';
import { deliverNow } from '../mail/deliver-now';
import type { IncidentDoc, IncidentHistoryDoc, IncidentReporter } from './model';
import { allocateReference, runAllocatingTransaction } from './reference';
import { reportIncidentInput, type ReportIncidentInput } from './schema';
import type { Caller } from '../shared/caller';
import type { CallableSpec, CallContext } from '../spec';
import { AppError, invalidArgument } from '../shared/errors';

const HOUR = 3600;

/**
 * Reports per hour. Every caller, signed in or not: per client IP, and per mailbox the
 * acknowledgement goes to (`mailboxKey`: case, `+tag`, Gmail dots). Signed-in callers also per
 * account. The one exemption from the mailbox limit is the caller's own verified address, which
 * they have proven is theirs: the account limit bounds that.
 */
export const INCIDENT_RATE_LIMITS = {
  contact: { name: 'incident.contact', limit: 5, windowSeconds: HOUR },
  ip: { name: 'incident.ip', limit: 60, windowSeconds: HOUR },
  uid: { name: 'incident.uid', limit: 20, windowSeconds: HOUR },
} as const satisfies Record<string, RateLimitRule>;

// A reporter's clock may run a little ahead of ours; further ahead is a mistake.
const FUTURE_SKEW_MS = 5 * 60_000;
// Before any of this existed; also keeps the date inside what a Firestore timestamp can hold.
const EARLIEST_OCCURRED_AT = Date.UTC(2000, 0, 1);

/** What `reportIncident` answers. */
export interface ReportedIncident {
  reference: string;
  status: 'received';
}

/**
 * Who reported, and where their acknowledgement goes: `contactEmail` when given, else the
 * account's address. A signed-in reporter's `contactEmail` is honoured on purpose rather than
 * replaced by the verified account address: someone whose mailbox has been taken over must be
 * able to report it without the acknowledgement landing in that mailbox. It buys nothing over an
 * anonymous report, because both are charged the same per-mailbox and per-IP limits.
 */
function reporterOf(input: ReportIncidentInput, caller: Caller | null, account: AccountDoc | undefined): IncidentReporter {
  const accountEmail = account?.email ?? caller?.email ?? null;
  const email = input.contactEmail ?? (accountEmail !== null && isSafeAddress(accountEmail) ? accountEmail : null);
  const locale: Locale = caller ? (account?.locale ?? 'zh-TW') : (input.locale ?? 'zh-TW');
  return {
    uid: caller?.uid ?? null,
    email,
    name: input.contactName ?? account?.displayName ?? null,
    locale,
    account: caller
      ? { email: accountEmail, emailVerified: caller.emailVerified, status: account?.status ?? 'unknown', signInProvider: caller.signInProvider }
      : null,
  };
}

/**
 * The buckets a report is charged to. The acknowledgement carries none of the reporter's text,
 * but it is still our mail in a stranger's inbox: whoever asks for it to go to an address they
 * have not proven is theirs (anonymous, unverified, or a signed-in `contactEmail`) spends that
 * mailbox's allowance, so no caller can make us mail one inbox more than 5 times an hour.
 */
function chargesFor(caller: Caller | null, ackTo: string | null, ip: string): RateLimitCharge[] {
  const charges: RateLimitCharge[] = [{ rule: INCIDENT_RATE_LIMITS.ip, key: ipBucketKey(ip) }];
  if (caller) charges.push({ rule: INCIDENT_RATE_LIMITS.uid, key: caller.uid });
  if (ackTo !== null) {
    const mailbox = mailboxKey(ackTo);
    const ownVerified = caller !== null && caller.emailVerified && caller.email !== null && mailboxKey(caller.email) === mailbox;
    if (!ownVerified) charges.push({ rule: INCIDENT_RATE_LIMITS.contact, key: mailbox });
  }
  return charges;
}

/**
 * Agreement clause 5.7: a security incident report. In one transaction: the rate limits are
 * charged, the year's reference allocated, `incidents/{reference}` and its first history entry
 * created, the report to support and the acknowledgement to the reporter put in the outbox, and
 * (when signed in) the reporter's activity logged. Only then is mail attempted, so a report is
 * never lost to an SMTP failure, and a refused or failed report counts against no limit.
 */
export async function reportIncident(deps: Deps, input: ReportIncidentInput, { caller, ip }: CallContext): Promise<ReportedIncident> {
  if (!caller && !input.contactEmail) {
    throw new AppError('CONTACT_EMAIL_REQUIRED', 'Invalid request: data.contactEmail: is required when you are not signed in, so that support can answer you.');
  }
  const occurredAt = input.occurredAt ? new Date(input.occurredAt) : null;
  if (occurredAt && occurredAt.getTime() > deps.clock.now().getTime() + FUTURE_SKEW_MS) {
    throw invalidArgument('Invalid request: data.occurredAt: must not be in the future.');
  }
  if (occurredAt && occurredAt.getTime() < EARLIEST_OCCURRED_AT) {
    throw invalidArgument('Invalid request: data.occurredAt: must not be before the year 2000.');
  }
  // Users made outside the sign-up flow get their account here, as in every other function.
  if (caller) await loadAccount(deps, caller, 'reportIncident');

  const { reference, mailIds } = await runAllocatingTransaction(deps, 'INC', async (tx) => {
    const now = deps.clock.now();
    const account = caller ? await findAccount(deps.db, caller.uid, tx) : undefined;
    const reporter = reporterOf(input, caller, account);
    // Limits first: a refused report never touches (and so never waits on) the year counter.
    const commitLimits = await chargeRateLimits(tx, deps.db, now, chargesFor(caller, reporter.email, ip));
    const allocated = await allocateReference(tx, deps.db, 'INC', now);
    const at = Timestamp.fromDate(now);
    const incidentRef = deps.db.collection('incidents').doc(allocated.reference);
    const doc: IncidentDoc = {
      reference: allocated.reference,
      category: input.category,
      summary: input.summary,
      description: input.description,
      occurredAt: occurredAt ? Timestamp.fromDate(occurredAt) : null,
      status: 'received',
      reporter,
      createdAt: at,
      updatedAt: at,
    };
    const actor = caller ? actorOf(caller) : SYSTEM_ACTOR;
    const history: IncidentHistoryDoc = { at, status: 'received', previousStatus: null, note: null, actor };

    commitLimits();
    allocated.commit();
    tx.create(incidentRef, doc);
    tx.create(incidentRef.collection('history').doc(), history);
    const related = `incidents/${allocated.reference}`;
    const ids = [
      enqueueMail(tx, deps.db, now, {
        kind: 'incident.support',
        to: deps.config.SUPPORT_EMAIL,
        replyTo: reporter.email,
        related,
        ...incidentSupportMail({ ...doc, categoryLabel: CATEGORY_LABELS['zh-TW'][doc.category], occurredAt, reportedAt: now }),
      }),
    ];
    if (reporter.email) {
      const categoryLabel = CATEGORY_LABELS[reporter.locale][doc.category];
      const ack = incidentAckMail({ locale: reporter.locale, reference: doc.reference, categoryLabel, reportedAt: now, supportEmail: deps.config.SUPPORT_EMAIL });
      ids.push(enqueueMail(tx, deps.db, now, { kind: 'incident.ack', to: reporter.email, related, ...ack }));
    }
    if (caller && account) {
      recordActivity(tx, deps.db, caller.uid, now, {
        actor,
        action: 'incident.reported',
        details: { reference: doc.reference, category: doc.category },
      });
    }
    return { reference: allocated.reference, mailIds: ids };
  });

  deps.log.log('INFO', 'incident.reported', { reference, category: input.category, signedIn: caller !== null, uid: caller?.uid ?? null });
  await deliverNow(deps, mailIds);
  return { reference, status: 'received' };
}

/**
 * `reportIncident(…)` → `{reference, status: 'received'}`. Signing in is optional, and an email
 * user need not have verified their address: the victim of a taken-over account may be unable to.
 */
export const reportIncidentSpec: CallableSpec<ReportIncidentInput, ReportedIncident, z.input<typeof reportIncidentInput>> = {
  auth: 'optional',
  allowUnverified: true,
  input: reportIncidentInput,
  handler: reportIncident,
};
