import { inspectBucket, inspectCommand, inspectHttp, inspectScheduler, type Difference, type Finding, type Readers } from './compare';
import type { Runners } from './execute';
import { resolve } from './placeholders';
import { deployedName, inspectFunction, isFunctionDeploy, plannedInvokers } from './function-compare';
import { inPool } from './pool';
import type { Step } from './steps';

/** A step whose live resource is not as planned (or could not be read). */
export interface Drift {
  readonly label: string;
  readonly differences: readonly Difference[];
}

/** What `--check` found: every drift in plan order, how many steps it compared, which have nothing to read. */
export interface CheckReport {
  readonly drift: readonly Drift[];
  readonly compared: number;
  readonly unread: readonly string[];
}

const READ_VERBS = new Set(['describe', 'get-iam-policy', 'list', 'access']);
const isRead = (argv: readonly string[]): boolean => argv[0] === 'gcloud' && argv.some((a) => READ_VERBS.has(a));

/**
 * The runners narrowed to reads, checked at run time as well as by type: a check never creates,
 * updates, deploys or locks anything, whatever a step says.
 */
export function readOnly(r: Runners): Readers {
  return {
    run: async (argv) => {
      if (!isRead(argv)) throw new Error(`--check only reads; refusing to run ${argv.join(' ')}`);
      return r.run(argv);
    },
    http: (_get, url) => r.http('GET', url),
    scheduler: { getJob: (request) => r.scheduler.getJob(request) },
    storage: {
      bucket: (name) => {
        const b = r.storage.bucket(name);
        return { exists: () => b.exists(), getMetadata: () => b.getMetadata(), iam: { getPolicy: (o) => b.iam.getPolicy(o) } };
      },
    },
  };
}

type Looked = { label: string; finding?: Finding; error?: string };

async function look(raw: Step, label: string, vars: Map<string, string>, secrets: Set<string>, invokers: Map<string, string[]>, r: Readers): Promise<Looked> {
  try {
    if (raw.kind === 'capture') {
      const out = await r.run(raw.argv);
      if (out.code !== 0 || out.stdout.trim() === '') return { label, error: `{{${raw.name}}} could not be read: ${out.stderr.trim().split('\n')[0] ?? ''}` };
      vars.set(raw.name, out.stdout.trim());
      if (raw.secret) secrets.add(out.stdout.trim());
      return { label, finding: { state: 'unread', differences: [] } };
    }
    const step = resolve(raw, vars);
    switch (step.kind) {
      case 'command':
        return { label, finding: isFunctionDeploy(step)
          ? await inspectFunction(step, r, resolve(invokers.get(deployedName(step).toLowerCase()) ?? [], vars))
          : await inspectCommand(step, r) };
      case 'http':
        return { label, finding: await inspectHttp(step, r) };
      case 'scheduler':
        return { label, finding: await inspectScheduler(step, r) };
      case 'bucket':
        return { label, finding: await inspectBucket(step, r) };
    }
  } catch (error) {
    return { label, error: error instanceof Error ? error.message : String(error) };
  }
}

/** A value for the terminal, with secrets (captured ones, and any field named like one) hidden. */
function shown(d: Difference, secrets: ReadonlySet<string>): [string, string] {
  // A secret's value, not a reference to one (`secrets: SMTP_URL=<secret id>:latest` names, it does not reveal).
  const hide = /(^|\.)(clientSecret|secret|password|token|apiKey)$/i.test(d.what);
  const text = (v: unknown): string => {
    if (hide && v !== undefined) return '«hidden»';
    const s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? 'undefined');
    return [...secrets].reduce((acc, secret) => acc.split(secret).join('«hidden»'), s);
  };
  return [text(d.live), text(d.plan)];
}

/**
 * Reads every step's live resource with the deploy's own reads and prints each difference from
 * the plan; changes nothing. Function steps are read `concurrency` at a time.
 */
export async function checkSteps(steps: readonly Step[], r: Runners, options: { concurrency?: number } = {}): Promise<CheckReport> {
  const readers = readOnly(r);
  const vars = new Map<string, string>();
  const secrets = new Set<string>();
  const invokers = plannedInvokers(steps);
  const label = (i: number): string => `[${String(i + 1).padStart(2, '0')}] ${steps[i]?.part ?? ''}: ${steps[i]?.title ?? ''}`;
  const looked: Looked[] = [];
  for (let i = 0; i < steps.length;) {
    let end = i + 1;
    if (isFunctionDeploy(steps[i] as Step)) while (end < steps.length && isFunctionDeploy(steps[end] as Step)) end += 1;
    const batch = steps.slice(i, end);
    const offset = i;
    looked.push(...(await inPool(batch, options.concurrency ?? 1, (s, k) => look(s, label(offset + k), vars, secrets, invokers, readers))));
    i = end;
  }
  const drift: Drift[] = looked.flatMap((l): Drift[] => {
    if (l.error !== undefined) return [{ label: l.label, differences: [{ what: 'read', live: `failed: ${l.error}`, plan: 'readable' }] }];
    return l.finding && (l.finding.state === 'absent' || l.finding.state === 'differs') ? [{ label: l.label, differences: l.finding.differences }] : [];
  });
  const unread = looked.filter((l, i) => l.finding?.state === 'unread' && steps[i]?.kind !== 'capture').map((l) => l.label);
  const compared = looked.filter((l, i) => steps[i]?.kind !== 'capture' && l.finding?.state !== 'unread').length;
  for (const d of drift) {
    r.log(`${d.label}: DRIFT`);
    for (const diff of d.differences) {
      const [live, plan] = shown(diff, secrets);
      r.log(`      ${diff.what}: live ${live}, plan ${plan}`);
    }
  }
  const count = drift.reduce((n, d) => n + d.differences.length, 0);
  r.log(drift.length === 0 ? `No drift: all ${compared} compared steps match the plan.`
    : `DRIFT: ${count} difference(s) in ${drift.length} of ${compared} compared steps. Deploying with the same flags brings them back to the plan.`);
  if (unread.length > 0) r.log(`Not compared (applied on every deploy, nothing to read back): ${unread.length} steps, e.g. ${unread.slice(0, 3).join('; ')}`);
  return { drift, compared, unread };
}

/** The process exit code for a check: 1 on any drift. */
export const checkExitCode = (report: CheckReport): number => (report.drift.length > 0 ? 1 : 0);
