import type { Storage } from '@google-cloud/storage';
import { resolve, type Runners } from '../../../scripts/deploy/execute';
import type { Step } from '../../../scripts/deploy/steps';

const READ = /\b(describe|get-iam-policy|list|access)\b/;
const INGRESS: Record<string, string> = { all: 'ALLOW_ALL', 'internal-only': 'ALLOW_INTERNAL_ONLY', 'internal-and-gclb': 'ALLOW_INTERNAL_AND_GCLB' };
const flag = (argv: readonly string[], name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** What `gcloud functions describe <name> --gen2 --format=json` prints for a function deployed with `argv`. */
export function describedFunction(argv: readonly string[], projectNumber: string): Record<string, unknown> {
  const name = argv[3] ?? '';
  const project = flag(argv, 'project') ?? '';
  const envFlag = flag(argv, 'set-env-vars') ?? '';
  const pairs = envFlag.startsWith('^;^') ? envFlag.slice(3).split(';') : envFlag.split(',');
  const env = Object.fromEntries(pairs.filter(Boolean).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  const secrets = (flag(argv, 'set-secrets') ?? '').split(',').filter(Boolean).map((s) => {
    const [key = '', ref = ''] = s.split('=');
    const [secret = '', version = ''] = ref.split(':');
    return { key, projectId: projectNumber, secret, version };
  });
  const n = (f: string, fallback: number): number => Number.parseInt(flag(argv, f) ?? String(fallback), 10);
  return {
    name: `projects/${project}/locations/asia-east1/functions/${name}`,
    environment: 'GEN_2',
    state: 'ACTIVE',
    buildConfig: { runtime: flag(argv, 'runtime'), entryPoint: flag(argv, 'entry-point'), dockerRepository: `projects/${project}/locations/asia-east1/repositories/gcf-artifacts` },
    serviceConfig: {
      service: `projects/${project}/locations/asia-east1/services/${name.toLowerCase()}`,
      uri: `https://${name.toLowerCase()}-abc123-de.a.run.app`,
      ingressSettings: INGRESS[flag(argv, 'ingress-settings') ?? 'all'],
      serviceAccountEmail: flag(argv, 'service-account') ?? `${projectNumber}-compute@developer.gserviceaccount.com`,
      availableMemory: flag(argv, 'memory') ?? '256M',
      availableCpu: flag(argv, 'cpu') ?? '0.1666',
      timeoutSeconds: n('timeout', 60),
      maxInstanceCount: n('max-instances', 100),
      maxInstanceRequestConcurrency: n('concurrency', 1),
      // Cloud Functions adds this one itself.
      environmentVariables: { ...env, LOG_EXECUTION_ID: 'true' },
      ...(secrets.length > 0 ? { secretEnvironmentVariables: secrets } : {}),
      allTrafficOnLatestRevision: true,
    },
    url: `https://asia-east1-${project}.cloudfunctions.net/${name}`,
  };
}

/**
 * A Google Cloud project as a finished deploy of `steps` leaves it, answering the plan's gcloud
 * reads with recorded outputs: each read prints what its step expects, functions are described
 * as JSON the way gcloud prints them, Cloud Run IAM policies as JSON, and the Identity Toolkit
 * admin API holds every planned body. Anything that is not a read is recorded in `writes`.
 * Scheduler jobs and the bucket live in the real-client recorders instead.
 */
export class LiveProject {
  readonly reads = new Map<string, string>();
  readonly functions = new Map<string, Record<string, unknown>>();
  readonly invokers = new Map<string, string[]>();
  readonly rest = new Map<string, unknown>();
  readonly writes: string[] = [];
  readonly vars = new Map<string, string>();

  constructor(steps: readonly Step[], readonly projectNumber = '123456789012') {
    for (const raw of steps) {
      if (raw.kind === 'capture') {
        const value = raw.name === 'PROJECT_NUMBER' ? projectNumber : raw.name.endsWith('_URI') ? `https://${raw.name.toLowerCase()}-abc123-de.a.run.app` : `value-of-${raw.name}`;
        this.vars.set(raw.name, value);
        this.reads.set(raw.argv.join(' '), value);
        continue;
      }
      const step = resolve(raw, this.vars);
      if (step.kind === 'http') this.rest.set(step.url, step.body);
      if (step.kind !== 'command') continue;
      const c = step.create;
      if (c[1] === 'functions' && c[2] === 'deploy') {
        this.functions.set(c[3] ?? '', describedFunction(c, projectNumber));
        if (c.includes('--allow-unauthenticated')) this.grant((c[3] ?? '').toLowerCase(), 'allUsers');
        continue;
      }
      if (c[1] === 'run' && c[3] === 'add-iam-policy-binding') this.grant(c[4] ?? '', flag(c, 'member') ?? '');
      if (step.read) this.reads.set(step.read.join(' '), step.expect ?? 'exists');
    }
  }

  /** Adds `member` to roles/run.invoker on a Cloud Run service. */
  grant(service: string, member: string): void {
    this.invokers.set(service, [...new Set([...(this.invokers.get(service) ?? []), member])]);
  }

  runners(storage: Storage, scheduler: Runners['scheduler'], log: string[]): Runners {
    return {
      run: async (argv) => {
        const line = argv.join(' ');
        const notFound = { code: 1, stdout: '', stderr: 'ERROR: (gcloud) NOT_FOUND: Resource not found' };
        if (argv[1] === 'functions' && argv[2] === 'describe' && argv.includes('--format=json')) {
          const fn = this.functions.get(argv[3] ?? '');
          return fn ? { code: 0, stdout: JSON.stringify(fn, null, 2), stderr: '' } : notFound;
        }
        if (argv[1] === 'run' && argv[3] === 'get-iam-policy' && argv.includes('--format=json')) {
          const members = this.invokers.get(argv[4] ?? '') ?? [];
          return { code: 0, stdout: JSON.stringify({ bindings: members.length ? [{ members, role: 'roles/run.invoker' }] : [], etag: 'BwX=', version: 1 }), stderr: '' };
        }
        if (this.reads.has(line)) return { code: 0, stdout: `${this.reads.get(line) ?? ''}\n`, stderr: '' };
        if (READ.test(line)) return notFound;
        this.writes.push(line);
        return { code: 0, stdout: '', stderr: '' };
      },
      http: async (method, url) => {
        if (method !== 'GET') {
          this.writes.push(`${method} ${url}`);
          return { status: 200, data: {} };
        }
        return this.rest.has(url) ? { status: 200, data: this.rest.get(url) } : { status: 404, data: {} };
      },
      scheduler,
      storage,
      log: (line) => log.push(line),
    };
  }
}
