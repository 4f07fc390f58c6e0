import * as functions from '@google-cloud/functions-framework';
import { OAuthProvider, signInWithCredential } from 'firebase/auth';
import type { ActivityView } from '../../src/activity/list-activity';
import { createDeps, getDeps, type Deps } from '../../src/deps';
import { blocking } from '../../src/http/blocking';
import { beforeSignIn } from '../../src/identity/before-sign-in';
import { deliverNow } from '../../src/mail/deliver-now';
import { fixedClock } from '../../src/shared/clock';
import { formatTaipei } from '../../src/shared/taipei';
import { emulatorBlockingToken, registerBlockingFunctions } from '../support/blocking';
import { rawCall, uniqueEmail } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { sentTo, waitForMail } from '../support/maildev';

// Clauses 1.1(a) and 5.8: every sign-in is on the record, and one from an unfamiliar device and
// network reaches the owner. Real sign-ins through the Auth emulator (which always reports
// 127.0.0.1 and a placeholder user agent), and Identity Platform-style tokens from elsewhere
// POSTed to the same blocking endpoint, as Identity Platform does in production.

const clock = fixedClock(new Date());
const atTestClock = (deps: Deps): Deps =>
  createDeps(deps.config, { clock, db: deps.db, auth: deps.auth, mailer: deps.mailer, log: deps.log });
functions.http('beforeSignInAtTestClock', blocking('beforeSignIn', (deps, event) => beforeSignIn(atTestClock(deps), event)));

const local = useLocalFunctions(['beforeSignInAtTestClock']);
beforeAll(async () => {
  await registerBlockingFunctions(local.server.baseUrl);
});
afterAll(async () => {
  // The registration is global to the emulator: other test files must not be routed to a closed port.
  await registerBlockingFunctions(null);
});
beforeEach(async () => {
  await local.client.auth.signOut();
});

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const db = () => getDeps().db;

/** A verified email+password user whose account exists, signed up through the emulator (the baseline sign-in). */
async function signedUp(tag: string): Promise<{ uid: string; email: string }> {
  const email = uniqueEmail(tag);
  const { uid } = await local.client.signUp(email, PASSWORD);
  await getDeps().auth.updateUser(uid, { emailVerified: true });
  await db().collection('accounts').doc(uid).update({ emailVerified: true });
  await local.client.auth.signOut();
  return { uid, email };
}

/** A beforeSignIn as Identity Platform sends it for `uid`, from `ip` with `userAgent`, to `route`. */
function signInFrom(route: 'beforeSignIn' | 'beforeSignInAtTestClock', user: { uid: string; email: string }, ip: string, userAgent: string) {
  const jwt = emulatorBlockingToken(`${local.server.baseUrl}/beforeSignIn`, {
    event_type: 'beforeSignIn',
    sub: user.uid,
    sign_in_method: 'password',
    ip_address: ip,
    user_agent: userAgent,
    user_record: { uid: user.uid, email: user.email, email_verified: true, provider_data: [{ provider_id: 'password' }] },
  });
  return rawCall(`${local.server.baseUrl}/${route}`, { body: JSON.stringify({ data: { jwt } }) });
}

async function signIns(uid: string): Promise<Array<Record<string, unknown>>> {
  const snap = await db().collection('accounts').doc(uid).collection('activity').where('action', '==', 'auth.signIn').get();
  return snap.docs.map((d) => d.data());
}

async function newSignInMails(email: string): Promise<Array<Record<string, unknown>>> {
  const snap = await db().collection('mail').where('to', 'array-contains', email).get();
  return snap.docs.filter((d) => d.get('kind') === 'auth.newSignIn').map((d) => ({ ...d.data(), id: d.id }));
}

describe('sign-ins on the record', () => {
  it('when a Facebook user signs in a second time, then listActivity shows both sign-ins with provider, client IP and user agent', async () => {
    const sub = `fb-record-${Date.now()}`;
    const credential = () => new OAuthProvider('facebook.com').credential({ idToken: JSON.stringify({ sub, email: uniqueEmail('fb-record'), name: 'Lin' }) });
    await signInWithCredential(local.client.auth, credential());
    await local.client.auth.signOut();
    await signInWithCredential(local.client.auth, credential());

    const { entries } = await local.client.call<{ entries: ActivityView[] }>('listActivity', {});
    const signInEntries = entries.filter((e) => e.action === 'auth.signIn');
    expect(signInEntries).toHaveLength(2);
    for (const entry of signInEntries) {
      expect(entry).toMatchObject({
        actor: { uid: local.client.auth.currentUser?.uid, role: 'customer' },
        details: { provider: 'facebook.com', ip: '127.0.0.1', userAgent: 'NotYetSupportedInFirebaseAuthEmulator', network: '127.0.0.0/24', unfamiliar: false },
      });
    }
  });

  it('when the token carries something other than an address and an overlong user agent, then the sign-in is recorded without the address and with the agent cut to 512 characters', async () => {
    const user = await signedUp('odd-claims');
    expect((await signInFrom('beforeSignIn', user, '<b>not an address</b>', `Agent/${'x'.repeat(2000)}`)).status).toBe(200);
    const entry = (await signIns(user.uid)).find((e) => (e.details as Record<string, unknown>).ip === null);
    expect(entry?.details).toMatchObject({ ip: null, network: null, userAgent: `Agent/${'x'.repeat(506)}` });
  });

  it('when a sign-in is refused (suspended account), then nothing is written', async () => {
    const user = await signedUp('refused');
    await db().collection('accounts').doc(user.uid).update({ status: 'suspended' });
    const history = await db().collection('signInHistory').doc(user.uid).get();

    const answer = await signInFrom('beforeSignIn', user, '203.0.113.9', IPHONE);
    expect(answer.status).toBe(403);
    expect(await signIns(user.uid)).toHaveLength(1);
    expect((await db().collection('signInHistory').doc(user.uid).get()).updateTime).toEqual(history.updateTime);
    expect(await newSignInMails(user.email)).toHaveLength(0);
  });
});

describe('a sign-in from an unfamiliar device and network', () => {
  it('when the device and the network are new, then the owner is mailed (network as /24, device summarised, Taipei time) and finds it in the inbox; the same again mails nothing', async () => {
    const user = await signedUp('new-network');
    const before = new Date();
    expect((await signInFrom('beforeSignIn', user, '203.0.113.45', IPHONE)).status).toBe(200);
    expect((await signInFrom('beforeSignIn', user, '203.0.113.77', IPHONE)).status).toBe(200);
    // What deliverMail's next sweep does for this message, without sweeping the outbox that other
    // test files share (whatever they left there would be this test's wait).
    await deliverNow(getDeps(), (await newSignInMails(user.email)).map((m) => m.id as string));

    const [mail] = await waitForMail((m) => sentTo(m, user.email) && m.subject === '您的 OrderPally 帳號有新的登入');
    expect(mail?.text).toContain('網路：203.0.113.0/24');
    expect(mail?.text).toContain('裝置：Safari · iPhone');
    expect(mail?.text).toContain('登入方式：電子郵件與密碼');
    expect(mail?.text).not.toContain('203.0.113.45');
    const stated = /時間：(.+)/.exec(mail?.text ?? '')?.[1];
    expect([formatTaipei(before, 'zh-TW').slice(0, 12), stated?.endsWith('（台北時間 UTC+8）')]).toEqual([stated?.slice(0, 12), true]);
    expect(await newSignInMails(user.email)).toHaveLength(1);

    const entries = await signIns(user.uid);
    expect(entries.map((e) => (e.details as Record<string, unknown>).unfamiliar).sort()).toEqual([false, false, true]);
    expect(entries.map((e) => (e.details as Record<string, unknown>).ip)).toEqual(expect.arrayContaining(['203.0.113.45', '203.0.113.77']));
    // What the sign-in history keeps: hashes and networks, never an address.
    const stored = JSON.stringify((await db().collection('signInHistory').doc(user.uid).get()).data());
    expect(stored).toContain('203.0.113.0/24');
    expect(stored).not.toContain('203.0.113.45');
    expect(stored).not.toContain('iPhone');

    await local.client.signIn(user.email, PASSWORD);
    const { notices } = await local.client.call<{ notices: Array<{ kind: string; title: string }> }>('listMyNotices', {});
    expect(notices.filter((n) => n.kind === 'auth.newSignIn').map((n) => n.title)).toEqual(['您的 OrderPally 帳號有新的登入']);
  });

  it('when only the network is new (a known device) or only the device (a known network), then no mail', async () => {
    const user = await signedUp('half-known');
    // Known network (the emulator's 127.0.0.1), new device; then that device from a new network.
    expect((await signInFrom('beforeSignIn', user, '127.0.0.9', WINDOWS)).status).toBe(200);
    expect((await signInFrom('beforeSignIn', user, '198.51.100.20', WINDOWS)).status).toBe(200);
    expect(await newSignInMails(user.email)).toHaveLength(0);
  });

  it('when a device and network were last seen 91 days ago, then they are unfamiliar again; 89 days ago they are not', async () => {
    const user = await signedUp('ninety-days');
    const start = new Date();
    clock.set(start);
    expect((await signInFrom('beforeSignInAtTestClock', user, '192.0.2.10', WINDOWS)).status).toBe(200);
    expect(await newSignInMails(user.email)).toHaveLength(1);

    clock.set(new Date(start.getTime() + 89 * DAY));
    expect((await signInFrom('beforeSignInAtTestClock', user, '192.0.2.11', WINDOWS)).status).toBe(200);
    expect(await newSignInMails(user.email)).toHaveLength(1);

    clock.set(new Date(start.getTime() + (89 + 91) * DAY));
    expect((await signInFrom('beforeSignInAtTestClock', user, '192.0.2.12', WINDOWS)).status).toBe(200);
    expect(await newSignInMails(user.email)).toHaveLength(2);
  });

  it('when an IPv6 client signs in, then the network kept is its /48', async () => {
    const user = await signedUp('ipv6');
    expect((await signInFrom('beforeSignIn', user, '2001:db8:1234:5678::1', IPHONE)).status).toBe(200);
    const [entry] = (await signIns(user.uid)).filter((e) => (e.details as Record<string, unknown>).ip === '2001:db8:1234:5678::1');
    expect(entry?.details).toMatchObject({ network: '2001:db8:1234::/48', unfamiliar: true });
  });
});
