/** How long a sender owns a message it claimed; after that a sweep may take it over (DESIGN §6). */
export const LEASE_MS = 60_000;

/** Attempts a message gets before it is `failed` (and ops are alerted). */
export const MAX_ATTEMPTS = 10;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BACKOFF_MS = [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR] as const;
const DAILY_MS = 24 * HOUR;

/**
 * Longest a run of sends may take from its start (a sweep's first claim, deliverSoon's call): well
 * inside the lease of every message it claims, so a result is recorded before anyone may take over.
 */
export const MAX_SEND_MS = LEASE_MS - 10_000;

/**
 * The wait after the `attempts`-th failed attempt before the next one: 1 min, 5 min, 30 min, 2 h,
 * 6 h, then daily.
 * @returns milliseconds, or null when no attempt is left (`attempts >= MAX_ATTEMPTS`): the message fails.
 */
export function backoffMs(attempts: number): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  return BACKOFF_MS[Math.max(0, attempts - 1)] ?? DAILY_MS;
}

/** What went wrong with an attempt, classified, with a message safe to store and log. */
export interface SendFailure {
  /** nodemailer's code (`ESOCKET`, `EENVELOPE`, `EABORT`, …) or `ERROR`. */
  readonly code: string;
  readonly responseCode: number | null;
  /** True when retrying the same message would be refused again (see `classifySendError`). */
  readonly permanent: boolean;
  /** Stored as `lastError`: no SMTP URL or credentials. */
  readonly message: string;
}

// SMTP commands whose permanent refusal is about this message (its recipients or its content),
// not about our account or the connection: MAIL FROM / AUTH refusals are our configuration, which
// an operator can fix, so those stay temporary and are retried.
const MESSAGE_COMMANDS = new Set(['RCPT TO', 'DATA']);

/** Removes the SMTP URL and its user/password from an error message, if they appear in it. */
export function scrubSecrets(message: string, smtpUrl: string | undefined): string {
  let out = message;
  if (smtpUrl) {
    const secrets = [smtpUrl];
    try {
      const url = new URL(smtpUrl);
      if (url.password) secrets.push(url.password, decodeURIComponent(url.password));
      if (url.username) secrets.push(url.username, decodeURIComponent(url.username));
    } catch {
      // not a URL: the whole string is still scrubbed
    }
    for (const secret of secrets.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join('[redacted]');
    }
  }
  return out.replace(/smtps?:\/\/\S+/gi, '[redacted]');
}

/**
 * Permanent means: the server answered a 5xx (other than 503, which is about session state) to
 * RCPT TO for every recipient, or to the message data. Retrying that exact message gets the same
 * answer, so it fails at once and ops are alerted. Everything else (4xx, connection refused or
 * dropped, timeouts, TLS, authentication, a 5xx to MAIL FROM) is temporary: it depends on the
 * server or on our configuration, not on the message, and is retried with backoff.
 */
export function classifySendError(error: unknown, smtpUrl: string | undefined): SendFailure {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'ERROR';
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const command = typeof e.command === 'string' ? e.command : null;
  const permanent =
    responseCode !== null && responseCode >= 500 && responseCode < 600 && responseCode !== 503 &&
    command !== null && MESSAGE_COMMANDS.has(command);
  const raw = error instanceof Error ? error.message : typeof e.message === 'string' ? e.message : String(error);
  const message = scrubSecrets(`${code}${responseCode ? ` ${responseCode}` : ''}${command ? ` (${command})` : ''}: ${raw}`, smtpUrl)
    .replace(/\s+/g, ' ')
    .slice(0, 500);
  return { code, responseCode, permanent, message };
}

/** A Firestore (or any) error as one short line for a log entry. */
export function errorName(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `${typeof code === 'string' || typeof code === 'number' ? `${code} ` : ''}${text}`.slice(0, 300);
}
