import nodemailer from 'nodemailer';
import { createLogger, maskEmails, maskIp, redact } from '../../src/shared/log';
import { scriptedSmtp } from '../mail/helpers';

function capture(min: Parameters<typeof createLogger>[0]) {
  const lines: Array<{ line: string; severity: string }> = [];
  return { lines, log: createLogger(min, (line, severity) => lines.push({ line, severity })) };
}

describe('structured logging', () => {
  it('when an event is logged, then one JSON line carries severity, message and fields', () => {
    const { lines, log } = capture('INFO');
    log.log('WARNING', 'mail.retry', { attempt: 3, at: new Date('2026-01-02T03:04:05Z') });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]?.line ?? '')).toEqual({ severity: 'WARNING', message: 'mail.retry', attempt: 3, at: '2026-01-02T03:04:05.000Z' });
  });

  it('when a field tries to override severity or message, then the logger keeps its own', () => {
    const { lines, log } = capture('DEBUG');
    log.log('ERROR', 'real.event', { severity: 'DEBUG', message: 'spoofed' });
    expect(JSON.parse(lines[0]?.line ?? '')).toMatchObject({ severity: 'ERROR', message: 'real.event' });
  });

  it('when events are below the minimum severity, then they are dropped', () => {
    const { lines, log } = capture('WARNING');
    log.log('DEBUG', 'a');
    log.log('INFO', 'b');
    log.log('ERROR', 'c');
    expect(lines.map((l) => l.severity)).toEqual(['ERROR']);
  });

  it.each([
    [{ authorization: 'Bearer abc' }, { authorization: '[redacted]' }],
    [{ nested: { idToken: 'x', apiKey: 'y', keep: 1 } }, { nested: { idToken: '[redacted]', apiKey: '[redacted]', keep: 1 } }],
    [{ list: [{ password: 'p' }] }, { list: [{ password: '[redacted]' }] }],
    [{ SMTP_URL: 'smtp://u:p@h' }, { SMTP_URL: '[redacted]' }],
    [{ token: null }, { token: null }],
  ])('when fields hold secrets (%j), then they are redacted', (input, expected) => {
    expect(redact(input)).toEqual(expected);
  });

  it('when an Error is logged, then its name, message and stack are kept', () => {
    const out = redact({ error: new TypeError('boom') }) as { error: { name: string; message: string; stack: string } };
    expect(out.error).toMatchObject({ name: 'TypeError', message: 'boom' });
    expect(out.error.stack).toMatch(/boom/);
  });
});

describe('no personal data in logs', () => {
  it.each([
    ['an address field', { email: 'bob@example.com' }, { email: 'b***@example.com' }],
    ['a contact address and a list of recipients', { contactEmail: 'Alice.Smith+shop@mail.example.tw', to: ['bob@example.com', 'carol@example.org'] }, { contactEmail: 'A***@mail.example.tw', to: ['b***@example.com', 'c***@example.org'] }],
    ['an address field holding something that is not an address', { recipient: 'bob', address: 'bob@localhost' }, { recipient: 'b***', address: 'b***@localhost' }],
    ['an address inside any string, at depth', { error: { detail: ['550 5.1.1 <bob@example.com>: Recipient address rejected'] } }, { error: { detail: ['550 5.1.1 <b***@example.com>: Recipient address rejected'] } }],
    ['a settings field naming staff', { OPS_EMAIL: 'ops@orderpally.example', SCHEDULER_INVOKERS: ['cron@orderpally.iam.gserviceaccount.com'] }, { OPS_EMAIL: 'o***@orderpally.example', SCHEDULER_INVOKERS: ['c***@orderpally.iam.gserviceaccount.com'] }],
    ['client IPs', { ip: '203.0.113.77', clientIp: '2001:db8:abcd:12:1:2:3:4', remoteAddress: '::ffff:198.51.100.9' }, { ip: '203.0.113.0/24', clientIp: '2001:db8:abcd::/48', remoteAddress: '198.51.100.0/24' }],
    ['what only looks like an address', { package: 'firebase-admin@13.10.0', path: '/node_modules/@google-cloud/firestore', uid: 'u-123', emailVerified: true }, { package: 'firebase-admin@13.10.0', path: '/node_modules/@google-cloud/firestore', uid: 'u-123', emailVerified: true }],
  ])('when fields hold %s, then addresses are masked and the rest kept', (_name, input, expected) => {
    expect(redact(input)).toEqual(expected);
  });

  it('when the helpers are used directly, then they mask the same way', () => {
    expect(maskEmails('from a@b.co to x.y@z.example.com')).toBe('from a***@b.co to x***@z.example.com');
    expect(maskIp('not an ip')).toBe('[masked]');
  });

  it('when an SMTP server refuses a recipient and the error is logged, then the line names the refusal but not the address', async () => {
    const smtp = await scriptedSmtp({ rcptReply: (address) => `550 5.1.1 <${address}>: Recipient address rejected: user unknown` });
    const transport = nodemailer.createTransport(smtp.url);
    try {
      const error = await transport
        .sendMail({ from: 'orderpally@example.test', to: 'private.person@example.com', subject: 's', text: 't' })
        .then(() => null, (e: unknown) => e);
      expect(String((error as Error | null)?.message)).toContain('private.person@example.com'); // what the log would have carried
      const { lines, log } = capture('DEBUG');
      log.log('ERROR', 'mail.failed', { mailId: 'm1', error, to: ['private.person@example.com'] });
      expect(lines).toHaveLength(1);
      expect(lines[0]?.line).toContain('550 5.1.1 <p***@example.com>');
      expect(lines[0]?.line).not.toContain('private.person');
    } finally {
      transport.close();
      await smtp.close();
    }
  });

  it('when a value is nested deeper than the logger follows, then it is cut, not written in clear', () => {
    let deep: Record<string, unknown> = { password: 'hunter2' };
    for (let i = 0; i < 10; i += 1) deep = { deeper: deep };
    expect(JSON.stringify(redact(deep))).not.toContain('hunter2');
  });
});
