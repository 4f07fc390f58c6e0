import { Storage } from '@google-cloud/storage';
import { readOnly } from '../../../scripts/deploy/check';
import { executeSteps, type Runners } from '../../../scripts/deploy/execute';
import { deployedName, isFunctionDeploy } from '../../../scripts/deploy/function-compare';
import { deployMain } from '../../../scripts/deploy/main';
import { buildPlan } from '../../../scripts/deploy/plan';
import type { CommandStep, SchedulerStep, Step } from '../../../scripts/deploy/steps';
import { startGcsRecorder } from './gcs-recorder';
import { LiveProject } from './live-project';
import { SAMPLE_ARGS, sampleOptions } from './sample';
import { startSchedulerRecorder, type SchedulerRecorder } from './scheduler-recorder';

const STEPS = buildPlan(sampleOptions());
const BUCKET = sampleOptions().bucket;
const deploys = STEPS.filter(isFunctionDeploy);

let gcs: Awaited<ReturnType<typeof startGcsRecorder>>;
let scheduler: SchedulerRecorder;
beforeAll(async () => {
  [gcs, scheduler] = await Promise.all([startGcsRecorder(), startSchedulerRecorder()]);
});
afterAll(async () => {
  await Promise.all([scheduler.close(), new Promise<void>((done) => gcs.server.close(() => done()))]);
});

/** A project as a full deploy leaves it: jobs and bucket through the official clients, the rest recorded. */
async function deployedProject(): Promise<{ live: LiveProject; runners: (log: string[]) => Runners }> {
  const live = new LiveProject(STEPS);
  const storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: 'orderpally-demo' });
  const client = scheduler.client();
  const runners = (log: string[]): Runners => live.runners(storage, client, log);
  const setUp = await executeSteps(STEPS.filter((s) => ['capture', 'bucket', 'scheduler'].includes(s.kind)), runners([]));
  expect(setUp.failures).toEqual([]);
  return { live, runners };
}

/** `npm run deploy -- <sample> --check` against the project; what it printed, its exit code, and every write anywhere. */
async function check(project: Awaited<ReturnType<typeof deployedProject>>): Promise<{ code: number; text: string; drifted: string[]; writes: string[] }> {
  const gcsBefore = gcs.requests.length;
  const schedulerBefore = scheduler.requests.length;
  const log: string[] = [];
  const out: string[] = [];
  const code = await deployMain([...SAMPLE_ARGS, '--check'], {}, { out: (t) => out.push(t), err: (t) => out.push(t), runners: async () => project.runners(log) });
  const writes = [
    ...project.live.writes,
    ...gcs.requests.slice(gcsBefore).filter((r) => r.method !== 'GET').map((r) => `GCS ${r.method} ${r.path}`),
    ...scheduler.requests.slice(schedulerBefore).filter((r) => r.method !== 'GET').map((r) => `Scheduler ${r.method} ${r.path}`),
  ];
  return { code, text: [...out, ...log].join('\n'), drifted: log.filter((l) => l.endsWith(': DRIFT')), writes };
}

const titled = (prefix: string): Step => STEPS.find((s) => s.title.startsWith(prefix)) as Step;
const label = (step: Step): string => `[${String(STEPS.indexOf(step) + 1).padStart(2, '0')}] ${step.part}: ${step.title}: DRIFT`;

describe('npm run deploy -- --check', () => {
  it('when the live project matches the plan, then it reports no drift, exits 0 and writes nothing', async () => {
    const result = await check(await deployedProject());
    expect(result.drifted).toEqual([]);
    expect(result.text).toMatch(/No drift: all \d+ compared steps match the plan\./);
    expect(result.code).toBe(0);
    expect(result.writes).toEqual([]);
  });

  it('when a function runs on nodejs20, the bucket retention is unlocked and a job has another schedule, then each is reported and it exits 1, writing nothing', async () => {
    const project = await deployedProject();
    const fn = deployedName(deploys[0] as CommandStep);
    (project.live.functions.get(fn)?.buildConfig as Record<string, unknown>).runtime = 'nodejs20';
    const bucket = gcs.buckets.get(BUCKET) as { retentionPolicy: Record<string, unknown> };
    bucket.retentionPolicy = { ...bucket.retentionPolicy, isLocked: false };
    const job = STEPS.find((s): s is SchedulerStep => s.kind === 'scheduler') as SchedulerStep;
    scheduler.jobs.set(job.job.name, { ...scheduler.jobs.get(job.job.name), schedule: '0 3 * * *' });

    const result = await check(project);

    const lock = STEPS.find((s) => s.kind === 'bucket' && s.action.type === 'lock') as Step;
    expect(result.drifted).toEqual([label(deploys[0] as Step), label(lock), label(job)]);
    expect(result.text).toContain('buildConfig.runtime: live "nodejs20", plan "nodejs24"');
    expect(result.text).toContain('retentionPolicy.isLocked: live false, plan true');
    expect(result.text).toContain(`schedule: live "0 3 * * *", plan ${JSON.stringify(job.job.schedule)}`);
    expect(result.text).toMatch(/DRIFT: 3 difference\(s\) in 3 of \d+ compared steps/);
    expect(result.code).toBe(1);
    expect(result.writes).toEqual([]);
  });

  it('when privileges, the edge or TTL drifted (a private function made public, a secret where none belongs, TLS below 1.3, a deleted backend, Cloud Armor detached, TTL off), then each is reported', async () => {
    const project = await deployedProject();
    const scheduled = deploys.find((s) => s.create.includes('--ingress-settings=internal-only')) as CommandStep;
    project.live.grant(deployedName(scheduled).toLowerCase(), 'allUsers');
    const noSecret = deploys.find((s) => s.create.includes('--clear-secrets')) as CommandStep;
    Object.assign(project.live.functions.get(deployedName(noSecret))?.serviceConfig as object, {
      secretEnvironmentVariables: [{ key: 'SMTP_URL', projectId: '123456789012', secret: 'orderpally-smtp-url', version: 'latest' }],
    });
    const ssl = titled('SSL policy') as CommandStep;
    project.live.reads.set(ssl.read?.join(' ') ?? '', 'COMPATIBLE\tTLS_1_0');
    const backend = titled('backend service for') as CommandStep;
    project.live.reads.delete(backend.read?.join(' ') ?? '');
    const armor = titled('orderpally-edge on ') as CommandStep;
    project.live.reads.delete(armor.read?.join(' ') ?? '');
    const ttl = titled('TTL on') as CommandStep;
    project.live.reads.set(ttl.read?.join(' ') ?? '', 'NEEDS_REPAIR');

    const result = await check(project);

    expect(result.drifted).toEqual([scheduled, noSecret, ssl, backend, armor, ttl].sort((a, b) => STEPS.indexOf(a) - STEPS.indexOf(b)).map(label));
    expect(result.text).toMatch(/roles\/run\.invoker: live "allUsers, serviceAccount:orderpally-scheduler@[^"]+", plan "serviceAccount:orderpally-scheduler@/);
    expect(result.text).toContain('secrets: live "SMTP_URL=orderpally-smtp-url:latest", plan "(none)"');
    expect(result.text).toContain('read: live "COMPATIBLE\\tTLS_1_0", plan "RESTRICTED\\tTLS_1_3"');
    expect(result.text).toContain('resource: live "missing (ERROR: (gcloud) NOT_FOUND: Resource not found)", plan "present"');
    expect(result.text).toContain(`resource: live "missing (ERROR: (gcloud) NOT_FOUND: Resource not found)", plan ${JSON.stringify(armor.expect)}`);
    expect(result.text).toContain(`read: live "NEEDS_REPAIR", plan ${JSON.stringify(ttl.expect)}`);
    expect(result.code).toBe(1);
    expect(result.writes).toEqual([]);
  });

  it('when the Facebook secret or the sign-in methods drifted, then the difference is shown without the secret', async () => {
    const project = await deployedProject();
    const facebook = titled('Facebook sign-in');
    const url = facebook.kind === 'http' ? facebook.url : '';
    project.live.rest.set(url, { ...(project.live.rest.get(url) as object), clientSecret: 'old-live-secret' });
    const methods = titled('sign-in methods');
    const config = methods.kind === 'http' ? methods.url : '';
    const signIn = (project.live.rest.get(config) as { signIn: Record<string, unknown> }).signIn;
    project.live.rest.set(config, { ...(project.live.rest.get(config) as object), signIn: { ...signIn, anonymous: { enabled: true } } });
    const result = await check(project);
    expect(result.drifted).toEqual([methods, facebook].sort((a, b) => STEPS.indexOf(a) - STEPS.indexOf(b)).map(label));
    expect(result.text).toContain('signIn.anonymous.enabled: live true, plan false');
    expect(result.text).toContain('clientSecret: live «hidden», plan «hidden»');
    expect(result.text).not.toMatch(/old-live-secret|value-of-FACEBOOK_APP_SECRET/);
    expect(result.code).toBe(1);
  });

  it('when something asks the check to run a command that is not a read, then it is refused before it reaches gcloud', async () => {
    const ran: string[] = [];
    const guard = readOnly({ run: async (argv) => { ran.push(argv.join(' ')); return { code: 0, stdout: '', stderr: '' }; } } as Runners);
    await expect(guard.run(deploys[0]?.create ?? [])).rejects.toThrow(/--check only reads; refusing to run gcloud functions deploy/);
    await expect(guard.run(['gcloud', 'compute', 'ssl-policies', 'update', 'x'])).rejects.toThrow(/refusing/);
    expect(ran).toEqual([]);
  });
});
