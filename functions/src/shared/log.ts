import { isIPv4, isIPv6 } from 'node:net';

/** Cloud Logging severities we use, in rising order. */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

const RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };

// Field names whose values must never reach a log line.
const SECRET_FIELD = /authorization|password|secret|token|api[-_]?key|smtp_?url|cookie/i;

// Field names that hold a person's address: their string values are masked even when they do not
// look like an address (a malformed one is still someone's).
const ADDRESS_FIELD = /(^|[a-z_])e-?mail$|^(to|cc|bcc|from|reply_?to|recipients?|address(es)?|contact|invoker)$/i;

// Field names that hold a client's network address.
const IP_FIELD = /^(ip|client_?ip|ip_?address|remote_?address|x-forwarded-for|forwarded_?for)$/i;

// An email address anywhere in a string: local part, @, a domain with an alphabetic top level
// (so `package@1.2.3` and `/node_modules/@scope` are left alone).
const EMAIL = /([A-Za-z0-9!#$%&'*+/=?^_`{|}~-])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]*@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})/g;

/**
 * Masks every email address in `text` to its first character and domain: `bob@example.com` →
 * `b***@example.com`. Enough for ops to see which provider refuses mail or which staff address a
 * setting names, too little to name the person. Deliberately no hash of the address: an unsalted
 * hash is undone by hashing a list of candidate addresses, and the full address of a logged
 * message is in its access-controlled `mail/{id}` (the log names the id).
 */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, '$1***@$2');
}

/**
 * A client IP cut to its network, as far as a log needs it (which provider, which region, a
 * flood from one network): IPv4 to /24, IPv6 to /48. Full addresses are personal data (they
 * identify a subscriber at a given time) and are not logged.
 */
export function maskIp(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/i.exec(ip);
  if (v4?.[1] && isIPv4(`${v4[1]}.0`)) return `${v4[1]}.0/24`;
  if (isIPv6(ip)) {
    const [head = ''] = ip.toLowerCase().split('::');
    const groups = head === '' ? [] : head.split(':');
    return `${[...groups, '0', '0', '0'].slice(0, 3).join(':')}::/48`;
  }
  return '[masked]';
}

/** Structured logger: one JSON object per line, which Cloud Logging parses into jsonPayload. */
export interface Logger {
  log(severity: Severity, event: string, fields?: Record<string, unknown>): void;
}

function maskField(key: string, value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    if (IP_FIELD.test(key)) return value.split(',').map((part) => maskIp(part.trim())).join(', ');
    // Any local part, whatever the domain looks like (`bob@localhost`); no @ at all: first character only.
    if (ADDRESS_FIELD.test(key)) return value.includes('@') ? value.replace(/([^\s@<>"',;:])[^\s@<>"',;:]*@/g, '$1***@') : value.replace(/^(.).*$/s, '$1***');
  }
  if (Array.isArray(value) && (IP_FIELD.test(key) || ADDRESS_FIELD.test(key))) return value.map((v) => maskField(key, v, depth + 1));
  return redact(value, depth + 1);
}

/**
 * Makes a value safe to log, at any depth: values of secret-looking fields become a marker;
 * addresses are masked (`maskEmails`) in every string, error messages and stacks included, and
 * under address fields (`to`, `email`, `contactEmail`, …) whatever they hold; client IPs under IP
 * fields are cut to their network (`maskIp`). Uids stay: they are pseudonymous ids that support
 * needs to find an account, and name no one outside our systems.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskEmails(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[truncated]';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return redact({ name: value.name, message: value.message, stack: value.stack }, depth + 1);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) && v !== undefined && v !== null ? '[redacted]' : maskField(k, v, depth);
  }
  return out;
}

/**
 * A logger writing to the given sink (stdout by default). Lines below `minSeverity` are dropped.
 * Errors go to stderr so that Cloud Run's default error reporting sees them too.
 */
export function createLogger(
  minSeverity: Severity = 'INFO',
  sink: (line: string, severity: Severity) => void = defaultSink,
): Logger {
  return {
    log(severity, event, fields = {}) {
      if (RANK[severity] < RANK[minSeverity]) return;
      const line = JSON.stringify({ ...(redact(fields) as object), severity, message: event });
      sink(line, severity);
    },
  };
}

function defaultSink(line: string, severity: Severity): void {
  (severity === 'ERROR' ? process.stderr : process.stdout).write(`${line}\n`);
}
