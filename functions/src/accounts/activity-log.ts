import type { Firestore } from 'firebase-admin/firestore';
import type { Caller } from '../shared/caller';
import { Timestamp } from '../shared/firestore-values';
import type { DocumentWrites } from '../shared/writes';
import { ACCOUNTS } from './model';

/** Who did something: a customer, a staff member, or the system itself (schedulers, triggers). */
export interface Actor {
  readonly uid: string | null;
  readonly role: 'customer' | 'support' | 'admin' | 'system';
}

/** The system as an actor: scheduled jobs and blocking functions. */
export const SYSTEM_ACTOR: Actor = { uid: null, role: 'system' };

/** The actor for a verified caller: staff act under their role, everyone else as a customer. */
export function actorOf(caller: Caller): Actor {
  return { uid: caller.uid, role: caller.role ?? 'customer' };
}

/** One line of the activity log (clause 1.1(a)): `accounts/{uid}/activity/{id}`. */
export interface ActivityEntry {
  readonly actor: Actor;
  /** Dotted verb, e.g. `account.created`, `apiKey.revoked`, `termination.requested`. */
  readonly action: string;
  readonly details?: Record<string, unknown>;
}

/**
 * Appends an activity entry inside the caller's transaction, so the log and the change it
 * describes commit together or not at all. Every state change in the system goes through here.
 */
export function recordActivity(tx: DocumentWrites, db: Firestore, uid: string, at: Date, entry: ActivityEntry): void {
  const ref = db.collection(ACCOUNTS).doc(uid).collection('activity').doc();
  tx.create(ref, {
    at: Timestamp.fromDate(at),
    actor: { uid: entry.actor.uid, role: entry.actor.role },
    action: entry.action,
    details: entry.details ?? {},
  });
}
