import { protos } from '@google-cloud/scheduler';
import { FUNCTIONS } from '../../src/index';
import { kindOf } from '../../src/http/kind';
import { SCHEDULED_JOBS } from '../../src/local/schedule';
import { executeSteps, type Runners } from '../../../scripts/deploy/execute';
import { buildPlan } from '../../../scripts/deploy/plan';
import type { SchedulerStep } from '../../../scripts/deploy/steps';
import { startSchedulerRecorder, type SchedulerRecorder } from './scheduler-recorder';
import { sampleOptions } from './sample';

const PARENT = 'projects/orderpally-demo/locations/asia-east1';
const SCHEDULER_SA = 'orderpally-scheduler@orderpally-demo.iam.gserviceaccount.com';
const SCHEDULED = Object.entries(FUNCTIONS).filter(([, fn]) => kindOf(fn) === 'scheduled').map(([n]) => n).sort();
/** Only the scheduler steps: the API-enabling gcloud command is covered by execute.test.ts. */
const STEPS = buildPlan(sampleOptions('--only', 'scheduler')).filter((s): s is SchedulerStep => s.kind === 'scheduler');

let recorder: SchedulerRecorder;
beforeAll(async () => {
  recorder = await startSchedulerRecorder();
});
afterAll(async () => {
  await recorder.close();
});

/** Runners whose only live edge is the real scheduler client; any other edge fails the step. */
function runners(log: string[]): Runners {
  const unused = (edge: string) => (): never => {
    throw new Error(`scheduler steps must not use the ${edge} runner`);
  };
  return {
    run: unused('run'),
    http: unused('http'),
    storage: { bucket: unused('storage'), createBucket: unused('storage') },
    scheduler: recorder.client(),
    log: (line) => log.push(line),
  };
}

/** Requests since `from` that change something. */
const writes = (from: number) => recorder.requests.slice(from).filter((r) => r.method !== 'GET');

describe('deploy scheduler steps through the official Cloud Scheduler client', () => {
  it('when the jobs are deployed to an empty project and then again, then the first run creates one Taipei-time OIDC job per scheduled function and the second changes nothing', async () => {
    expect(STEPS.map((s) => s.job.name.split('/').pop()).sort()).toEqual(SCHEDULED);
    const log: string[] = [];

    const first = await executeSteps(STEPS, runners(log));
    expect(log.filter((l) => l.includes('FAILED'))).toEqual([]);
    expect(first).toEqual({ failed: false, outcomes: STEPS.map(() => 'create'), failures: [] });
    const creates = writes(0);
    expect(creates.map((r) => `${r.method} ${r.path}`)).toEqual(STEPS.map(() => `POST /v1/${PARENT}/jobs`));
    expect(creates.map((r) => String(r.body.name).split('/').pop()).sort()).toEqual(SCHEDULED);
    for (const { body, authorization } of creates) {
      const fn = String(body.name).split('/').pop() ?? '';
      const url = `https://asia-east1-orderpally-demo.cloudfunctions.net/${fn}`;
      expect(authorization).toBe('Bearer scheduler-recorder-token');
      expect(body).toMatchObject({
        name: `${PARENT}/jobs/${fn}`,
        schedule: SCHEDULED_JOBS.find((j) => j.name === fn)?.cron,
        timeZone: 'Asia/Taipei',
        // The client sends enums as numbers (`enum-encoding=int`): HttpMethod.POST.
        httpTarget: { uri: url, httpMethod: protos.google.cloud.scheduler.v1.HttpMethod.POST, body: Buffer.from('{}').toString('base64'), oidcToken: { serviceAccountEmail: SCHEDULER_SA, audience: url } },
      });
    }
    expect([...recorder.jobs.keys()].sort()).toEqual(SCHEDULED.map((n) => `${PARENT}/jobs/${n}`));

    const before = recorder.requests.length;
    const second = await executeSteps(STEPS, runners(log));
    expect(log.filter((l) => l.includes('FAILED'))).toEqual([]);
    expect(second).toEqual({ failed: false, outcomes: STEPS.map(() => 'unchanged'), failures: [] });
    expect(recorder.requests.slice(before).map((r) => r.method)).toEqual(STEPS.map(() => 'GET'));
    expect(writes(before)).toEqual([]);
  });

  it('when one job drifted to another schedule, then the next run PATCHes that job only, back to its cron', async () => {
    if (recorder.jobs.size === 0) await executeSteps(STEPS, runners([]));
    const name = `${PARENT}/jobs/deliverMail`;
    const job = recorder.jobs.get(name);
    if (!job) throw new Error('deliverMail job missing');
    const cron = job.schedule;
    recorder.jobs.set(name, { ...job, schedule: '0 3 * * *' });

    const before = recorder.requests.length;
    const run = await executeSteps(STEPS, runners([]));
    expect(run.failed).toBe(false);
    expect(run.outcomes.filter((o) => o !== 'unchanged')).toEqual(['update']);
    expect(writes(before).map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /v1/${name}`]);
    expect(writes(before)[0]?.body).toMatchObject({ schedule: cron, timeZone: 'Asia/Taipei' });
    expect(recorder.jobs.get(name)?.schedule).toBe(cron);

    const after = recorder.requests.length;
    expect((await executeSteps(STEPS, runners([]))).outcomes).toEqual(STEPS.map(() => 'unchanged'));
    expect(writes(after)).toEqual([]);
  });
});
