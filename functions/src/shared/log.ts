/** Cloud Logging severities we use, in rising order. */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

const RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };

// Field names whose values must never reach a log line.
const SECRET_FIELD = /authorization|password|secret|token|api[-_]?key|smtp_?url|cookie/i;

/** Structured logger: one JSON object per line, which Cloud Logging parses into jsonPayload. */
export interface Logger {
  log(severity: Severity, event: string, fields?: Record<string, unknown>): void;
}

/** Replaces the values of secret-looking fields, at any depth, with a marker. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) && v !== undefined && v !== null ? '[redacted]' : redact(v, depth + 1);
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
