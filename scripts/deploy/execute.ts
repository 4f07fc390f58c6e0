import { spawn } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import type { CloudSchedulerClient } from '@google-cloud/scheduler';
import type { Storage } from '@google-cloud/storage';
import type { DeployOptions } from './options';
import type { BucketStep, CommandStep, HttpStep, SchedulerStep, Step } from './steps';

/** What a step found and did (`applied`: an idempotent command with nothing to read, e.g. enabling APIs). */
export type Outcome = 'create' | 'update' | 'unchanged' | 'applied' | 'captured';

/** The side-effecting edges of a run, injectable so tests can point them at local endpoints. */
export interface Runners {
  run(argv: readonly string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** An authorised Google API call; `status` 404 means "absent". */
  http(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<{ status: number; data: unknown }>;
  scheduler: Pick<CloudSchedulerClient, 'getJob' | 'createJob' | 'updateJob'>;
  storage: Pick<Storage, 'bucket' | 'createBucket'>;
  log(line: string): void;
}

/** Resolves `{{NAME}}` placeholders everywhere in a value. */
export function resolve<T>(value: T, vars: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
      const v = vars.get(name);
      if (v === undefined) throw new Error(`${whole} is used before a step captured it`);
      return v;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => resolve(v, vars)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, vars)])) as T;
  }
  return value;
}

/** True when every field of `wanted` has that value in `actual` (fields we do not set are ignored). */
export function covers(actual: unknown, wanted: unknown): boolean {
  if (wanted !== null && typeof wanted === 'object' && !Array.isArray(wanted)) {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(wanted).every(([k, v]) => covers((actual as Record<string, unknown>)[k], v));
  }
  if (typeof wanted === 'number' && typeof actual === 'string') return String(wanted) === actual; // int64 fields come back as strings
  return isDeepStrictEqual(actual, wanted);
}

async function command(step: CommandStep, r: Runners): Promise<Outcome> {
  const read = step.read ? await r.run(step.read) : null;
  const exists = read !== null && read.code === 0 && read.stdout.trim() !== '';
  const matches = exists && (step.expect === undefined || read.stdout.trim() === step.expect);
  if (matches && !step.always) return 'unchanged';
  const argv = exists && !matches ? step.update : step.create;
  if (!argv) throw new Error(`${step.title}: found "${read?.stdout.trim() ?? ''}", expected "${step.expect ?? ''}", and it cannot be changed in place`);
  const done = await r.run(argv, step.stdin);
  if (done.code !== 0) throw new Error(`${step.title}: ${argv.join(' ')} exited ${done.code}\n${done.stderr}`);
  return step.read === undefined ? 'applied' : exists ? 'update' : 'create';
}

async function http(step: HttpStep, r: Runners): Promise<Outcome> {
  const current = await r.http('GET', step.url);
  if (current.status === 404 && !step.create) return 'unchanged';
  if (current.status !== 404 && current.status >= 300) throw new Error(`${step.title}: GET ${step.url} answered ${current.status}`);
  if (current.status !== 404 && covers(current.data, step.body)) return 'unchanged';
  const target = current.status === 404 ? step.create : step.update;
  if (!target) return 'unchanged';
  const done = await r.http(target.method, target.url, step.body);
  if (done.status >= 300) throw new Error(`${step.title}: ${target.method} ${target.url} answered ${done.status}`);
  return current.status === 404 ? 'create' : 'update';
}

async function scheduler(step: SchedulerStep, r: Runners): Promise<Outcome> {
  let existing: unknown = null;
  try {
    [existing] = await r.scheduler.getJob({ name: step.job.name });
  } catch (error) {
    // NOT_FOUND is code 5 over gRPC; over the REST fallback (gax 5 + google-auth-library 10) the
    // auth client's fetch throws a GaxiosError with the HTTP status 404 before gax can map it.
    const code = (error as { code?: unknown }).code;
    if (code !== 5 && code !== 404) throw error;
  }
  if (existing === null) {
    await r.scheduler.createJob({ parent: step.parent, job: step.job });
    return 'create';
  }
  const wanted = { ...step.job, httpTarget: { ...step.job.httpTarget, body: undefined } };
  // The body comes back as bytes; compare it separately.
  const body = (existing as { httpTarget?: { body?: Uint8Array | string } }).httpTarget?.body;
  const sameBody = body !== undefined && Buffer.from(body as Uint8Array).toString('base64') === step.job.httpTarget.body;
  if (sameBody && covers(existing, JSON.parse(JSON.stringify(wanted)))) return 'unchanged';
  await r.scheduler.updateJob({ job: step.job });
  return 'update';
}

async function bucket(step: BucketStep, r: Runners): Promise<Outcome> {
  const b = r.storage.bucket(step.bucket);
  const a = step.action;
  if (a.type === 'metadata') {
    const [exists] = await b.exists();
    if (!exists) {
      await r.storage.createBucket(step.bucket, a.metadata);
      return 'create';
    }
    const [current] = await b.getMetadata();
    // The name and location are fixed at creation; everything else can be brought up to date.
    const mutable = Object.fromEntries(Object.entries(a.metadata).filter(([k]) => k !== 'name' && k !== 'location'));
    const location = String(a.metadata.location);
    if (current.location?.toLowerCase() !== location.toLowerCase()) throw new Error(`gs://${step.bucket} is in ${current.location ?? '?'}, not ${location}`);
    if (covers(current, mutable)) return 'unchanged';
    await b.setMetadata(mutable);
    return 'update';
  }
  if (a.type === 'iam') {
    const [policy] = await b.iam.getPolicy({ requestedPolicyVersion: 3 });
    const binding = policy.bindings.find((x) => x.role === a.role && !x.condition);
    if (binding?.members.includes(a.member)) return 'unchanged';
    if (binding) binding.members.push(a.member);
    else policy.bindings.push({ role: a.role, members: [a.member] });
    await b.iam.setPolicy(policy);
    return 'update';
  }
  const [current] = await b.getMetadata();
  if (current.retentionPolicy?.isLocked === true) return 'unchanged';
  await b.lock(String(current.metageneration));
  return 'update';
}

/**
 * Applies `steps` in order, each reading the current state first and reporting create / update /
 * unchanged. Stops at the first failure: later steps depend on earlier ones.
 */
export async function executeSteps(steps: readonly Step[], r: Runners): Promise<{ failed: boolean; outcomes: Outcome[] }> {
  const vars = new Map<string, string>();
  const outcomes: Outcome[] = [];
  for (const [i, raw] of steps.entries()) {
    const label = `[${String(i + 1).padStart(2, '0')}] ${raw.part}: ${raw.title}`;
    try {
      let outcome: Outcome;
      if (raw.kind === 'capture') {
        const out = await r.run(raw.argv);
        if (out.code !== 0 || out.stdout.trim() === '') throw new Error(`${raw.argv.join(' ')} exited ${out.code}\n${out.stderr}`);
        vars.set(raw.name, out.stdout.trim());
        outcome = 'captured';
      } else {
        const step = resolve(raw, vars);
        outcome = step.kind === 'command' ? await command(step, r)
          : step.kind === 'http' ? await http(step, r)
            : step.kind === 'scheduler' ? await scheduler(step, r)
              : await bucket(step, r);
      }
      outcomes.push(outcome);
      r.log(`${label}: ${outcome}`);
    } catch (error) {
      r.log(`${label}: FAILED\n${error instanceof Error ? error.message : String(error)}`);
      return { failed: true, outcomes };
    }
  }
  return { failed: false, outcomes };
}

/** The real edges: gcloud/firebase processes, Google APIs with Application Default Credentials. */
export async function defaultRunners(o: DeployOptions): Promise<Runners> {
  const [{ CloudSchedulerClient }, { Storage }, { GoogleAuth }] = await Promise.all([
    import('@google-cloud/scheduler'),
    import('@google-cloud/storage'),
    import('google-auth-library'),
  ]);
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  return {
    run: (argv, stdin) =>
      new Promise((done, fail) => {
        const child = spawn(argv[0] ?? '', argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('error', fail);
        child.on('close', (code) => done({ code: code ?? 1, stdout, stderr }));
        child.stdin.end(stdin ?? '');
      }),
    http: async (method, url, body) => {
      const client = await auth.getClient();
      const res = await client.request({ method, url, data: body, validateStatus: () => true, headers: { 'x-goog-user-project': o.project } });
      return { status: res.status, data: res.data };
    },
    scheduler: new CloudSchedulerClient(),
    storage: new Storage({ projectId: o.project }),
    log: (line) => process.stdout.write(`${line}\n`),
  };
}

/** Runs the plan against Google Cloud with the deployer's credentials. */
export async function executePlan(steps: readonly Step[], o: DeployOptions): Promise<{ failed: boolean }> {
  return executeSteps(steps, await defaultRunners(o));
}
