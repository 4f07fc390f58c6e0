import { Storage } from '@google-cloud/storage';
import { executeSteps, type Runners } from '../../../scripts/deploy/execute';
import { deployMain } from '../../../scripts/deploy/main';
import { buildPlan } from '../../../scripts/deploy/plan';
import type { CommandStep, Step } from '../../../scripts/deploy/steps';
import { startGcsRecorder } from './gcs-recorder';
import { LiveProject } from './live-project';
import { SAMPLE_ARGS, sampleOptions, WEB_ARGS } from './sample';

const ARGS = [...SAMPLE_ARGS, ...WEB_ARGS, '--only', 'web,frontdoor'];
const STEPS = buildPlan(sampleOptions(...WEB_ARGS, '--only', 'web,frontdoor'));
const WEB_BUCKET = 'orderpally-demo-web';
const backendBucket = STEPS.find((s) => s.title.startsWith('backend bucket orderpally-web')) as CommandStep;

let gcs: Awaited<ReturnType<typeof startGcsRecorder>>;
beforeAll(async () => {
  gcs = await startGcsRecorder();
});
afterAll(async () => {
  await new Promise<void>((done) => gcs.server.close(() => done()));
});

/** A project a deploy of the web client left: the bucket through the official client, the gcloud reads recorded. */
async function deployedProject(): Promise<{ live: LiveProject; runners: (log: string[]) => Runners }> {
  gcs.buckets.delete(WEB_BUCKET);
  const live = new LiveProject(STEPS);
  const storage = new Storage({ apiEndpoint: gcs.endpoint, projectId: 'orderpally-demo' });
  const runners = (log: string[]): Runners => live.runners(storage, { getJob: () => Promise.reject(new Error('no jobs here')) } as unknown as Runners['scheduler'], log);
  const setUp = await executeSteps(STEPS.filter((s) => s.kind === 'bucket'), runners([]));
  expect(setUp.failures).toEqual([]);
  return { live, runners };
}

/** `npm run deploy -- … --check`: exit code, what it printed, the drifted step labels, and every write anywhere. */
async function check(project: Awaited<ReturnType<typeof deployedProject>>): Promise<{ code: number; text: string; drifted: string[]; writes: string[] }> {
  const before = gcs.requests.length;
  const log: string[] = [];
  const out: string[] = [];
  const code = await deployMain([...ARGS, '--check'], {}, { out: (t) => out.push(t), err: (t) => out.push(t), runners: async () => project.runners(log) });
  const writes = [...project.live.writes, ...gcs.requests.slice(before).filter((r) => r.method !== 'GET').map((r) => `GCS ${r.method} ${r.path}`)];
  return { code, text: [...out, ...log].join('\n'), drifted: log.filter((l) => l.endsWith(': DRIFT')), writes };
}

const label = (step: Step): string => `[${String(STEPS.indexOf(step) + 1).padStart(2, '0')}] ${step.part}: ${step.title}: DRIFT`;

describe('npm run deploy -- --check: the web client', () => {
  it('when the web bucket, backend bucket and certificates are as planned, then there is no drift and nothing is written', async () => {
    const result = await check(await deployedProject());
    expect(result.drifted).toEqual([]);
    expect(result.text).toMatch(/No drift: all \d+ compared steps match the plan\./);
    expect(result.code).toBe(0);
    expect(result.writes).toEqual([]);
  });

  it('when a security header was changed on the backend bucket and the bucket is outside asia-east1, then both are drift, exit 1, nothing written', async () => {
    const project = await deployedProject();
    const read = backendBucket.read?.join(' ') ?? '';
    const loosened = (backendBucket.expect ?? '').replace("script-src 'self'", "script-src 'self' https://cdn.example.com");
    project.live.reads.set(read, loosened);
    Object.assign(gcs.buckets.get(WEB_BUCKET) ?? {}, { location: 'US' });
    const bucket = STEPS.find((s) => s.kind === 'bucket' && s.action.type === 'metadata') as Step;

    const result = await check(project);

    expect(result.drifted).toEqual([label(bucket), label(backendBucket)]);
    expect(result.text).toContain('location: live "US", plan "asia-east1"');
    expect(result.text).toContain("script-src 'self' https://cdn.example.com");
    expect(result.text).toMatch(/DRIFT: 2 difference\(s\) in 2 of \d+ compared steps/);
    expect(result.code).toBe(1);
    expect(result.writes).toEqual([]);
  });

  it('when a header drifted, then a deploy puts the planned headers back with backend-buckets update', async () => {
    const project = await deployedProject();
    project.live.reads.set(backendBucket.read?.join(' ') ?? '', `${WEB_BUCKET}\tX-Content-Type-Options: nosniff`);
    const log: string[] = [];
    const run = await executeSteps([backendBucket], project.runners(log));
    expect(run.outcomes).toEqual(['update']);
    expect(project.live.writes).toEqual([(backendBucket.update ?? []).join(' ')]);
    expect(project.live.writes[0]).toMatch(/^gcloud compute backend-buckets update orderpally-web .*--custom-response-header=Content-Security-Policy: default-src 'self'/);
  });
});
