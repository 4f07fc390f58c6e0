import type { DocumentReference, Firestore, Timestamp as TimestampType } from 'firebase-admin/firestore';
import { Timestamp } from '../shared/firestore-values';
import { DAY_MS } from '../shared/input';

/** `signInHistory/{uid}`: where an account has signed in from lately. Internal, closed to clients. */
export const SIGN_IN_HISTORY = 'signInHistory';

/** One device or network, and when a sign-in last came from it. */
export interface SeenEntry {
  /** A device hash or a truncated network (sign-in-origin.ts), never a raw address. */
  id: string;
  lastSeen: TimestampType;
}

/** `signInHistory/{uid}` as stored. */
export interface SignInHistoryDoc {
  uid: string;
  /** The first sign-in we recorded: before it there is nothing to compare with. */
  since: TimestampType;
  devices: SeenEntry[];
  networks: SeenEntry[];
}

/** How long a device or network stays familiar without a sign-in from it. */
export const FAMILIAR_DAYS = 90;
/** The most devices and networks kept per account (the most recently seen). */
export const MAX_SEEN = 20;

export function signInHistoryRef(db: Firestore, uid: string): DocumentReference {
  return db.collection(SIGN_IN_HISTORY).doc(uid);
}

const recent = (entries: readonly SeenEntry[], now: Date): SeenEntry[] =>
  entries.filter((e) => now.getTime() - e.lastSeen.toMillis() < FAMILIAR_DAYS * DAY_MS);

function seen(entries: readonly SeenEntry[], id: string | null, now: Date): boolean {
  return id !== null && recent(entries, now).some((e) => e.id === id);
}

function touch(entries: readonly SeenEntry[], id: string | null, now: Date): SeenEntry[] {
  const kept = recent(entries, now).filter((e) => e.id !== id);
  const next = id === null ? kept : [{ id, lastSeen: Timestamp.fromDate(now) }, ...kept];
  return next.sort((a, b) => b.lastSeen.toMillis() - a.lastSeen.toMillis()).slice(0, MAX_SEEN);
}

/** What one sign-in does to the history. */
export interface SignInVerdict {
  /** True when the owner should hear of it: see `judgeSignIn`. */
  readonly unfamiliar: boolean;
  /** The history to store. */
  readonly next: SignInHistoryDoc;
}

/**
 * Whether a sign-in from `device` and `network` is unfamiliar, and the history after it. A sign-in
 * is unfamiliar when NEITHER its device NOR its network was seen in the last 90 days: a known
 * phone on a new mobile network, or a new browser at home, is the owner; an unknown device from an
 * unknown network is what a stolen password looks like. The first sign-in ever recorded (the
 * sign-up, or the first since this record began) sets the baseline and is not unfamiliar; after a
 * long absence the history is empty but present, so the next sign-in is unfamiliar.
 * Only the most recent 20 devices and networks seen within 90 days are kept.
 */
export function judgeSignIn(uid: string, stored: SignInHistoryDoc | undefined, device: string | null, network: string | null, now: Date): SignInVerdict {
  const devices = stored?.devices ?? [];
  const networks = stored?.networks ?? [];
  const unfamiliar = stored !== undefined && !seen(devices, device, now) && !seen(networks, network, now);
  return {
    unfamiliar,
    next: {
      uid,
      since: stored?.since ?? Timestamp.fromDate(now),
      devices: touch(devices, device, now),
      networks: touch(networks, network, now),
    },
  };
}
