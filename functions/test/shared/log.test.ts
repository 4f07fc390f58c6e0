import { createLogger, redact } from '../../src/shared/log';

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
