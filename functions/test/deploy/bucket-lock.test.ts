import { Storage } from '@google-cloud/storage';
import { executeSteps, type Runners } from '../../../scripts/deploy/execute';
import { buildPlan } from '../../../scripts/deploy/plan';
import { startGcsRecorder } from './gcs-recorder';
import { sampleOptions } from './sample';

const BUCKET = 'orderpally-demo-backups';
const LOCK = `/storage/v1/b/${BUCKET}/lockRetentionPolicy`;

describe('deploy bucket part: the retention lock through the official Cloud Storage client', () => {
  let gcs: Awaited<ReturnType<typeof startGcsRecorder>>;
  beforeEach(async () => {
    gcs = await startGcsRecorder();
  });
  afterEach(async () => {
    await new Promise<void>((done) => gcs.server.close(() => done()));
  });

  /** Runners whose only Google API is the recorder; gcloud answers the project number and enables APIs. */
  function runners(log: string[]): Runners {
    const refuse = (edge: string) => (): never => {
      throw new Error(`bucket steps must not use ${edge}`);
    };
    return {
      run: async (argv) => ({ code: 0, stdout: argv.includes('describe') ? '123456789012\n' : '', stderr: '' }),
      http: refuse('http'),
      scheduler: { getJob: refuse('scheduler'), createJob: refuse('scheduler'), updateJob: refuse('scheduler') },
      storage: new Storage({ apiEndpoint: gcs.endpoint, projectId: 'orderpally-demo' }),
      log: (line) => log.push(line),
    };
  }

  it('when the bucket part runs on an empty project and again, then the bucket is created, its retention locked at the metageneration read, and the second run changes nothing', async () => {
    const steps = buildPlan(sampleOptions('--only', 'bucket'));
    const log: string[] = [];
    const first = await executeSteps(steps, runners(log));
    expect(log.filter((l) => l.includes('FAILED'))).toEqual([]);
    expect(first.failed).toBe(false);
    expect(first.outcomes[first.outcomes.length - 1]).toBe('update');
    expect(gcs.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/storage/v1/b', LOCK]);
    // The recorder answers 412 unless ifMetagenerationMatch is the bucket's current metageneration.
    expect(gcs.buckets.get(BUCKET)).toMatchObject({ retentionPolicy: { retentionPeriod: String(7 * 86_400), isLocked: true } });

    const before = gcs.requests.length;
    const second = await executeSteps(steps, runners(log));
    expect(second.failed).toBe(false);
    expect(second.outcomes.filter((o) => o !== 'applied' && o !== 'captured')).toEqual(second.outcomes.filter((o) => o !== 'applied' && o !== 'captured').map(() => 'unchanged'));
    expect(gcs.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('when --no-lock-retention is given, then no lock request is sent and the retention policy stays unlocked', async () => {
    const log: string[] = [];
    const run = await executeSteps(buildPlan(sampleOptions('--no-lock-retention', '--only', 'bucket')), runners(log));
    expect(run.failed).toBe(false);
    expect(gcs.requests.map((r) => r.path)).not.toContain(LOCK);
    expect((gcs.buckets.get(BUCKET)?.retentionPolicy as { isLocked?: boolean } | undefined)?.isLocked).toBeUndefined();
  });
});
