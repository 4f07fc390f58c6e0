import type { Difference, Finding, Readers } from './compare';
import type { CommandStep, Step } from './steps';

/** A `gcloud functions deploy <name> …` step: deployed every run (gcloud itself diffs the source). */
export function isFunctionDeploy(step: Step): step is CommandStep {
  return step.kind === 'command' && step.create[0] === 'gcloud' && step.create[1] === 'functions' && step.create[2] === 'deploy';
}

/** The function a deploy step deploys. */
export const deployedName = (step: CommandStep): string => step.create[3] ?? '';

const flag = (argv: readonly string[], name: string): string | undefined =>
  argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** `--set-env-vars=A=1,B=2`, or with gcloud's alternate delimiter `^;^A=1;B=2`. */
export function envVars(argv: readonly string[]): Record<string, string> | undefined {
  const raw = flag(argv, 'set-env-vars');
  if (raw === undefined) return undefined;
  const custom = /^\^(.)\^/.exec(raw);
  const list = custom ? raw.slice(3).split(custom[1] ?? ',') : raw.split(',');
  return Object.fromEntries(list.filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

/** `--set-secrets=KEY=secret:version,…` as `KEY=secret:version` strings; no flag (or `--clear-secrets`): none. */
function secretsOf(argv: readonly string[]): string[] {
  return (flag(argv, 'set-secrets') ?? '').split(',').filter(Boolean).sort();
}

const INGRESS: Readonly<Record<string, string>> = { all: 'ALLOW_ALL', 'internal-only': 'ALLOW_INTERNAL_ONLY', 'internal-and-gclb': 'ALLOW_INTERNAL_AND_GCLB' };

/** The settings a deploy argv fixes, as `gcloud functions describe --format=json` shows them. */
function planned(argv: readonly string[]): [string, string | number | undefined][] {
  const num = (name: string): number | undefined => (flag(argv, name) === undefined ? undefined : Number.parseInt(flag(argv, name) ?? '', 10));
  return [
    ['buildConfig.runtime', flag(argv, 'runtime')],
    ['buildConfig.entryPoint', flag(argv, 'entry-point')],
    ['serviceConfig.ingressSettings', INGRESS[flag(argv, 'ingress-settings') ?? ''] ?? flag(argv, 'ingress-settings')],
    ['serviceConfig.serviceAccountEmail', flag(argv, 'service-account')],
    ['serviceConfig.availableMemory', flag(argv, 'memory')],
    ['serviceConfig.availableCpu', flag(argv, 'cpu')],
    ['serviceConfig.timeoutSeconds', num('timeout')],
    ['serviceConfig.maxInstanceCount', num('max-instances')],
    ['serviceConfig.minInstanceCount', num('min-instances')],
    ['serviceConfig.maxInstanceRequestConcurrency', num('concurrency')],
  ];
}

const at = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);

/** The JSON form of a step's own read (`--format=value(name)` → `--format=json`). */
const jsonRead = (read: readonly string[]): string[] => [...read.filter((a) => !a.startsWith('--format=')), '--format=json'];

/**
 * Reads a deployed function back and compares every setting its deploy argv fixes: runtime,
 * entry point, ingress, service account, size, instances, environment variables we set, its
 * secrets (exactly: a secret it should not read is drift), and that it is ACTIVE. With
 * `invokers`, also the exact members of roles/run.invoker on its Cloud Run service.
 */
export async function inspectFunction(step: CommandStep, r: Readers, invokers?: readonly string[]): Promise<Finding> {
  if (!step.read) return { state: 'unread', differences: [] };
  const read = await r.run(jsonRead(step.read));
  if (read.code !== 0 || read.stdout.trim() === '') {
    return { state: 'absent', differences: [{ what: 'function', live: 'missing', plan: deployedName(step) }] };
  }
  const live = JSON.parse(read.stdout) as Record<string, unknown>;
  const argv = step.create;
  const diffs: Difference[] = [];
  const compare = (what: string, liveValue: unknown, plan: string | number | undefined): void => {
    // Numbers may come back as strings (int64).
    const same = (typeof liveValue === 'string' || typeof liveValue === 'number') && String(liveValue) === String(plan);
    if (plan !== undefined && !same) diffs.push({ what, live: liveValue, plan });
  };
  compare('state', live.state, 'ACTIVE');
  for (const [path, plan] of planned(argv)) compare(path, at(live, path), plan);
  const env = at(live, 'serviceConfig.environmentVariables') as Record<string, string> | undefined;
  for (const [k, v] of Object.entries(envVars(argv) ?? {})) compare(`env ${k}`, env?.[k], v);
  const secrets = ((at(live, 'serviceConfig.secretEnvironmentVariables') ?? []) as { key: string; secret: string; version: string }[])
    .map((s) => `${s.key}=${s.secret}:${s.version}`).sort();
  compare('secrets', secrets.join(',') || '(none)', secretsOf(argv).join(',') || '(none)');
  if (invokers) {
    const runService = at(live, 'serviceConfig.service');
    const service = (typeof runService === 'string' ? runService : deployedName(step).toLowerCase()).split('/').pop() ?? '';
    const region = flag(step.read, 'region') ?? '';
    const project = flag(step.read, 'project') ?? '';
    const policy = await r.run(['gcloud', 'run', 'services', 'get-iam-policy', service, `--region=${region}`, `--project=${project}`, '--format=json']);
    const bindings = policy.code === 0 && policy.stdout.trim() ? (JSON.parse(policy.stdout) as { bindings?: { role: string; members: string[] }[] }).bindings ?? [] : [];
    const members = bindings.filter((b) => b.role === 'roles/run.invoker').flatMap((b) => b.members);
    compare('roles/run.invoker', [...new Set(members)].sort().join(', ') || '(none)', [...new Set(invokers)].sort().join(', ') || '(none)');
  }
  return { state: diffs.length > 0 ? 'differs' : 'matches', differences: diffs, live };
}

/**
 * Who the plan lets invoke each function's Cloud Run service: `allUsers` for a deploy with
 * `--allow-unauthenticated`, plus every `run services add-iam-policy-binding … roles/run.invoker` step.
 * Members may hold placeholders; resolve them before comparing.
 */
export function plannedInvokers(steps: readonly Step[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const add = (service: string, member: string): void => {
    map.set(service, [...(map.get(service) ?? []), member]);
  };
  for (const step of steps) {
    if (step.kind !== 'command') continue;
    if (isFunctionDeploy(step)) {
      const service = deployedName(step).toLowerCase();
      if (!map.has(service)) map.set(service, []);
      if (step.create.includes('--allow-unauthenticated')) add(service, 'allUsers');
    }
    const c = step.create;
    if (c[1] === 'run' && c[2] === 'services' && c[3] === 'add-iam-policy-binding' && flag(c, 'role') === 'roles/run.invoker') {
      add(c[4] ?? '', flag(c, 'member') ?? '');
    }
  }
  return map;
}
