import type { Config } from '../config';
import type { Clock } from '../shared/clock';
import type { PlainResponse } from '../spec';
import { DAY_MS } from '../shared/input';


/**
 * RFC 9116 security.txt: where to report a security incident (agreement clause 5.7).
 * `Expires` is computed per request so the file never goes stale (RFC 9116 §2.5.5 asks for
 * less than a year ahead).
 */
export function securityTxt(config: Config, clock: Clock): PlainResponse {
  const canonical = `${config.PUBLIC_BASE_URL}/.well-known/security.txt`;
  const policy = config.SECURITY_POLICY_URL ?? `${config.PUBLIC_BASE_URL}/security-policy`;
  const expires = new Date(clock.now().getTime() + config.SECURITY_TXT_EXPIRES_DAYS * DAY_MS);
  expires.setUTCMilliseconds(0);
  const lines = [
    `Contact: mailto:${config.SUPPORT_EMAIL}`,
    `Expires: ${expires.toISOString().replace('.000Z', 'Z')}`,
    'Preferred-Languages: zh-TW, en',
    `Canonical: ${canonical}`,
    `Policy: ${policy}`,
  ];
  return {
    status: 200,
    contentType: 'text/plain; charset=utf-8',
    body: `${lines.join('\n')}\n`,
    headers: { 'Cache-Control': 'public, max-age=3600' },
  };
}
