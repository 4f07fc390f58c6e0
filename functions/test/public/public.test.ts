import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { fixedClock } from '../../src/shared/clock';
import { securityTxt } from '../../src/public/security-txt';
import { startFunctionsServer, type RunningServer } from '../support/server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

let server: RunningServer;
beforeAll(async () => {
  server = await startFunctionsServer();
});
afterAll(() => server.close());

function fields(body: string): Record<string, string> {
  return Object.fromEntries(
    body.trim().split('\n').map((line) => {
      const at = line.indexOf(': ');
      return [line.slice(0, at), line.slice(at + 2)];
    }),
  );
}

describe('health', () => {
  it('when GET, then 200 {ok, version}', async () => {
    const response = await fetch(`${server.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    await expect(response.json()).resolves.toEqual({ ok: true, version });
  });

  it('when POST, then 405 with Allow', async () => {
    const response = await fetch(`${server.baseUrl}/health`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toMatch(/GET/);
  });
});

describe('security.txt (RFC 9116)', () => {
  it.each(['/.well-known/security.txt', '/demo-orderpally/asia-east1/securityTxt'])(
    'when GET %s, then the required fields are served as UTF-8 text',
    async (path) => {
      const before = Date.now();
      const response = await fetch(`${server.origin}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      const f = fields(await response.text());
      expect(f.Contact).toBe('mailto:orderpally.service@17.live');
      expect(f['Preferred-Languages']).toBe('zh-TW, en');
      expect(f.Canonical).toBe('http://127.0.0.1:5001/.well-known/security.txt');
      expect(f.Policy).toMatch(/^https?:\/\//);
      const expires = Date.parse(f.Expires ?? '');
      expect(expires).toBeGreaterThan(before);
      expect(expires).toBeLessThan(before + 365 * 24 * 3600 * 1000);
    },
  );

  it('when built for a given instant and config, then Expires is that instant plus the configured days', () => {
    const config = loadConfig({ SUPPORT_EMAIL: 'sec@orderpally.example', PUBLIC_BASE_URL: 'https://orderpally.example', SECURITY_TXT_EXPIRES_DAYS: '30' });
    const body = securityTxt(config, fixedClock(new Date('2026-11-27T10:20:30.456Z'))).body;
    expect(body).toBe(
      [
        'Contact: mailto:sec@orderpally.example',
        'Expires: 2026-12-27T10:20:30Z',
        'Preferred-Languages: zh-TW, en',
        'Canonical: https://orderpally.example/.well-known/security.txt',
        'Policy: https://orderpally.example/security-policy',
        '',
      ].join('\n'),
    );
  });
});

describe('security policy (security.txt Policy)', () => {
  it('when GET /security-policy, then it serves the README section "Reporting a security issue", which names both channels', async () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf('## Reporting a security issue\n');
    const end = readme.indexOf('\n## ', start + 1);
    expect(start).toBeGreaterThanOrEqual(0);
    const section = `${readme.slice(start, end).trimEnd()}\n`;

    const response = await fetch(`${server.origin}/security-policy`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const body = await response.text();
    expect(body).toBe(section);
    expect(body).toContain('reportIncident');
    expect(body).toContain('orderpally.service@17.live');
  });

  it('when security.txt is served with the default config, then its Policy is the /security-policy address', () => {
    const body = securityTxt(loadConfig({ PUBLIC_BASE_URL: 'https://orderpally.example' }), fixedClock(new Date())).body;
    expect(fields(body).Policy).toBe('https://orderpally.example/security-policy');
  });
});
