// `npm run deploy -- --project <id> --domain <host> [--dry-run | --check] [--only <part|function>] [--concurrency N]`
// Everything lands in asia-east1 (clause 5.10), behind a TLS 1.3 front door (clause 5.3),
// with a 7-day backup bucket (clause 5.4) and only email+password and Facebook sign-in (clause 5.1).
import { deployMain } from './deploy/main';
import { UsageError } from './deploy/options';
import { defaultRunners } from './deploy/runners';

deployMain(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  runners: defaultRunners,
}).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    process.stderr.write(`deploy: ${error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitAfterFlush(error instanceof UsageError ? 2 : 1);
  },
);

/** Exits once stdout and stderr have drained: a plan piped to `less` or a test must arrive whole. */
function exitAfterFlush(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
