import type { Timestamp } from 'firebase-admin/firestore';

/** A stored timestamp as the ISO-8601 UTC string clients receive (DESIGN §5). */
export function iso(at: Timestamp): string;
export function iso(at: Timestamp | null): string | null;
export function iso(at: Timestamp | null): string | null {
  return at === null ? null : at.toDate().toISOString();
}
