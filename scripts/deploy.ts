// `npm run deploy -- --project <id> --domain <host> [--dry-run] [--only <part>]` (issue #8).
// Everything lands in asia-east1 (clause 5.10), behind a TLS 1.3 front door (clause 5.3), with a
// 7-day backup bucket (clause 5.4) and only email+password and Facebook sign-in (clause 5.1).
import { executePlan } from './deploy/execute';
import { parseOptions, UsageError } from './deploy/options';
import { buildPlan } from './deploy/plan';
import { renderPlan } from './deploy/render';

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const steps = buildPlan(options);
  const where = `project ${options.project}, parts ${options.parts.join(', ')}`;
  if (options.dryRun) {
    process.stdout.write(`Dry run for ${where}: ${steps.length} steps, nothing is changed.\n\n${renderPlan(steps)}\n`);
    return 0;
  }
  process.stdout.write(`Deploying ${where}: ${steps.length} steps.\n`);
  const report = await executePlan(steps, options);
  return report.failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`deploy: ${error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
