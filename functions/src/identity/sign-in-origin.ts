import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network an address belongs to, as we keep it: IPv4 cut to its /24, IPv6 to its /48 (one
 * site), so a stored record says where from roughly, never which host. Null for no address.
 */
export function networkOf(ip: string | null): string | null {
  if (ip === null) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const v4 = mapped ?? ip;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(ip)) return null;
  // Expand `::` so the first three groups are the first 48 bits.
  const [head = '', tail = ''] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 3).map((g) => parseInt(g, 16).toString(16)).join(':')}::/48`;
}

/**
 * The device a sign-in came from, as far as a user agent tells: a short hash of the whole string.
 * The whole string (browser and OS versions included) rather than its family, because a family
 * such as "Chrome on Windows" is shared by most attackers too; a browser update then counts as a
 * new device, which alone mails nobody (see sign-in-history.ts). Null for no user agent.
 */
export function deviceOf(userAgent: string | null): string | null {
  if (userAgent === null || userAgent.trim() === '') return null;
  return createHash('sha256').update(userAgent.trim()).digest('hex').slice(0, 16);
}

// First match wins: in-app browsers and Chrome derivatives also say "Chrome" and "Safari".
const BROWSERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bFBAN\/|\bFBAV\//, 'Facebook app'],
  [/\bInstagram\b/, 'Instagram app'],
  [/\bLine\//, 'LINE app'],
  [/\bEdgA?\/|\bEdgiOS\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bChrome\/|\bCriOS\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
];
const SYSTEMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/** What a person reads of a user agent: browser and system from a fixed list, else null. */
export interface DeviceSummary {
  readonly browser: string | null;
  readonly system: string | null;
}

/**
 * Summarises a user agent as browser and system names from a fixed list. Whoever signs in chooses
 * their user agent, so nothing of the string itself reaches a mail: only names we wrote.
 */
export function summariseUserAgent(userAgent: string | null): DeviceSummary {
  const find = (list: typeof BROWSERS): string | null => list.find(([re]) => userAgent !== null && re.test(userAgent))?.[1] ?? null;
  return { browser: find(BROWSERS), system: find(SYSTEMS) };
}
