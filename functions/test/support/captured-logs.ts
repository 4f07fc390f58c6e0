import { appendFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The structured log lines (shared/log.ts: one JSON object a line, with `severity` and `message`)
 * that the code under test writes to stdout or stderr while a test file runs. Expected failures
 * (SMTP down, failing streams, crashing handlers) log ERROR lines by design; printed, they would
 * bury jest's report. Installed for every test file by jest.config.js (setupFilesAfterEnv): such
 * lines are kept here for assertions, and appended to a file named after the test file in the
 * run's log folder (ORDERPALLY_TEST_LOGS) for reading after a failure. Every other write passes
 * through unchanged.
 */

/** One captured log line, parsed. */
export type LogLine = { readonly severity: string; readonly message: string } & Readonly<Record<string, unknown>>;

const captured: LogLine[] = [];

/** Lines captured so far in this test file, oldest first; `message` keeps those of one event. */
export function loggedLines(message?: string): LogLine[] {
  return captured.filter((line) => message === undefined || line.message === message);
}

function parsed(line: string): LogLine | null {
  if (!line.startsWith('{')) return null;
  try {
    const value = JSON.parse(line) as Partial<LogLine> | null;
    return typeof value?.severity === 'string' && typeof value.message === 'string' ? (value as LogLine) : null;
  } catch {
    return null;
  }
}

/** The structured lines of a write, or null when any part of it is something else. */
function structuredLines(chunk: unknown): LogLine[] | null {
  const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : null;
  if (text === null || !text.endsWith('\n')) return null;
  const lines = text.slice(0, -1).split('\n').map(parsed);
  return lines.every((l): l is LogLine => l !== null) ? lines : null;
}

// One file a test file: functions/test/mail/delivery.test.ts → mail-delivery.test.ts.ndjson.
const logFile = (() => {
  const folder = process.env.ORDERPALLY_TEST_LOGS;
  const testPath = expect.getState().testPath;
  if (!folder || !testPath) return null;
  return path.join(folder, `${path.relative(path.join(__dirname, '..'), testPath).replaceAll(path.sep, '-')}.ndjson`);
})();

function keep(lines: LogLine[], text: string): void {
  captured.push(...lines);
  if (logFile) appendFileSync(logFile, text);
}

type Sink = (lines: LogLine[], text: string) => void;
// Where a stream's structured lines go (null: printed). On the stream object, not in this module:
// jest loads this module afresh for each test file, while the worker's streams stay the same.
const SINK = Symbol.for('orderpally.test.logSink');
type Diverted = NodeJS.WriteStream & { [SINK]?: Sink | null };

/**
 * Wraps `stream.write` once per process, so that a test's own spy on it (and its restore) layer
 * cleanly over the wrapper; each test file then points the wrapper at its own sink.
 */
function divert(stream: Diverted): void {
  if (!(SINK in stream)) {
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]): boolean => {
      const sink = stream[SINK];
      const lines = sink ? structuredLines(chunk) : null;
      if (!sink || lines === null) return original(chunk, ...rest);
      sink(lines, String(chunk));
      rest.find((arg): arg is () => void => typeof arg === 'function')?.();
      return true;
    };
  }
  stream[SINK] = keep;
}

// From the moment the test file loads (probe functions may log while registering) to its end.
const streams: Diverted[] = [process.stdout, process.stderr];
streams.forEach(divert);
afterAll(() => streams.forEach((stream) => (stream[SINK] = null)));
