import { buildPlan } from '../deploy/plan';
import { parseOptions } from '../deploy/options';
import type { Step } from '../deploy/steps';
import { EvidenceError, type DeployControls } from './model';

/** The dry run the report reads: the deploy's own defaults, for an example project. */
export const DRY_RUN_ARGS = ['--project', 'orderpally-prod', '--domain', 'api.orderpally.app', '--facebook-app-id', '1234567890', '--dry-run'];

// Any way a step names where something lives: gcloud flags, resource names, bucket metadata.
const PLACE = /(?:--[\w-]*(?:region|location)=|locations\/|"location":")([a-z]+-[a-z]+\d+)/g;

/**
 * The controls of clauses 5.3, 5.4 and 5.10 as the deploy plans them (`npm run deploy -- --dry-run`,
 * built in-process as the deploy tests do): the SSL policy on the front door, every region the
 * plan names, and the backup bucket's retention and its lock.
 * @throws EvidenceError when the plan no longer has one of them (the report would say nothing true).
 */
export function deployControls(args: readonly string[] = DRY_RUN_ARGS): DeployControls {
  const o = parseOptions(args, {});
  const steps: Step[] = buildPlan(o);
  const problems: string[] = [];
  const ssl = steps.find((s) => s.kind === 'command' && s.create.includes('ssl-policies') && s.create.includes('create'));
  const flag = (name: string): string => (ssl?.kind === 'command' ? ssl.create.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] : undefined) ?? '';
  if (!ssl || ssl.kind !== 'command') problems.push('the deploy plan creates no SSL policy (clause 5.3)');
  const policyName = ssl?.kind === 'command' ? (ssl.create[ssl.create.indexOf('create') + 1] ?? '') : '';
  const regions = [...new Set(steps.flatMap((s) => [...JSON.stringify(s).matchAll(PLACE)].map((m) => m[1] ?? '')))].sort();
  const metadata = steps.find((s) => s.kind === 'bucket' && s.action.type === 'metadata');
  const period = metadata?.kind === 'bucket' && metadata.action.type === 'metadata'
    ? Number((metadata.action.metadata.retentionPolicy as { retentionPeriod?: string } | undefined)?.retentionPeriod)
    : NaN;
  if (!Number.isFinite(period)) problems.push('the deploy plan sets no retention policy on the backup bucket (clause 5.4)');
  const locked = steps.some((s) => s.kind === 'bucket' && s.action.type === 'lock');
  if (problems.length > 0) throw new EvidenceError(problems);
  return {
    command: `npm run deploy -- ${args.join(' ')}`,
    tls: { policy: policyName, profile: flag('profile'), minTlsVersion: flag('min-tls-version') },
    regions,
    retention: { bucket: o.bucket, days: period / 86_400, locked },
  };
}
