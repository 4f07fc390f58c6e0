import * as functions from '@google-cloud/functions-framework';
import { OAuthProvider, signInWithCredential } from 'firebase/auth';
import { createApiKeySpec, type CreatedApiKey } from '../../src/apikeys/create-api-key';
import { createDeps, getDeps, type Deps } from '../../src/deps';
import { callable } from '../../src/http/callable';
import { escapeHtml } from '../../src/mail/escape-html';
import { fixedClock } from '../../src/shared/clock';
import { formatTaipei } from '../../src/shared/taipei';
import { rawCall, uniqueEmail } from '../support/client';
import { sentTo, waitForMail, type CapturedMail } from '../support/maildev';
import { useLocalFunctions } from '../support/local';
import { callError, indexEntries, keyActivity, storedKeys, verifiedUser } from './helpers';

// The real createApiKey (same spec, same callable wrapper, real ID tokens from the Auth emulator)
// on a clock the test sets: the emulator stamps auth_time at sign-in with the real time, and this
// is how "the sign-in was six minutes ago" happens without waiting or forging a token.
const clock = fixedClock(new Date());
const atTestClock = (deps: Deps): Deps =>
  createDeps(deps.config, { clock, db: deps.db, auth: deps.auth, mailer: deps.mailer, log: deps.log });
functions.http(
  'createApiKeyAtTestClock',
  callable('createApiKeyAtTestClock', { ...createApiKeySpec, handler: (deps, input, context) => createApiKeySpec.handler(atTestClock(deps), input, context) } satisfies typeof createApiKeySpec),
);

const local = useLocalFunctions(['createApiKeyAtTestClock']);
const db = () => getDeps().db;
const MINUTE = 60_000;

/** The `auth_time` the Auth emulator wrote into a real ID token, as an instant. */
function authTimeOf(token: string): Date {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { auth_time: number };
  return new Date(payload.auth_time * 1000);
}

/** createApiKey over plain HTTP, from `ip` as the load balancer would forward it. */
function createFrom(ip: string, token: string, label: string) {
  return rawCall(`${local.server.baseUrl}/createApiKey`, {
    body: JSON.stringify({ data: { label } }),
    headers: { Authorization: `Bearer ${token}`, 'X-Forwarded-For': ip },
  });
}

async function outboxKinds(email: string): Promise<string[]> {
  const snap = await db().collection('mail').where('to', 'array-contains', email).get();
  return snap.docs.map((d) => d.get('kind') as string);
}

async function noticeFor(email: string): Promise<CapturedMail> {
  const [mail] = await waitForMail((m) => sentTo(m, email));
  if (!mail) throw new Error(`no mail for ${email}`);
  return mail;
}

describe('createApiKey needs a recent sign-in', () => {
  it('when the sign-in is 5 minutes and 1 second old, then FAILED_PRECONDITION RECENT_SIGN_IN_REQUIRED, even with a refreshed token, and nothing is written', async () => {
    const { uid, email, token } = await verifiedUser(local.client, 'stale');
    clock.set(new Date(authTimeOf(token).getTime() + 5 * MINUTE + 1000));

    const error = await callError(() => local.client.call('createApiKeyAtTestClock', { label: 'minted with an old session' }));
    expect(error.code).toBe('functions/failed-precondition');
    expect(error.details).toEqual({ reason: 'RECENT_SIGN_IN_REQUIRED', maxAgeSeconds: 300 });
    expect(error.message).toMatch(/^Sign in again/);

    // A refreshed ID token is new, but its auth_time is the old sign-in's.
    const refreshed = (await local.client.auth.currentUser?.getIdToken(true)) ?? '';
    expect(authTimeOf(refreshed)).toEqual(authTimeOf(token));
    const again = await callError(() => local.client.call('createApiKeyAtTestClock', { label: 'again' }));
    expect(again.details?.reason).toBe('RECENT_SIGN_IN_REQUIRED');

    expect((await db().collection('accounts').doc(uid).get()).exists).toBe(false); // not even provisioned
    expect((await storedKeys(uid)).size).toBe(0);
    await expect(indexEntries(uid)).resolves.toEqual([]);
    await expect(keyActivity(uid)).resolves.toEqual([]);
    await expect(outboxKinds(email)).resolves.toEqual([]);
  });

  it('when the sign-in is exactly 5 minutes old, then the key is created', async () => {
    const { uid, token } = await verifiedUser(local.client, 'edge');
    clock.set(new Date(authTimeOf(token).getTime() + 5 * MINUTE));
    const created = await local.client.call<CreatedApiKey>('createApiKeyAtTestClock', { label: 'just in time' });
    expect(created.label).toBe('just in time');
    expect((await storedKeys(uid)).size).toBe(1);
  });
});

describe('the owner is told when a key is created', () => {
  it('when a freshly signed-in owner creates a key, then a zh-TW mail reaches their verified address with label, prefix, client IP and the time in Taipei, never the key', async () => {
    const { uid, email, token } = await verifiedUser(local.client, 'notified');
    const answer = await createFrom('203.0.113.77', token, '每日訂單同步');
    expect(answer.status).toBe(200);
    const created = answer.json?.result as CreatedApiKey;

    const mail = await noticeFor(email);
    expect(mail.subject).toBe('您的 OrderPally 帳號新增了一把 API 金鑰');
    expect(mail.envelope.to.map((t) => t.address)).toEqual([email]);
    expect(mail.text).toContain('名稱：每日訂單同步');
    expect(mail.text).toContain(`金鑰開頭：${created.key.slice(0, 12)}`);
    expect(mail.text).toContain('申請來源 IP 位址：203.0.113.77');
    expect(mail.text).toContain(`建立時間：${formatTaipei(new Date(created.createdAt), 'zh-TW')}`);
    expect(mail.text).toContain('台北時間 UTC+8');
    expect(`${mail.text}${mail.html}`).not.toContain(created.key.slice(12));
    const outbox = await db().collection('mail').where('related', '==', `accounts/${uid}/apiKeys/${created.keyId}`).get();
    expect(outbox.docs.map((d) => d.get('kind') as string)).toEqual(['apiKey.created']);
  });

  it('when the account\'s locale is English, then the notice is in English', async () => {
    const { uid, email, token } = await verifiedUser(local.client, 'english');
    await local.client.call('getAccount');
    await db().collection('accounts').doc(uid).update({ locale: 'en' });
    const created = (await createFrom('198.51.100.4', token, 'warehouse')).json?.result as CreatedApiKey;
    const mail = await noticeFor(email);
    expect(mail.subject).toBe('A new API key was created for your OrderPally account');
    expect(mail.text).toContain('Label: warehouse');
    expect(mail.text).toContain(`Key starts with: ${created.key.slice(0, 12)}`);
    expect(mail.text).toContain('Requested from IP address: 198.51.100.4');
    expect(mail.text).toContain(`Created: ${formatTaipei(new Date(created.createdAt), 'en')}`);
  });

  it('when the label carries HTML, then the mail shows it as text, escaped', async () => {
    const { email, token } = await verifiedUser(local.client, 'hostile');
    const label = '<img src=x onerror="alert(1)"> & <b>co</b>';
    expect((await createFrom('203.0.113.78', token, label)).status).toBe(200);
    const mail = await noticeFor(email);
    expect(mail.html).toContain(escapeHtml(label));
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>co');
    expect(mail.text).toContain(label);
  });

  it('when the user has no verified address (a Facebook sign-in whose email Facebook did not vouch for), then the key is still created, nothing is mailed, and the activity log records it', async () => {
    const email = uniqueEmail('fb-unverified');
    const credential = new OAuthProvider('facebook.com').credential({ idToken: JSON.stringify({ sub: `fb-${Date.now()}`, email, name: 'Mei' }) });
    const { user } = await signInWithCredential(local.client.auth, credential);
    const created = await local.client.call<CreatedApiKey>('createApiKey', { label: 'fb integration' });
    await expect(outboxKinds(email)).resolves.toEqual([]);
    expect((await keyActivity(user.uid)).map((e) => e.action)).toEqual(['apiKey.created']);
    expect((await storedKeys(user.uid)).has(created.keyId)).toBe(true);
  });
});
