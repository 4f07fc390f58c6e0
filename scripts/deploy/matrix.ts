import { UNLOCKED_WARNING } from './bucket-part';
import type { CommandStep, Step } from './steps';

/** One function as the plan deploys it: who it runs as, what that account may do, who may call it. */
export interface MatrixRow {
  readonly name: string;
  readonly kind: string;
  /** The runtime service account's email. */
  readonly account: string;
  /** Project roles of that account, without the `roles/` prefix, sorted. */
  readonly roles: readonly string[];
  /** Secret environment variables (`SMTP_URL=<secret>:latest`). */
  readonly secrets: readonly string[];
  readonly invoker: string;
  readonly ingress: string;
  readonly maxInstances: string;
  readonly concurrency: string;
  readonly cpu: string;
  readonly memory: string;
  readonly timeout: string;
}

const commandsOf = (steps: readonly Step[]): CommandStep[] => steps.filter((s): s is CommandStep => s.kind === 'command');
const flag = (argv: readonly string[], name: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? '';
const is = (argv: readonly string[], ...words: string[]): boolean => words.every((w, i) => argv[i + 1] === w);

/**
 * The function → service account → roles / secrets matrix, read back from the plan's own steps
 * (the deploys, the project role bindings and the invoker bindings), so what is printed is what
 * would be applied.
 */
export function functionMatrix(steps: readonly Step[]): MatrixRow[] {
  const commands = commandsOf(steps);
  const roles = new Map<string, string[]>();
  for (const c of commands.filter((x) => is(x.create, 'projects', 'add-iam-policy-binding'))) {
    const member = flag(c.create, 'member');
    roles.set(member, [...(roles.get(member) ?? []), flag(c.create, 'role').replace(/^roles\//, '')].sort());
  }
  const invokers = new Map(commands.filter((x) => is(x.create, 'run', 'services', 'add-iam-policy-binding'))
    .map((c) => [c.create[4] ?? '', flag(c.create, 'member')]));
  return commands.filter((c) => is(c.create, 'functions', 'deploy')).map((c) => {
    const name = c.create[3] ?? '';
    const account = flag(c.create, 'service-account');
    return {
      name,
      kind: /\((\w+)\)$/.exec(c.title)?.[1] ?? '',
      account,
      roles: roles.get(`serviceAccount:${account}`) ?? [],
      secrets: flag(c.create, 'set-secrets').split(',').filter(Boolean),
      invoker: invokers.get(name.toLowerCase()) ?? '',
      ingress: flag(c.create, 'ingress-settings'),
      maxInstances: flag(c.create, 'max-instances'),
      concurrency: flag(c.create, 'concurrency'),
      cpu: flag(c.create, 'cpu'),
      memory: flag(c.create, 'memory'),
      timeout: flag(c.create, 'timeout'),
    };
  });
}

/** The matrix as an aligned table (empty when the plan deploys no function). */
export function renderMatrix(rows: readonly MatrixRow[]): string[] {
  if (rows.length === 0) return [];
  const table = [
    ['function', 'kind', 'service account', 'roles', 'secrets', 'invoker', 'ingress', 'max', 'conc', 'cpu', 'memory', 'timeout'],
    ...rows.map((r) => [r.name, r.kind, r.account.split('@')[0] ?? r.account, r.roles.join(',') || '-', r.secrets.map((s) => s.split('=')[0]).join(',') || '-',
      r.invoker.replace(/^serviceAccount:([^@]+)@.*/, '$1'), r.ingress, r.maxInstances, r.concurrency, r.cpu, r.memory, r.timeout]),
  ];
  const widths = (table[0] ?? []).map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  return [
    'Functions: runtime service account, its project roles and secrets, invoker, ingress, sizing:',
    ...table.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}`),
  ];
}

/** What a person must not miss before applying the plan (printed first; to stderr on a real run). */
export function planWarnings(steps: readonly Step[]): string[] {
  const bucket = steps.some((s) => s.kind === 'bucket' && s.action.type === 'metadata');
  const lock = steps.some((s) => s.kind === 'bucket' && s.action.type === 'lock');
  return bucket && !lock ? [UNLOCKED_WARNING] : [];
}
