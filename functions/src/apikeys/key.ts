import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'opk_';
/** Characters of the key shown in listings so owners can tell keys apart. */
const VISIBLE_CHARS = 12;

/** A new personal API key: `opk_` + 256 random bits, base64url. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, VISIBLE_CHARS), hash: hashApiKey(key) };
}

/**
 * SHA-256 of the key, hex. A fast hash is enough: the key carries 256 bits of entropy, so there
 * is nothing to brute-force; only the hash is ever stored (clause 1.3).
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** True when the string has the shape of a key we issue (cheap rejection before any read). */
export function looksLikeApiKey(key: string): boolean {
  return /^opk_[A-Za-z0-9_-]{43}$/.test(key);
}
