import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Firestore, Transaction } from 'firebase-admin/firestore';
import { Timestamp } from './firestore-values';
import { AppError } from './errors';

/** At most `limit` events per `windowSeconds`, counted over a sliding window. */
export interface RateLimitRule {
  /** Stable name, part of the bucket id, e.g. `incident.contact`. */
  readonly name: string;
  readonly limit: number;
  readonly windowSeconds: number;
}

/** One bucket to charge: a rule and whose events it counts (an address, a uid, an IP). */
export interface RateLimitCharge {
  readonly rule: RateLimitRule;
  readonly key: string;
}

/** What the sliding window says about one more event. */
export type RateLimitDecision =
  | { readonly allowed: true; readonly hits: readonly number[] }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * The sliding-window rule, pure: `hits` are the instants (ms) of earlier events. The event at
 * `nowMs` is allowed when fewer than `limit` of them fall in the last `windowSeconds`; the answer
 * then carries the hits to store (those still in the window, plus this one). When refused, it
 * says how long until the oldest counted event leaves the window and a slot frees up.
 */
export function decideRateLimit(hits: readonly number[], nowMs: number, rule: RateLimitRule): RateLimitDecision {
  const windowMs = rule.windowSeconds * 1000;
  const live = hits.filter((t) => t > nowMs - windowMs).sort((a, b) => a - b);
  if (live.length < rule.limit) return { allowed: true, hits: [...live, nowMs] };
  // The window must drop to limit-1 events before one more fits.
  const freeing = live[live.length - rule.limit] ?? nowMs;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((freeing + windowMs - nowMs) / 1000)) };
}

/**
 * The id of `rateLimits/{id}` for a charge: a SHA-256 of rule and key, so the collection holds
 * no addresses or IPs in clear.
 */
export function bucketId(rule: RateLimitRule, key: string): string {
  return createHash('sha256').update(`${rule.name}\u0000${key}`, 'utf8').digest('hex');
}

/** `rateLimits/{id}` as stored. `expiresAt` is when it can be dropped (a TTL policy may use it). */
export interface RateLimitDoc {
  rule: string;
  hits: Timestamp[];
  expiresAt: Timestamp;
}

/**
 * The bucket key for a client IP: IPv4 as it is (also when mapped into IPv6), IPv6 by its /64,
 * since one subscriber usually holds a whole /64 and could otherwise rotate through it.
 */
export function ipBucketKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

// Gmail ignores dots in the local part and serves both domains from one mailbox.
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The bucket key for a mail address: one key per mailbox, so spellings that reach the same inbox
 * share a bucket. Lower-cased; a `+tag` is dropped from the local part (`a+1@x` and `A+2@X` are
 * `a@x`); for gmail.com and googlemail.com dots are dropped too and the domain is gmail.com, since
 * Gmail delivers `j.doe@` and `jdoe@` to the same person. Other providers' rules (dots elsewhere,
 * `-` tags) are not guessed: merging two real mailboxes would limit strangers together. Only
 * ever a key: mail still goes to the address as given.
 */
export function mailboxKey(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 0) return lower;
  let local = lower.slice(0, at).split('+')[0] ?? '';
  let domain = lower.slice(at + 1);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}

/**
 * Reads and decides every bucket of `charges` inside the caller's transaction; throws
 * RESOURCE_EXHAUSTED (details `retryAfterSeconds`, the longest wait of the refused buckets) when
 * any is full. Otherwise returns the writes that record this event, to run in the transaction's
 * write phase. Because the buckets are read and written in the same transaction as the event, a
 * refused or failed event is never counted and concurrent events cannot overshoot the limit.
 * Firestore wants all reads before any write: call it after the transaction's other reads.
 */
export async function chargeRateLimits(
  tx: Transaction,
  db: Firestore,
  now: Date,
  charges: readonly RateLimitCharge[],
): Promise<() => void> {
  if (charges.length === 0) return () => undefined;
  const refs = charges.map((c) => db.collection('rateLimits').doc(bucketId(c.rule, c.key)));
  const snaps = await tx.getAll(...refs);
  const decisions = charges.map((charge, i) => {
    const stored = snaps[i]?.data() as RateLimitDoc | undefined;
    const hits = (stored?.hits ?? []).map((t) => t.toMillis());
    return decideRateLimit(hits, now.getTime(), charge.rule);
  });
  const waits = decisions.flatMap((d) => (d.allowed ? [] : [d.retryAfterSeconds]));
  if (waits.length > 0) {
    const retryAfterSeconds = Math.max(...waits);
    throw new AppError(
      'RATE_LIMITED',
      `Too many requests: try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
      { retryAfterSeconds },
    );
  }
  return () => {
    decisions.forEach((decision, i) => {
      const ref = refs[i];
      const charge = charges[i];
      if (!decision.allowed || !ref || !charge) return;
      const doc: RateLimitDoc = {
        rule: charge.rule.name,
        hits: decision.hits.map((t) => Timestamp.fromMillis(t)),
        expiresAt: Timestamp.fromMillis(now.getTime() + charge.rule.windowSeconds * 1000),
      };
      tx.set(ref, doc);
    });
  };
}
