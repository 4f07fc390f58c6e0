import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Timestamp } from '../shared/firestore-values';
import type { RateLimitRule } from '../shared/rate-limit';

/**
 * `contactEmailChallenges/{uid}` (closed to clients): the one pending contact address of an
 * account and the hash of the code mailed to it. Not a field of `accounts/{uid}`, which its owner
 * may read: six digits are guessed offline from a readable hash in a second.
 */
export interface ContactChallengeDoc {
  email: string;
  /** SHA-256 of salt, uid, address and code. */
  codeHash: string;
  salt: string;
  createdAt: Timestamp;
  expiresAt: Timestamp;
  /** Wrong codes still allowed; at 0 the challenge is gone and a new code is needed. */
  attemptsLeft: number;
}

/** The collection of pending contact addresses. */
export const CONTACT_CHALLENGES = 'contactEmailChallenges';

/** How long a code works: long enough to open the mail on another device. */
export const CODE_TTL_MINUTES = 30;

/** Wrong codes allowed per mailed code: 5 guesses in 1,000,000. */
export const CODE_ATTEMPTS = 5;

/** Codes one account may ask for: 5 an hour (each is a mail we send). */
export const PER_ACCOUNT: RateLimitRule = { name: 'contactEmail.account', limit: 5, windowSeconds: 3600 };

/** Codes one mailbox may receive, whoever asks: 3 an hour, so nobody uses us to flood an inbox. */
export const PER_ADDRESS: RateLimitRule = { name: 'contactEmail.address', limit: 3, windowSeconds: 3600 };

/** Six random digits. */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** A fresh salt for one challenge. */
export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/** The stored hash of `code` for this account and address. */
export function codeHash(salt: string, uid: string, email: string, code: string): string {
  return createHash('sha256').update(`${salt}\n${uid}\n${email}\n${code}`, 'utf8').digest('hex');
}

/** Whether `code` is the one `challenge` was made for, compared in constant time. */
export function codeMatches(challenge: ContactChallengeDoc, uid: string, code: string): boolean {
  const given = Buffer.from(codeHash(challenge.salt, uid, challenge.email, code), 'hex');
  const stored = Buffer.from(challenge.codeHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
