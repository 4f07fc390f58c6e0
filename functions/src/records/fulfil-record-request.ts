import { z } from 'zod';
import { actorOf, recordActivity } from '../accounts/activity-log';
import { findAccount } from '../accounts/repository';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { mailOwner } from '../mail/mail-owner';
import { recordsFulfilledMail } from '../mail/templates/records-fulfilled';
import type { Caller } from '../shared/caller';
import { AppError } from '../shared/errors';
import { Timestamp } from '../shared/firestore-values';
import { MAX_NOTE_CHARS, multiLineText, optional } from '../shared/input';
import type { SignedInCallableSpec } from '../spec';
import { discardBundle, newBundleRef, writeBundle } from './bundle';
import { SCOPE_LABELS } from './labels';
import { recordReference } from './schema';
import type { BundleRef, RecordBundleDoc, RecordRequestDoc } from './model';

const input = z.object({ reference: recordReference, note: optional(multiLineText(MAX_NOTE_CHARS)) }).strict();
type FulfilInput = z.output<typeof input>;

/** What `adminFulfilRecordRequest` answers. */
export interface FulfilledRequest {
  reference: string;
  status: 'fulfilled';
  fulfilledAt: string;
  lines: number;
  counts: BundleRef['counts'];
}

function requestRef(deps: Deps, reference: string) {
  return deps.db.collection('recordRequests').doc(reference);
}

function notFound(reference: string): AppError {
  return new AppError('RECORD_REQUEST_NOT_FOUND', `No records request ${reference} exists.`, { reference });
}

function alreadyFulfilled(reference: string): AppError {
  return new AppError('RECORDS_ALREADY_FULFILLED', `Records request ${reference} has already been fulfilled; its records are what the owner downloads.`, { reference });
}

/**
 * Agreement clause 5.8: staff fulfil a records request. The records are built first, as an
 * immutable bundle of their own (`recordBundles/{id}`, chunked below the 1 MiB document limit):
 * what was fulfilled is what the owner downloads, however the log grows afterwards. Then one
 * transaction adopts the bundle — the request becomes `fulfilled` (when, by whom, the note), the
 * account logs it, the owner is notified (mail and inbox) — or, when another fulfilment won the
 * race, the bundle is discarded and the call refused.
 */
export async function adminFulfilRecordRequest(deps: Deps, caller: Caller, { reference, note }: FulfilInput): Promise<FulfilledRequest> {
  const ref = requestRef(deps, reference);
  const request = (await ref.get()).data() as RecordRequestDoc | undefined;
  if (!request) throw notFound(reference);
  if (request.status !== 'received') throw alreadyFulfilled(reference);

  const bundleRef = newBundleRef(deps.db);
  const builtAt = deps.clock.now();
  try {
    const bundle = await writeBundle(deps.db, bundleRef, request, builtAt);
    const { fulfilledAt, mailIds } = await deps.db.runTransaction(async (tx) => {
      const current = (await tx.get(ref)).data() as RecordRequestDoc | undefined;
      if (!current) throw notFound(reference);
      if (current.status !== 'received') throw alreadyFulfilled(reference);
      const account = await findAccount(deps.db, current.uid, tx);
      const now = deps.clock.now();
      const at = Timestamp.fromDate(now);
      const actor = actorOf(caller);
      const stored: RecordBundleDoc = { reference, uid: current.uid, createdAt: at, chunks: bundle.chunks, lines: bundle.lines, counts: bundle.counts };
      tx.create(bundleRef, stored);
      tx.update(ref, { status: 'fulfilled', fulfilledAt: at, fulfilledBy: actor, fulfilmentNote: note ?? null, bundle });
      const ids: string[] = [];
      if (account) {
        recordActivity(tx, deps.db, current.uid, now, {
          actor,
          action: 'records.fulfilled',
          details: { reference, scope: current.scope, from: current.from, to: current.to, lines: bundle.lines },
        });
        const records = Object.values(bundle.counts).reduce((a, b) => a + b, 0);
        const mail = recordsFulfilledMail({
          locale: account.locale,
          reference,
          scopeLabel: SCOPE_LABELS[account.locale][current.scope],
          from: current.from,
          to: current.to,
          records,
          fulfilledAt: now,
          note: note ?? null,
          supportEmail: deps.config.SUPPORT_EMAIL,
        });
        ids.push(...mailOwner(tx, deps, account, now, 'records.fulfilled', mail, `recordRequests/${reference}`));
      }
      return { fulfilledAt: now, mailIds: ids };
    });
    deps.log.log('INFO', 'records.fulfilled', { reference, uid: request.uid, by: caller.uid, lines: bundle.lines, chunks: bundle.chunks });
    await deliverNow(deps, mailIds);
    return { reference, status: 'fulfilled', fulfilledAt: fulfilledAt.toISOString(), lines: bundle.lines, counts: bundle.counts };
  } catch (error) {
    // Nothing adopted these chunks: a lost race, a failed build or commit. The owner never sees them.
    if (!(await bundleRef.get()).exists) await discardBundle(deps.db, bundleRef);
    throw error;
  }
}

/** `adminFulfilRecordRequest({reference, note?})` → `{reference, status, fulfilledAt, lines, counts}`. Support or admin. */
export const adminFulfilRecordRequestSpec: SignedInCallableSpec<FulfilInput, FulfilledRequest, z.input<typeof input>> = {
  auth: 'required',
  roles: ['support', 'admin'],
  input,
  handler: (deps, request, { caller }) => adminFulfilRecordRequest(deps, caller, request),
};
