import { Timestamp } from '../shared/firestore-values';
import { z } from 'zod';
import { assertUsable, loadUsableAccount } from '../accounts/load';
import { readAccount } from '../accounts/repository';
import { actorOf, recordActivity } from '../accounts/activity-log';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { allocateReference, runAllocatingTransaction } from '../incidents/reference';
import { MAX_NOTE_CHARS, multiLineText, optional } from '../shared/input';
import { enqueueMail } from '../mail/outbox';
import { isSafeAddress } from '../shared/email';
import { recordsAckMail } from '../mail/templates/records-ack';
import { recordsSupportMail } from '../mail/templates/records-support';
import { SCOPE_LABELS } from './labels';
import { chargeRateLimits, type RateLimitRule } from '../shared/rate-limit';
import { taipeiDate } from '../shared/taipei';
import { RECORD_SCOPES, type RecordRequestDoc } from './model';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';
import { invalidArgument } from '../shared/errors';

/** Requests per hour per account: each one mails support. */
export const RECORDS_RATE_LIMIT: RateLimitRule = { name: 'records.uid', limit: 10, windowSeconds: 3600 };

const date = z.iso.date('must be a calendar date, YYYY-MM-DD');

const input = z
  .object({
    scope: z.enum(RECORD_SCOPES),
    from: optional(date),
    to: optional(date),
    note: optional(multiLineText(MAX_NOTE_CHARS)),
  })
  .strict()
  // YYYY-MM-DD strings order as the dates do.
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'must not be before data.from', path: ['to'] });
type RequestRecordsInput = z.output<typeof input>;

/**
 * Agreement clause 5.8: a customer asks support for records. In one transaction: the request is
 * stored as `recordRequests/{reference}`, support is mailed the request (Reply-To the customer),
 * the customer an acknowledgement, and the activity log records it. Dates are Taipei calendar
 * days, inclusive; neither may be after today.
 */
export async function requestRecords(deps: Deps, caller: Caller, request: RequestRecordsInput): Promise<{ reference: string }> {
  const today = taipeiDate(deps.clock.now());
  for (const field of ['from', 'to'] as const) {
    const value = request[field];
    if (value && value > today) throw invalidArgument(`Invalid request: data.${field}: must not be after today (${today}, Taipei time).`);
  }
  await loadUsableAccount(deps, caller, 'requestRecords');

  const { reference, mailIds } = await runAllocatingTransaction(deps, 'REC', async (tx) => {
    const account = await readAccount(deps.db, caller.uid, tx);
    const now = deps.clock.now();
    assertUsable(account, now);
    const commitLimit = await chargeRateLimits(tx, deps.db, now, [{ rule: RECORDS_RATE_LIMIT, key: caller.uid }]);
    const allocated = await allocateReference(tx, deps.db, 'REC', now);
    const address = account.email ?? caller.email;
    const email = address !== null && isSafeAddress(address) ? address : null;
    const doc: RecordRequestDoc = {
      reference: allocated.reference,
      uid: caller.uid,
      email,
      locale: account.locale,
      scope: request.scope,
      from: request.from ?? null,
      to: request.to ?? null,
      note: request.note ?? null,
      status: 'received',
      createdAt: Timestamp.fromDate(now),
    };
    commitLimit();
    allocated.commit();
    tx.create(deps.db.collection('recordRequests').doc(doc.reference), doc);
    const related = `recordRequests/${doc.reference}`;
    const support = recordsSupportMail({ ...doc, scopeLabel: SCOPE_LABELS['zh-TW'][doc.scope], accountStatus: account.status, requestedAt: now });
    const ids = [enqueueMail(tx, deps.db, now, { kind: 'records.support', to: deps.config.SUPPORT_EMAIL, replyTo: email, related, ...support })];
    if (email) {
      const ack = recordsAckMail({ ...doc, scopeLabel: SCOPE_LABELS[doc.locale][doc.scope], requestedAt: now, supportEmail: deps.config.SUPPORT_EMAIL });
      ids.push(enqueueMail(tx, deps.db, now, { kind: 'records.ack', to: email, related, ...ack }));
    }
    recordActivity(tx, deps.db, caller.uid, now, {
      actor: actorOf(caller),
      action: 'records.requested',
      details: { reference: doc.reference, scope: doc.scope, from: doc.from, to: doc.to },
    });
    return { reference: doc.reference, mailIds: ids };
  });

  deps.log.log('INFO', 'records.requested', { reference, uid: caller.uid, scope: request.scope });
  await deliverNow(deps, mailIds);
  return { reference };
}

/** `requestRecords({scope, from?, to?, note?})` → `{reference}`. Signed in and verified. */
export const requestRecordsSpec: SignedInCallableSpec<RequestRecordsInput, { reference: string }, z.input<typeof input>> = {
  auth: 'required',
  input,
  handler: (deps, request, { caller }) => requestRecords(deps, caller, request),
};
