import type { Timestamp } from 'firebase-admin/firestore';
import type { Locale } from '../accounts/model';

/** Which records a customer may ask support for (agreement clause 5.8). */
export const RECORD_SCOPES = ['activity', 'security', 'all'] as const;
export type RecordScope = (typeof RECORD_SCOPES)[number];

/** `recordRequests/{reference}` as stored. Never client-readable; support answers by email. */
export interface RecordRequestDoc {
  reference: string;
  uid: string;
  /** The account's address when the request was made: where support answers. */
  email: string | null;
  locale: Locale;
  scope: RecordScope;
  /** Inclusive range of Taipei calendar dates (`YYYY-MM-DD`); null for open-ended. */
  from: string | null;
  to: string | null;
  note: string | null;
  status: 'received';
  createdAt: Timestamp;
}
