import { randomUUID } from 'node:crypto';
import type { DocumentReference } from 'firebase-admin/firestore';
import type { AccountDoc, FinaliseLease } from '../accounts/model';
import type { Deps } from '../deps';
import { Timestamp } from '../shared/firestore-values';

/**
 * How long a finaliser owns an account it claimed. Shorter than the 5-minute schedule, so the run
 * after a crash always finds the lease expired and takes over; renewed while the work goes on.
 */
export const FINALISE_LEASE_MS = 120_000;
const RENEW_EVERY_MS = 30_000;

/**
 * `accounts/{uid}.finaliseLease` (`FinaliseLease`, accounts/model.ts): who is finalising the
 * account and until when. It only saves double work: every step is idempotent, so two finalisers
 * at once (a lease that ran out, clocks apart) still produce one result.
 */
export type { FinaliseLease };

/** A new holder id for one finalisation. */
export function newHolder(): string {
  return randomUUID();
}

/** True when `lease` belongs to someone else and has not run out at `now`. */
export function heldByOther(lease: FinaliseLease | null | undefined, holder: string, now: Date): boolean {
  return !!lease && lease.holder !== holder && lease.until.toMillis() > now.getTime();
}

/** The lease to write for `holder` from `now`. */
export function leaseFor(holder: string, now: Date): FinaliseLease {
  return { holder, until: Timestamp.fromMillis(now.getTime() + FINALISE_LEASE_MS) };
}

/**
 * Keeps `holder`'s lease on `ref` alive while a long destruction runs; stop it when done. A
 * renewal that fails (or finds the lease taken over) is only logged: correctness never rests on
 * the lease.
 */
export function keepLease(deps: Deps, ref: DocumentReference<AccountDoc>, holder: string): () => void {
  const timer = setInterval(() => {
    deps.db
      .runTransaction(async (tx) => {
        const lease = (await tx.get(ref)).data()?.finaliseLease;
        if (lease?.holder === holder) tx.update(ref, { finaliseLease: leaseFor(holder, deps.clock.now()) });
      })
      .catch((error: unknown) => deps.log.log('WARNING', 'lifecycle.lease_renew_failed', { path: ref.path, error }));
  }, RENEW_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Gives the lease up after a failure, so the next run need not wait for it to run out. Best effort. */
export async function releaseLease(deps: Deps, ref: DocumentReference<AccountDoc>, holder: string): Promise<void> {
  try {
    await deps.db.runTransaction(async (tx) => {
      const lease = (await tx.get(ref)).data()?.finaliseLease;
      if (lease?.holder === holder) tx.update(ref, { finaliseLease: null });
    });
  } catch (error) {
    deps.log.log('WARNING', 'lifecycle.lease_release_failed', { path: ref.path, error });
  }
}
