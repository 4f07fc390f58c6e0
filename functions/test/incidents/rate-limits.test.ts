import fc from 'fast-check';
import { INCIDENT_RATE_LIMITS } from '../../src/incidents/report-incident';
import { getDeps } from '../../src/deps';
import { bucketId, decideRateLimit, ipBucketKey, mailboxKey, type RateLimitRule } from '../../src/shared/rate-limit';
import { uniqueEmail } from '../support/client';
import { anonymousReport, bucketHits, call, incidentsFrom, outboxTo, recentHits, seedBucket, uniqueIp, verifiedUser } from './helpers';
import { useLocalFunctions } from '../support/local';

const HOUR_MS = 3_600_000;
const rule: RateLimitRule = { name: 'test', limit: 5, windowSeconds: 3600 };

describe('the sliding window (pure)', () => {
  const t0 = Date.UTC(2026, 0, 1);

  it('when fewer than limit events fall in the window, then the next is allowed and recorded', () => {
    expect(decideRateLimit([], t0, rule)).toEqual({ allowed: true, hits: [t0] });
    const four = [t0 - 40 * 60_000, t0 - 30 * 60_000, t0 - 20 * 60_000, t0 - 10 * 60_000];
    expect(decideRateLimit(four, t0, rule)).toEqual({ allowed: true, hits: [...four, t0] });
  });

  it('when limit events fall in the window, then refused until the oldest leaves it', () => {
    const five = [50, 40, 30, 20, 10].map((m) => t0 - m * 60_000);
    expect(decideRateLimit(five, t0, rule)).toEqual({ allowed: false, retryAfterSeconds: 10 * 60 });
    // One millisecond before the oldest leaves: still refused, and the wait rounds up.
    expect(decideRateLimit(five, t0 + 10 * 60_000 - 1, rule)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // Once it has left, the window holds four: allowed, and the expired hit is dropped.
    const later = t0 + 10 * 60_000;
    expect(decideRateLimit(five, later, rule)).toEqual({ allowed: true, hits: [...five.slice(1).sort((a, b) => a - b), later] });
  });

  it('when every hit is older than the window, then the bucket starts afresh (the reset)', () => {
    const old = Array.from({ length: 50 }, (_, i) => t0 - HOUR_MS - i);
    expect(decideRateLimit(old, t0, rule)).toEqual({ allowed: true, hits: [t0] });
  });

  it('property: whatever the history, at most limit events are ever allowed in any window, and a refusal names a wait within the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 * HOUR_MS }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        (times, limit) => {
          const r: RateLimitRule = { name: 'p', limit, windowSeconds: 3600 };
          let hits: readonly number[] = [];
          const allowed: number[] = [];
          const problems: string[] = [];
          for (const t of [...times].sort((a, b) => a - b)) {
            const d = decideRateLimit(hits, t, r);
            const inWindow = allowed.filter((a) => a > t - HOUR_MS).length;
            if (d.allowed) {
              hits = d.hits;
              allowed.push(t);
              if (inWindow >= limit) problems.push(`allowed at ${t} with ${inWindow} in the window`);
            } else {
              if (inWindow < limit) problems.push(`refused at ${t} with only ${inWindow} in the window`);
              if (d.retryAfterSeconds < 1 || d.retryAfterSeconds > 3600) problems.push(`wait ${d.retryAfterSeconds}s at ${t}`);
            }
          }
          expect(problems).toEqual([]);
        },
      ),
    );
  });

  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['', ''],
  ])('when the client IP is %p, then its bucket key is %p (IPv6 by /64)', (ip, key) => {
    expect(ipBucketKey(ip)).toBe(key);
  });

  it.each([
    ['Mei@Example.TEST', 'mei@example.test'],
    ['a+1@x.test', 'a@x.test'],
    ['A+2@X.TEST', 'a@x.test'],
    ['a+b+c@x.test', 'a@x.test'],
    ['+tag@x.test', '@x.test'],
    ['J.Doe+news@gmail.com', 'jdoe@gmail.com'],
    ['j.d.o.e@googlemail.com', 'jdoe@gmail.com'],
    // Dots matter everywhere else: two real mailboxes are never merged on a guess.
    ['j.doe@example.test', 'j.doe@example.test'],
    ['j-doe-tag@example.test', 'j-doe-tag@example.test'],
  ])('when the address is %p, then its mailbox key is %p', (address, key) => {
    expect(mailboxKey(address)).toBe(key);
  });
});

describe('reportIncident rate limits over HTTP', () => {
  const local = useLocalFunctions();
  const report = (data: unknown, options: { ip?: string; token?: string } = {}) => call(local.server.baseUrl, 'reportIncident', data, options);

  it('when one contact address sends a 6th report within the hour, then RESOURCE_EXHAUSTED with retryAfterSeconds, and refused reports before it did not count', async () => {
    const contact = uniqueEmail('limited');
    // Refused by validation: none of these counts.
    for (const bad of [{ summary: '' }, { category: 'nope' }, { description: '\u0000' }]) {
      expect((await report({ ...anonymousReport(contact), ...bad })).status).toBe(400);
    }
    await expect(bucketHits(INCIDENT_RATE_LIMITS.contact, contact)).resolves.toBe(0);
    for (let i = 0; i < 5; i += 1) expect((await report(anonymousReport(contact))).status).toBe(200);

    // Another IP and the address in other case: the address bucket still holds.
    const refused = await report(anonymousReport(contact.toUpperCase()));
    expect(refused.status).toBe(429);
    expect(refused.json?.error).toMatchObject({ status: 'RESOURCE_EXHAUSTED', details: { reason: 'RATE_LIMITED' } });
    const wait = refused.json?.error?.details?.retryAfterSeconds as number;
    expect(wait).toBeGreaterThan(3500);
    expect(wait).toBeLessThanOrEqual(3600);
    expect(await incidentsFrom(contact)).toHaveLength(5);
    await expect(bucketHits(INCIDENT_RATE_LIMITS.contact, contact)).resolves.toBe(5);
  });

  it('when the hour has passed (the bucket holds only old hits), then the address may report again', async () => {
    const contact = uniqueEmail('reset');
    await seedBucket(INCIDENT_RATE_LIMITS.contact, contact, recentHits(5).map((d) => new Date(d.getTime() - HOUR_MS)));
    expect((await report(anonymousReport(contact))).status).toBe(200);
    await expect(bucketHits(INCIDENT_RATE_LIMITS.contact, contact)).resolves.toBe(1);
  });

  it('when the oldest of 5 recent hits is about to leave the window, then retryAfterSeconds says so', async () => {
    const contact = uniqueEmail('almost');
    const oldest = new Date(Date.now() - HOUR_MS + 120_000);
    await seedBucket(INCIDENT_RATE_LIMITS.contact, contact, [oldest, ...recentHits(4, 10)]);
    const refused = await report(anonymousReport(contact));
    expect(refused.status).toBe(429);
    const wait = refused.json?.error?.details?.retryAfterSeconds as number;
    expect(wait).toBeGreaterThan(60);
    expect(wait).toBeLessThanOrEqual(120);
  });

  it('when one local.client IP has sent 60 reports this hour, then the 61st is refused whatever the address, while another IP may still report', async () => {
    const ip = uniqueIp();
    await seedBucket(INCIDENT_RATE_LIMITS.ip, ipBucketKey(ip), recentHits(60));
    const contact = uniqueEmail('fresh');
    const refused = await report(anonymousReport(contact), { ip });
    expect(refused.status).toBe(429);
    expect(refused.json?.error?.details?.reason).toBe('RATE_LIMITED');
    await expect(incidentsFrom(contact)).resolves.toEqual([]);
    // The refused report charged neither bucket.
    await expect(bucketHits(INCIDENT_RATE_LIMITS.contact, contact)).resolves.toBe(0);
    await expect(bucketHits(INCIDENT_RATE_LIMITS.ip, ipBucketKey(ip))).resolves.toBe(60);
    expect((await report(anonymousReport(contact))).status).toBe(200);
  });

  it('when X-Forwarded-For carries an IPv6 address, then its /64 shares one bucket', async () => {
    const base = uniqueIp().replace(/::1$/, '');
    await seedBucket(INCIDENT_RATE_LIMITS.ip, ipBucketKey(`${base}::1`), recentHits(60));
    const refused = await report(anonymousReport(), { ip: `${base}:abcd:1234:5678:9abc` });
    expect(refused.status).toBe(429);
  });

  it('when a signed-in user has sent 20 reports this hour, then the 21st is refused', async () => {
    const { uid, token } = await verifiedUser(local.client);
    const ip = uniqueIp();
    await seedBucket(INCIDENT_RATE_LIMITS.uid, uid, recentHits(19));
    const twentieth = await report({ ...anonymousReport(), contactEmail: undefined }, { token, ip });
    expect(twentieth.status).toBe(200);
    const refused = await report({ ...anonymousReport(), contactEmail: undefined }, { token, ip });
    expect(refused.status).toBe(429);
    expect(refused.json?.error).toMatchObject({ status: 'RESOURCE_EXHAUSTED', details: { reason: 'RATE_LIMITED' } });
    await expect(bucketHits(INCIDENT_RATE_LIMITS.uid, uid)).resolves.toBe(20);
  });

  it('when anonymous reports go to a+1@…, A+2@…, a+3@… and so on, then they count as one mailbox: the 6th is refused', async () => {
    const [local0 = '', domain = ''] = uniqueEmail('plus').split('@');
    const variant = (i: number) => (i % 2 === 0 ? `${local0}+${i}@${domain}` : `${local0.toUpperCase()}+${i}@${domain.toUpperCase()}`);
    for (let i = 1; i <= 5; i += 1) expect((await report(anonymousReport(variant(i)))).status).toBe(200);
    const refused = await report(anonymousReport(variant(6)));
    expect(refused.status).toBe(429);
    expect(refused.json?.error?.details?.reason).toBe('RATE_LIMITED');
    expect((await report(anonymousReport(`${local0}@${domain}`))).status).toBe(429);
    await expect(bucketHits(INCIDENT_RATE_LIMITS.contact, `${local0}@${domain}`)).resolves.toBe(5);
    await expect(outboxTo(variant(6))).resolves.toEqual([]);
  });

  it.each([
    ['a verified user', true],
    ['a brand-new user who never verified their address', false],
  ])('when %s asks for acknowledgements to a foreign address, then the 6th within the hour is refused, and anonymous reports to it share the limit', async (_who, verified) => {
    const token = verified ? (await verifiedUser(local.client)).token : (await local.client.signUp()).token;
    const victim = uniqueEmail('victim');
    const tagged = (i: number) => victim.replace('@', `+${i}@`);
    for (let i = 1; i <= 5; i += 1) expect((await report(anonymousReport(tagged(i)), { token })).status).toBe(200);

    const refused = await report(anonymousReport(tagged(6)), { token });
    expect(refused.status).toBe(429);
    expect(refused.json?.error).toMatchObject({ status: 'RESOURCE_EXHAUSTED', details: { reason: 'RATE_LIMITED' } });
    expect((await report(anonymousReport(victim))).status).toBe(429);
    await expect(bucketHits(INCIDENT_RATE_LIMITS.contact, victim)).resolves.toBe(5);
    const acks = await Promise.all(Array.from({ length: 6 }, (_, i) => outboxTo(tagged(i + 1))));
    expect(acks.map((a) => a.length)).toEqual([1, 1, 1, 1, 1, 0]);
  });

  it('when a signed-in user reports from an IP that has sent 60 reports this hour, then refused like anyone else from it, and nothing is charged', async () => {
    const { uid, email, token } = await verifiedUser(local.client);
    const ip = uniqueIp();
    await seedBucket(INCIDENT_RATE_LIMITS.ip, ipBucketKey(ip), recentHits(60));
    const refused = await report({ ...anonymousReport(), contactEmail: undefined }, { token, ip });
    expect(refused.status).toBe(429);
    expect(refused.json?.error?.details?.reason).toBe('RATE_LIMITED');
    await expect(incidentsFrom(email)).resolves.toEqual([]);
    await expect(bucketHits(INCIDENT_RATE_LIMITS.uid, uid)).resolves.toBe(0);
    expect((await report({ ...anonymousReport(), contactEmail: undefined }, { token })).status).toBe(200);
  });

  it('when a verified user has acknowledgements sent to their own address (in any spelling), then the mailbox limit does not apply: the account limit does', async () => {
    const { uid, email, token } = await verifiedUser(local.client);
    const spellings = [undefined, email.toUpperCase(), email.replace('@', '+incident@'), undefined, email, undefined];
    for (const contactEmail of spellings) expect((await report({ ...anonymousReport(), contactEmail }, { token })).status).toBe(200);
    await expect(bucketHits(INCIDENT_RATE_LIMITS.contact, email)).resolves.toBe(0);
    await expect(bucketHits(INCIDENT_RATE_LIMITS.uid, uid)).resolves.toBe(6);
  });

  it('when a report is charged, then every bucket it writes carries expiresAt (the TTL field) one window after its newest hit', async () => {
    const { uid, token } = await verifiedUser(local.client);
    const ip = uniqueIp();
    const contact = uniqueEmail('ttl');
    expect((await report(anonymousReport(contact), { token, ip })).status).toBe(200);
    const buckets = [
      bucketId(INCIDENT_RATE_LIMITS.uid, uid),
      bucketId(INCIDENT_RATE_LIMITS.ip, ipBucketKey(ip)),
      bucketId(INCIDENT_RATE_LIMITS.contact, mailboxKey(contact)),
    ];
    const docs = await Promise.all(buckets.map((id) => getDeps().db.collection('rateLimits').doc(id).get()));
    for (const doc of docs) {
      const { hits, expiresAt } = doc.data() as { hits: Array<{ toMillis(): number }>; expiresAt: { toMillis(): number } };
      expect(hits).toHaveLength(1);
      expect(expiresAt.toMillis()).toBe((hits[0]?.toMillis() ?? 0) + 3_600_000);
    }
  });

  it('when 8 reports from one address race, then exactly 5 are stored: concurrent reports cannot overshoot', async () => {
    const contact = uniqueEmail('race');
    const answers = await Promise.all(Array.from({ length: 8 }, () => report(anonymousReport(contact))));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(await incidentsFrom(contact)).toHaveLength(5);
  });
});
