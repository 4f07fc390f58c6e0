import type { Timestamp } from 'firebase-admin/firestore';
import type { Actor } from '../accounts/activity-log';
import type { Locale } from '../accounts/model';

/** Which records a customer may ask support for (agreement clause 5.8). */
export const RECORD_SCOPES = ['activity', 'security', 'all'] as const;
export type RecordScope = (typeof RECORD_SCOPES)[number];

/** The kinds of records a bundle holds, each one NDJSON line per document. */
export const RECORD_KINDS = ['activity', 'incident', 'incidentHistory', 'invoice'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Lines per kind of record in a bundle. */
export type RecordCounts = Record<RecordKind, number>;

/** Where a fulfilled request's records are: `recordBundles/{id}` and its `chunks`. */
export interface BundleRef {
  id: string;
  /** Chunk documents, `chunks/000000` to `chunks/{chunks-1}`. */
  chunks: number;
  /** NDJSON lines in all, the first (the request) and the last (the end marker) included. */
  lines: number;
  counts: RecordCounts;
}

/** `recordRequests/{reference}` as stored. Never client-readable: the owner downloads with `exportRecords`. */
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
  /** The customer's note. */
  note: string | null;
  status: 'received' | 'fulfilled';
  createdAt: Timestamp;
  /** Set by `adminFulfilRecordRequest`, with the staff member and their note. */
  fulfilledAt?: Timestamp | null;
  fulfilledBy?: Actor | null;
  fulfilmentNote?: string | null;
  bundle?: BundleRef | null;
  /** When ops were told the request was still unfulfilled after 7 days (once). */
  overdueAlertedAt?: Timestamp | null;
}

/** `recordBundles/{id}`: the records as fulfilled, immutable; its `chunks/{n}` hold `{text}` of whole NDJSON lines. */
export interface RecordBundleDoc {
  reference: string;
  uid: string;
  createdAt: Timestamp;
  chunks: number;
  lines: number;
  counts: RecordCounts;
}

/** `recordBundles/{id}/chunks/{n}`. */
export interface RecordChunkDoc {
  /** The request it answers, for audits of what was sent. */
  reference: string;
  index: number;
  text: string;
}

/** The top-level collection of bundles: closed to clients like every record. */
export const RECORD_BUNDLES = 'recordBundles';

/** Chunk document ids sort as their numbers do. */
export const chunkId = (index: number): string => String(index).padStart(6, '0');
