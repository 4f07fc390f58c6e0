import type { Timestamp } from 'firebase-admin/firestore';

/** `accounts/{uid}/apiKeys/{keyId}`: never readable by clients. */
export interface ApiKeyDoc {
  label: string;
  hash: string;
  prefix: string;
  createdAt: Timestamp;
  lastUsedAt: Timestamp | null;
  revokedAt: Timestamp | null;
}

/** `apiKeyIndex/{hash}`: finds a key's owner from the presented key in one read. */
export interface ApiKeyIndexDoc {
  uid: string;
  keyId: string;
}

/** Live keys one account may hold at once. */
export const MAX_LIVE_KEYS = 10;

/**
 * `lastUsedAt` is written at most this often per key, so a busy integration costs no write per
 * call, and each write is an `apiKey.used` activity entry: key use is on the record (clause 5.8)
 * once an hour per key.
 */
export const LAST_USED_RESOLUTION_MS = 60 * 60_000;
