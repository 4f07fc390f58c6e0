import { generateKeyPairSync, createSign } from 'node:crypto';
import { OAuth2Client } from 'google-auth-library';
import { loadConfig } from '../../src/config';
import { createDeps } from '../../src/deps';
import { authorizeScheduledCall, type OidcVerifier } from '../../src/http/scheduled';
import { AppError } from '../../src/http/errors';
import { MAX_ATTEMPTS, backoffMs, classifySendError, scrubSecrets } from '../../src/mail/deliver';
import { memoryLogger } from './helpers';

describe('backoff schedule', () => {
  it.each([
    [1, 60_000],
    [2, 5 * 60_000],
    [3, 30 * 60_000],
    [4, 2 * 3_600_000],
    [5, 6 * 3_600_000],
    [6, 24 * 3_600_000],
    [7, 24 * 3_600_000],
    [8, 24 * 3_600_000],
    [9, 24 * 3_600_000],
    [10, null],
  ])('after failed attempt %i the next one waits %p ms (null: failed)', (attempts, wait) => {
    expect(backoffMs(attempts)).toBe(wait);
  });

  it('allows 10 attempts', () => {
    expect(MAX_ATTEMPTS).toBe(10);
  });
});

describe('classifying SMTP errors', () => {
  const smtpError = (fields: Record<string, unknown>) => Object.assign(new Error('refused'), fields);

  it.each([
    ['5xx to every RCPT TO', true, { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }],
    ['5xx to the message data', true, { code: 'EMESSAGE', responseCode: 554, command: 'DATA' }],
    ['503 (session state)', false, { code: 'EENVELOPE', responseCode: 503, command: 'DATA' }],
    ['4xx to RCPT TO', false, { code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' }],
    ['5xx to MAIL FROM (our sender configuration)', false, { code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' }],
    ['5xx to AUTH (our credentials)', false, { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }],
    ['connection refused', false, { code: 'ESOCKET', command: 'CONN' }],
    ['timeout', false, { code: 'ETIMEDOUT', command: 'CONN' }],
    ['aborted', false, { code: 'EABORT' }],
  ])('%s → permanent: %s', (_name, permanent, fields) => {
    expect(classifySendError(smtpError(fields), undefined).permanent).toBe(permanent);
  });

  it('never keeps the SMTP URL or its credentials in the stored message', () => {
    const url = 'smtps://mailer%40orderpally.app:s3cr3t-pass@smtp.example.test:465';
    const failure = classifySendError(new Error(`Invalid login for mailer@orderpally.app with s3cr3t-pass at ${url}`), url);
    expect(failure.message).not.toMatch(/s3cr3t|mailer@orderpally|smtps:\/\//);
    expect(scrubSecrets('connect to smtp://u:p@host:25 failed', undefined)).toBe('connect to [redacted] failed');
  });
});

describe('who may call a scheduled function', () => {
  const production = createDeps(loadConfig({ ...process.env, FIRESTORE_EMULATOR_HOST: '', FIREBASE_AUTH_EMULATOR_HOST: '' }), { log: memoryLogger() });
  const emulated = createDeps(loadConfig(process.env), { log: memoryLogger() });
  const url = 'https://asia-east1-orderpally.cloudfunctions.net/deliverMail';
  const invoker = 'scheduler@orderpally.iam.gserviceaccount.com';
  const env = { SCHEDULER_INVOKERS: `${invoker}, other@orderpally.iam.gserviceaccount.com` };

  // A real RS256 signature checked by google-auth-library, against our key instead of Google's.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key';
  const verify: OidcVerifier = async (token, audiences) => {
    const ticket = await new OAuth2Client().verifySignedJwtWithCertsAsync(
      token,
      { [kid]: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
      [...audiences],
      ['https://accounts.google.com', 'accounts.google.com'],
    );
    const payload = ticket.getPayload();
    if (!payload) throw new Error('no payload');
    return payload;
  };
  const token = (claims: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const body = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64({ iss: 'https://accounts.google.com', aud: url, sub: '1', email: invoker, email_verified: true, iat: now, exp: now + 600, ...claims })}`;
    const signature = createSign('RSA-SHA256').update(body).sign(privateKey).toString('base64url');
    return `Bearer ${body}.${signature}`;
  };
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    return { status: (error as AppError).status, reason: (error as AppError).reason };
  };

  it('on the emulators, a call from localhost needs no token', async () => {
    await expect(authorizeScheduledCall(emulated, { authorization: undefined, remoteAddress: '127.0.0.1', url })).resolves.toBe('local');
    await expect(authorizeScheduledCall(emulated, { authorization: undefined, remoteAddress: '::ffff:127.0.0.1', url })).resolves.toBe('local');
  });

  it('on the emulators, a call from elsewhere still needs a token', async () => {
    await expect(refusal(authorizeScheduledCall(emulated, { authorization: undefined, remoteAddress: '10.0.0.8', url }))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'NO_CREDENTIALS' });
  });

  it('in production, localhost is not trusted and a missing or malformed header is refused', async () => {
    const call = (authorization?: string) => authorizeScheduledCall(production, { authorization, remoteAddress: '127.0.0.1', url }, { env, verify });
    await expect(refusal(call())).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'NO_CREDENTIALS' });
    await expect(refusal(call('Basic abc'))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'MALFORMED_AUTHORIZATION' });
  });

  it('in production, a Google-signed token for this URL from an allowed invoker passes', async () => {
    await expect(authorizeScheduledCall(production, { authorization: token({}), remoteAddress: '169.254.1.1', url }, { env, verify })).resolves.toBe(invoker);
  });

  it('in production, a bad signature, another audience, an expired token, an unverified or unlisted email are refused', async () => {
    const call = (authorization: string, e: NodeJS.ProcessEnv = env) => authorizeScheduledCall(production, { authorization, remoteAddress: '169.254.1.1', url }, { env: e, verify });
    const good = token({});
    const tampered = `${good.slice(0, -4)}AAAA`;
    await expect(refusal(call(tampered))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
    await expect(refusal(call(token({ aud: 'https://elsewhere.example/deliverMail' })))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
    await expect(refusal(call(token({ iat: 1_000, exp: 1_600 })))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
    await expect(refusal(call(token({ email_verified: false })))).resolves.toEqual({ status: 'PERMISSION_DENIED', reason: 'INVOKER_NOT_ALLOWED' });
    await expect(refusal(call(token({ email: 'intruder@evil.iam.gserviceaccount.com' })))).resolves.toEqual({ status: 'PERMISSION_DENIED', reason: 'INVOKER_NOT_ALLOWED' });
    // No invokers configured: fail closed.
    await expect(refusal(call(good, {}))).resolves.toEqual({ status: 'PERMISSION_DENIED', reason: 'INVOKER_NOT_ALLOWED' });
  });

  it('in production, SCHEDULER_AUDIENCE replaces the request URL as the accepted audience', async () => {
    const configured = 'https://deliver-mail-abc123-de.a.run.app';
    const call = (authorization: string) =>
      authorizeScheduledCall(production, { authorization, remoteAddress: '169.254.1.1', url }, { env: { ...env, SCHEDULER_AUDIENCE: configured }, verify });
    await expect(call(token({ aud: configured }))).resolves.toBe(invoker);
    await expect(refusal(call(token({})))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
  });
});
