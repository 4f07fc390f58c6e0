import { Storage } from '@google-cloud/storage';
import { executeSteps, resolve, type Outcome, type Runners } from '../../../scripts/deploy/execute';
import { buildPlan } from '../../../scripts/deploy/plan';
import type { SchedulerJob, Step } from '../../../scripts/deploy/steps';
import { startGcsRecorder, type Recorded } from './gcs-recorder';
import { sampleOptions } from './sample';

/** What the capture steps find in the fake project. */
function captured(argv: readonly string[]): string | undefined {
  const line = argv.join(' ');
  if (line.includes('projects describe')) return '123456789012';
  if (line.includes('serviceConfig.uri')) return `https://${argv[3]?.toLowerCase() ?? ''}-abc-de.a.run.app`;
  if (line.includes('secrets versions access')) return 'fb-secret';
  return undefined;
}

/**
 * A project's state as gcloud would show it, for the plan `steps`: applying a step's create or
 * update makes its read print what the step expects (`exists` when it expects nothing special).
 */
class FakeProject {
  readonly resources = new Map<string, string>();
  readonly applied: string[] = [];
  readonly jobs = new Map<string, SchedulerJob>();
  readonly rest = new Map<string, unknown>();
  readonly calls: string[] = [];
  /** Resolved create/update command → [resolved read, what it prints afterwards]. */
  private readonly effects = new Map<string, [string, string]>();

  constructor(steps: readonly Step[]) {
    const vars = new Map<string, string>();
    for (const raw of steps) {
      if (raw.kind === 'capture') {
        vars.set(raw.name, captured(raw.argv) ?? '');
        continue;
      }
      const step = resolve(raw, vars);
      if (step.kind !== 'command' || !step.read) continue;
      for (const argv of [step.create, step.update ?? []]) this.effects.set(argv.join(' '), [step.read.join(' '), step.expect ?? 'exists']);
    }
  }

  runners(storage: Storage, log: string[]): Runners {
    return {
      run: async (argv) => {
        const line = argv.join(' ');
        const capture = captured(argv);
        if (capture !== undefined) return { code: 0, stdout: `${capture}\n`, stderr: '' };
        const isRead = /\b(describe|get-iam-policy)\b/.test(line);
        if (isRead) return this.resources.has(line) ? { code: 0, stdout: `${this.resources.get(line) ?? ''}\n`, stderr: '' } : { code: 1, stdout: '', stderr: 'NOT_FOUND' };
        this.applied.push(line);
        const effect = this.effects.get(line);
        if (effect) this.resources.set(...effect);
        return { code: 0, stdout: '', stderr: '' };
      },
      http: async (method, url, body) => {
        const resource = url.split('?')[0] ?? url;
        this.calls.push(`${method} ${url}`);
        if (method === 'GET') return this.rest.has(resource) ? { status: 200, data: this.rest.get(resource) } : { status: 404, data: {} };
        const target = method === 'POST' ? `${resource}/${new URL(url).searchParams.get('idpId') ?? ''}` : resource;
        this.rest.set(target, { ...(this.rest.get(target) as object | undefined), ...(body as object) });
        return { status: 200, data: this.rest.get(target) };
      },
      scheduler: {
        getJob: (async ({ name }: { name: string }) => {
          const job = this.jobs.get(name);
          if (!job) throw Object.assign(new Error('NOT_FOUND'), { code: 5 });
          return [{ ...job, httpTarget: { ...job.httpTarget, body: Buffer.from(job.httpTarget.body, 'base64') } }];
        }) as unknown as Runners['scheduler']['getJob'],
        createJob: (async ({ job }: { job: SchedulerJob }) => {
          this.calls.push(`createJob ${job.name}`);
          this.jobs.set(job.name, job);
          return [job];
        }) as unknown as Runners['scheduler']['createJob'],
        updateJob: (async ({ job }: { job: SchedulerJob }) => {
          this.calls.push(`updateJob ${job.name}`);
          this.jobs.set(job.name, job);
          return [job];
        }) as unknown as Runners['scheduler']['updateJob'],
      },
      storage,
      log: (line) => log.push(line),
    };
  }
}

describe('deploy execution: read first, then create / update / unchanged', () => {
  let gcs: Awaited<ReturnType<typeof startGcsRecorder>>;
  beforeAll(async () => {
    gcs = await startGcsRecorder();
  });
  afterAll(async () => {
    await new Promise<void>((done) => gcs.server.close(() => done()));
  });

  it('when the plan runs on an empty project and then again, then the first run creates and the second changes nothing', async () => {
    const steps = buildPlan(sampleOptions('--only', 'logging,firestore,bucket,identity,scheduler,frontdoor'));
    const project = new FakeProject(steps);
    const storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: 'orderpally-demo' });
    const log: string[] = [];

    const first = await executeSteps(steps, project.runners(storage, log));
    expect(log.filter((l) => l.includes('FAILED'))).toEqual([]);
    expect(first.failed).toBe(false);
    const count = (outcomes: Outcome[], o: Outcome): number => outcomes.filter((x) => x === o).length;
    expect(count(first.outcomes, 'create')).toBeGreaterThan(20);
    expect(project.calls.filter((c) => c.startsWith('createJob'))).toHaveLength(steps.filter((s) => s.kind === 'scheduler').length);
    expect(gcs.buckets.get('orderpally-demo-backups')).toMatchObject({ retentionPolicy: { retentionPeriod: String(7 * 86_400) } });
    const firstGcs: Recorded[] = [...gcs.requests];
    expect(firstGcs).toContainEqual({ method: 'POST', path: '/storage/v1/b' });

    const appliedBefore = project.applied.length;
    const callsBefore = project.calls.length;
    const second = await executeSteps(steps, project.runners(storage, log));
    expect(log.filter((l) => l.includes('FAILED'))).toEqual([]);
    expect(second.failed).toBe(false);
    // Only the always-applied steps (API enablement, rules/index deploy, URL map import) run again.
    const again = project.applied.slice(appliedBefore);
    expect(again.every((l) => /services enable|firebase deploy|url-maps import/.test(l))).toBe(true);
    expect(project.calls.slice(callsBefore).filter((c) => !c.startsWith('GET'))).toEqual([]);
    expect(gcs.requests.slice(firstGcs.length).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(count(second.outcomes, 'unchanged')).toBeGreaterThan(20);
    expect(count(second.outcomes, 'create')).toBe(0);
    expect(project.jobs.size).toBe(steps.filter((s) => s.kind === 'scheduler').length);
  });

  it('when a job or the sign-in config drifted, then the next run updates it and only it', async () => {
    const steps = buildPlan(sampleOptions('--only', 'identity,scheduler'));
    const project = new FakeProject(steps);
    const storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: 'orderpally-demo' });
    await executeSteps(steps, project.runners(storage, []));
    const name = 'projects/orderpally-demo/locations/asia-east1/jobs/deliverMail';
    const job = project.jobs.get(name);
    if (!job) throw new Error('deliverMail job missing');
    project.jobs.set(name, { ...job, timeZone: 'UTC' });
    const config = 'https://identitytoolkit.googleapis.com/admin/v2/projects/orderpally-demo/config';
    project.rest.set(config, { ...(project.rest.get(config) as object), signIn: { email: { enabled: true, passwordRequired: true }, anonymous: { enabled: true }, phoneNumber: { enabled: false } } });
    const before = project.calls.length;
    const run = await executeSteps(steps, project.runners(storage, []));
    expect(run.failed).toBe(false);
    expect(project.calls.slice(before).filter((c) => !c.startsWith('GET'))).toEqual([`PATCH ${config}?updateMask=signIn.email.enabled,signIn.email.passwordRequired,signIn.anonymous.enabled,signIn.phoneNumber.enabled,blockingFunctions.triggers`, `updateJob ${name}`]);
    expect(project.jobs.get(name)?.timeZone).toBe('Asia/Taipei');
  });

  it('when the database already exists outside asia-east1, then the run stops there instead of deploying onto it', async () => {
    const steps = buildPlan(sampleOptions('--only', 'firestore'));
    const project = new FakeProject(steps);
    const log: string[] = [];
    const runners = project.runners(new Storage({ apiEndpoint: gcs.endpoint, projectId: 'orderpally-demo' }), log);
    const run = (async (argv) => (argv.join(' ').includes('databases describe') ? { code: 0, stdout: 'us-central1\n', stderr: '' } : runners.run(argv))) as Runners['run'];
    const result = await executeSteps(steps, { ...runners, run });
    expect(result.failed).toBe(true);
    expect(log.join('\n')).toMatch(/Firestore \(default\) database in asia-east1: FAILED\n.*found "us-central1", expected "asia-east1"/);
    expect(project.applied.some((l) => l.includes('firebase deploy'))).toBe(false);
  });
});
