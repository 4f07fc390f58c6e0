import { generateKeyPairSync, createSign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { createDeps } from '../../src/deps';
import { authorizeScheduledCall } from '../../src/http/scheduled';
import { MAX_ATTEMPTS, backoffMs, classifySendError, scrubSecrets } from '../../src/mail/policy';
import { createLogger } from '../../src/shared/log';
import { memoryLogger } from './helpers';
import { AppError } from '../../src/shared/errors';
import { statusOf } from '../../src/http/status';

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
  const url = 'https://asia-east1-orderpally.cloudfunctions.net/deliverMail';
  const invoker = 'scheduler@orderpally.iam.gserviceaccount.com';
  const invokers = `${invoker}, other@orderpally.iam.gserviceaccount.com`;

  // Google's certificate endpoint, played by a local server that publishes our own key in the same
  // PEM format and records every request: google-auth-library fetches it and checks the real RS256
  // signature, issuer, expiry and audience exactly as it does against Google's.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key';
  const certRequests: string[] = [];
  let certsUp = true;
  const certs = createServer((req, res) => {
    certRequests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    if (!certsUp) {
      res.writeHead(503).end('unavailable');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=1' });
    res.end(JSON.stringify({ [kid]: publicKey.export({ type: 'spki', format: 'pem' }).toString() }));
  });
  let certsUrl = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => certs.listen(0, '127.0.0.1', resolve));
    certsUrl = `http://127.0.0.1:${(certs.address() as AddressInfo).port}/oauth2/v1/certs`;
  });
  afterAll(() => new Promise<void>((resolve) => certs.close(() => resolve())));

  const productionDeps = (env: NodeJS.ProcessEnv = {}) =>
    createDeps(
      loadConfig({ ...process.env, FIRESTORE_EMULATOR_HOST: '', FIREBASE_AUTH_EMULATOR_HOST: '', SCHEDULER_INVOKERS: invokers, GOOGLE_OIDC_CERTS_URL: certsUrl, ...env }),
      { log: memoryLogger() },
    );
  const emulated = createDeps(loadConfig(process.env), { log: memoryLogger() });
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
    return { status: statusOf(error as AppError), reason: (error as AppError).reason };
  };

  it('on the emulators, a call from localhost needs no token', async () => {
    await expect(authorizeScheduledCall(emulated, { authorization: undefined, remoteAddress: '127.0.0.1', url })).resolves.toBe('local');
    await expect(authorizeScheduledCall(emulated, { authorization: undefined, remoteAddress: '::ffff:127.0.0.1', url })).resolves.toBe('local');
  });

  it('on the emulators, a call from elsewhere still needs a token', async () => {
    await expect(refusal(authorizeScheduledCall(emulated, { authorization: undefined, remoteAddress: '10.0.0.8', url }))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'NO_CREDENTIALS' });
  });

  it('in production, localhost is not trusted and a missing or malformed header is refused', async () => {
    const production = productionDeps();
    const call = (authorization?: string) => authorizeScheduledCall(production, { authorization, remoteAddress: '127.0.0.1', url });
    await expect(refusal(call())).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'NO_CREDENTIALS' });
    await expect(refusal(call('Basic abc'))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'MALFORMED_AUTHORIZATION' });
  });

  it('in production, a token signed with the published key for this URL from an allowed invoker passes, and the certificates were fetched from the configured endpoint', async () => {
    certRequests.length = 0;
    await expect(authorizeScheduledCall(productionDeps(), { authorization: token({}), remoteAddress: '169.254.1.1', url })).resolves.toBe(invoker);
    expect(certRequests).toEqual(['GET /oauth2/v1/certs']);
  });

  it('in production, a bad signature, another audience, an expired token, an unverified or unlisted email are refused', async () => {
    const production = productionDeps();
    const call = (authorization: string) => authorizeScheduledCall(production, { authorization, remoteAddress: '169.254.1.1', url });
    const good = token({});
    const tampered = `${good.slice(0, -4)}AAAA`;
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const [header, payload] = good.slice('Bearer '.length).split('.');
    const foreign = `Bearer ${header}.${payload}.${createSign('RSA-SHA256').update(`${header}.${payload}`).sign(stranger).toString('base64url')}`;
    await expect(refusal(call(tampered))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
    await expect(refusal(call(foreign))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
    await expect(refusal(call(token({ aud: 'https://elsewhere.example/deliverMail' })))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
    await expect(refusal(call(token({ iss: 'https://evil.example' })))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
    await expect(refusal(call(token({ iat: 1_000, exp: 1_600 })))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
    await expect(refusal(call(token({ email_verified: false })))).resolves.toEqual({ status: 'PERMISSION_DENIED', reason: 'INVOKER_NOT_ALLOWED' });
    await expect(refusal(call(token({ email: 'intruder@evil.iam.gserviceaccount.com' })))).resolves.toEqual({ status: 'PERMISSION_DENIED', reason: 'INVOKER_NOT_ALLOWED' });
  });

  it('in production, when a caller with a valid Google token is refused, then the log line says so without their address', async () => {
    const lines: string[] = [];
    const production = createDeps(
      loadConfig({ ...process.env, FIRESTORE_EMULATOR_HOST: '', FIREBASE_AUTH_EMULATOR_HOST: '', SCHEDULER_INVOKERS: invokers, GOOGLE_OIDC_CERTS_URL: certsUrl }),
      { log: createLogger('DEBUG', (line) => lines.push(line)) },
    );
    const call = authorizeScheduledCall(production, { authorization: token({ email: 'jane.doe@gmail.com' }), remoteAddress: '169.254.1.1', url });
    await expect(refusal(call)).resolves.toEqual({ status: 'PERMISSION_DENIED', reason: 'INVOKER_NOT_ALLOWED' });
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([expect.objectContaining({ message: 'scheduled.invoker_refused', invoker: 'j***@gmail.com' })]);
  });

  it('in production with no invokers configured, every call is refused (fail closed) without fetching certificates', async () => {
    certRequests.length = 0;
    const closed = productionDeps({ SCHEDULER_INVOKERS: '' });
    await expect(refusal(authorizeScheduledCall(closed, { authorization: token({}), remoteAddress: '169.254.1.1', url }))).resolves.toEqual({ status: 'PERMISSION_DENIED', reason: 'INVOKER_NOT_ALLOWED' });
    expect(certRequests).toEqual([]);
  });

  it('in production, SCHEDULER_AUDIENCE replaces the request URL as the accepted audience', async () => {
    const configured = 'https://deliver-mail-abc123-de.a.run.app';
    const production = productionDeps({ SCHEDULER_AUDIENCE: configured });
    const call = (authorization: string) => authorizeScheduledCall(production, { authorization, remoteAddress: '169.254.1.1', url });
    await expect(call(token({ aud: configured }))).resolves.toBe(invoker);
    await expect(refusal(call(token({})))).resolves.toEqual({ status: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' });
  });

  it('in production, when the certificates cannot be fetched, the call fails as a server error (Scheduler retries), not as a bad token', async () => {
    certsUp = false;
    try {
      // A fresh endpoint path: a client (and certificate cache) of its own.
      const production = productionDeps({ GOOGLE_OIDC_CERTS_URL: `${certsUrl}?down` });
      const error = await authorizeScheduledCall(production, { authorization: token({}), remoteAddress: '169.254.1.1', url }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(AppError);
      expect(certRequests.some((r) => r.endsWith('?down'))).toBe(true);
    } finally {
      certsUp = true;
    }
  });

  it('rejects a malformed scheduler setting with the key named', () => {
    expect(() => loadConfig({ SCHEDULER_INVOKERS: 'not-an-email' })).toThrow(/SCHEDULER_INVOKERS/);
    expect(() => loadConfig({ SCHEDULER_AUDIENCE: 'nope' })).toThrow(/SCHEDULER_AUDIENCE/);
  });
});
