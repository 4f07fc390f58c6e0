import { randomInt } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import { getDeps } from '../../src/deps';
import { deliverNow } from '../../src/mail/deliver-now';
import { bucketId, type RateLimitRule } from '../../src/shared/rate-limit';
import { rawCall, setClaims, uniqueEmail, type TestClient } from '../support/client';
import { waitForMail, type CapturedMail } from '../support/maildev';

export const PASSWORD = 'correct horse battery';
const db = () => getDeps().db;

// Where this module's run of /64s starts. Not the process id: jest may run several files in one
// process, each with its own copy of this module, and their counters would then meet.
let ipCounter = randomInt(0, 2 ** 32 - 0x10000);

/**
 * A client IP of its own for each caller, sent as X-Forwarded-For (as the load balancer would), so
 * tests do not share the per-IP bucket: a /64 of the IPv6 documentation prefix 2001:db8::/32 per
 * call, counting up from a random start (two files overlap with odds of about one in 10^7). Only
 * a header value, never a destination.
 */
export function uniqueIp(): string {
  ipCounter += 1;
  return `2001:db8:${(ipCounter >>> 16).toString(16)}:${(ipCounter & 0xffff).toString(16)}::1`;
}

/** A valid anonymous report from `contactEmail`, with `overrides`. */
export function anonymousReport(contactEmail = uniqueEmail('reporter'), overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    category: 'account-compromise',
    summary: 'Someone signed in to my store from another country',
    description: 'I received a sign-in notice at 03:12 that I did not make.\nThe orders page shows orders I did not place.',
    contactEmail,
    ...overrides,
  };
}

export type RawAnswer = Awaited<ReturnType<typeof rawCall>>;

/** POSTs `data` to a callable over plain HTTP, from `ip` (X-Forwarded-For), with an ID token if given. */
export function call(baseUrl: string, name: string, data: unknown, options: { ip?: string; token?: string } = {}): Promise<RawAnswer> {
  const headers: Record<string, string> = { 'X-Forwarded-For': options.ip ?? uniqueIp() };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  return rawCall(`${baseUrl}/${name}`, { body: JSON.stringify({ data }), headers });
}

/** A verified email+password user made with the Admin SDK, signed in on `client`. */
export async function verifiedUser(client: TestClient, tag = 'incident'): Promise<{ uid: string; email: string; token: string }> {
  const email = uniqueEmail(tag);
  await getDeps().auth.createUser({ email, password: PASSWORD, emailVerified: true });
  const { uid, token } = await client.signIn(email, PASSWORD);
  return { uid, email, token };
}

/** A verified user with the staff `role` claim, signed in on `client` with a refreshed token. */
export async function staffUser(client: TestClient, role: 'support' | 'admin'): Promise<{ uid: string; email: string; token: string }> {
  const user = await verifiedUser(client, role);
  await setClaims(user.uid, { role });
  const token = (await client.auth.currentUser?.getIdToken(true)) ?? '';
  return { ...user, token };
}


/** Stored incidents whose reporter contact is `email`. */
export async function incidentsFrom(email: string): Promise<Array<Record<string, unknown>>> {
  const snap = await db().collection('incidents').where('reporter.email', '==', email).get();
  return snap.docs.map((d) => d.data());
}

/** Outbox messages addressed to `email`. */
export async function outboxTo(email: string): Promise<Array<Record<string, unknown>>> {
  const snap = await db().collection('mail').where('to', 'array-contains', email).get();
  return snap.docs.map((d) => d.data());
}

/** The stored hits of one rate-limit bucket (empty when it does not exist). */
export async function bucketHits(rule: RateLimitRule, key: string): Promise<number> {
  const snap = await db().collection('rateLimits').doc(bucketId(rule, key)).get();
  return ((snap.get('hits') as unknown[] | undefined) ?? []).length;
}

/** Writes a rate-limit bucket holding hits at the given instants, as earlier events would have. */
export async function seedBucket(rule: RateLimitRule, key: string, hits: readonly Date[]): Promise<void> {
  await db().collection('rateLimits').doc(bucketId(rule, key)).set({
    rule: rule.name,
    hits: hits.map((h) => Timestamp.fromDate(h)),
    expiresAt: Timestamp.fromMillis(Math.max(...hits.map((h) => h.getTime())) + rule.windowSeconds * 1000),
  });
}

/** `n` instants spread over the last `minutes` minutes, oldest first. */
export function recentHits(n: number, minutes = 30): Date[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => new Date(now - (minutes * 60_000 * (n - i)) / (n + 1)));
}

/** The Reply-To the outbox was asked to send for the `kind` message about `related` (e.g. `incidents/INC-…`). */
export async function outboxReplyTo(related: string, kind: string): Promise<string | null | undefined> {
  const snap = await db().collection('mail').where('related', '==', related).where('kind', '==', kind).get();
  return snap.docs[0]?.get('replyTo') as string | null | undefined;
}

/** Outbox messages about `related` documents that are not `sent`, by id, with why. */
async function unsent(related: readonly string[]): Promise<Array<{ id: string; why: string }>> {
  const chunks = Array.from({ length: Math.ceil(related.length / 30) }, (_, i) => related.slice(i * 30, i * 30 + 30));
  const snaps = await Promise.all(chunks.map((part) => db().collection('mail').where('related', 'in', part).get()));
  return snaps
    .flatMap((q) => q.docs)
    .filter((d) => d.get('status') !== 'sent')
    .map((d) => ({ id: d.id, why: `${String(d.get('related'))}: ${String(d.get('status'))} ${String(d.get('lastError'))}` }));
}

/**
 * Waits for mail about `related` documents (e.g. `incidents/INC-…`) to reach MailDev. A message
 * the SMTP server refused for the moment (a 4xx) stays pending in the outbox for the next
 * `deliverMail` sweep, a minute later: when mail is missing, this runs that retry at once (as the
 * sweep would) before waiting again, and on failure says which messages are unsent and why.
 */
export async function waitForOutboxMail(
  predicate: (mail: CapturedMail) => boolean,
  related: readonly string[],
  { count = 1, timeoutMs = 10_000 }: { count?: number; timeoutMs?: number } = {},
): Promise<CapturedMail[]> {
  try {
    return await waitForMail(predicate, { count, timeoutMs });
  } catch {
    const retry = await unsent(related);
    await Promise.all(retry.map(({ id }) => db().collection('mail').doc(id).update({ nextAttemptAt: Timestamp.now() })));
    await deliverNow(getDeps(), retry.map((r) => r.id));
    return waitForMail(predicate, { count, timeoutMs }).catch(async (error: Error) => {
      throw new Error(`${error.message}; unsent outbox messages: ${JSON.stringify((await unsent(related)).map((u) => u.why))}`);
    });
  }
}

export { callError } from '../support/client';
