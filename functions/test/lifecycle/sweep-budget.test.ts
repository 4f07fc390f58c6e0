import * as functions from '@google-cloud/functions-framework';
import { lifecycleLimitsFor } from '../../src/lifecycle/sweep';
import { processLifecycleSpec } from '../../src/lifecycle/process-lifecycle';
import { getDeps } from '../../src/deps';
import { deliverMailSpec } from '../../src/mail/deliver-mail';
import { enqueueMail } from '../../src/mail/outbox';
import { MANIFEST } from '../../src/manifest';
import { scheduledFunction } from '../../src/manifest-entry';
import { SWEEP } from '../../src/manifest-sizing';
import { startFunctionsServer, type RunningServer } from '../support/server';

/**
 * The lifecycle sweep's time budget follows the timeout the manifest declares: declared through
 * the real manifest helper and served by the real scheduled wrapper, called as the local cron calls.
 */
const declare = (timeoutSeconds: number) => scheduledFunction(
  () => async (_deps, context) => ({ timeoutMs: context.timeoutMs, maxMs: lifecycleLimitsFor(context).maxMs }),
  { cron: '*/5 * * * *', sizing: { ...SWEEP, timeoutSeconds }, group: 'lifecycle' },
);
functions.http('budgetDeclared', declare(MANIFEST.processLifecycle.sizing.timeoutSeconds).serve('budgetDeclared'));
functions.http('budget90', declare(90).serve('budget90'));
functions.http('mailNoTime', scheduledFunction(() => deliverMailSpec, { cron: '* * * * *', sizing: { ...SWEEP, timeoutSeconds: 0.001 }, group: 'mail' }).serve('mailNoTime'));
functions.http('mailInTime', scheduledFunction(() => deliverMailSpec, { cron: '* * * * *', sizing: SWEEP, group: 'mail' }).serve('mailInTime'));
functions.http('lifecycleNoTime', scheduledFunction(() => processLifecycleSpec, { cron: '*/5 * * * *', sizing: { ...SWEEP, timeoutSeconds: 0.001 }, group: 'lifecycle' })
  .serve('lifecycleNoTime'));

let server: RunningServer;
beforeAll(async () => {
  server = await startFunctionsServer(['budgetDeclared', 'budget90', 'lifecycleNoTime', 'mailNoTime', 'mailInTime']);
});
afterAll(() => server.close());

const run = async (name: string): Promise<Record<string, unknown>> => {
  const response = await fetch(`${server.baseUrl}/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
};

describe('the lifecycle time budget follows the declared timeout', () => {
  it('when processLifecycle is declared with 540 s, then new work may start for 240 s and 300 s are left to finish it', async () => {
    expect(MANIFEST.processLifecycle.sizing.timeoutSeconds).toBe(540);
    const { timeoutMs, maxMs } = await run('budgetDeclared');
    expect(timeoutMs).toBe(540_000);
    expect(maxMs).toBeLessThanOrEqual(240_000);
    expect(maxMs).toBeGreaterThan(239_000);
  });

  it('when the declared timeout is 90 s, then the budget shrinks with it to 40 s', async () => {
    const { timeoutMs, maxMs } = await run('budget90');
    expect(timeoutMs).toBe(90_000);
    expect(maxMs).toBeLessThanOrEqual(40_000);
    expect(maxMs).toBeGreaterThan(39_000);
  });

  it('when the declared timeout leaves no time, then the real processLifecycle starts no work and says it stopped early', async () => {
    expect(await run('lifecycleNoTime')).toMatchObject({ escalated: 0, contractsEnded: 0, reminders: 0, finalised: 0, resumed: 0, stoppedEarly: true });
  });
});

describe('the mail sweep follows its declared timeout too', () => {
  it('when deliverMail is declared with no time, then a due message waits for the next run, which sends it', async () => {
    const deps = getDeps();
    const id = await deps.db.runTransaction(async (tx) =>
      enqueueMail(tx, deps.db, new Date(Date.now() - 60_000), { kind: 'test.budget', to: 'budget@example.com', subject: 's', text: 't', html: '<p>t</p>' }));
    expect(await run('mailNoTime')).toMatchObject({ claimed: 0, sent: 0 });
    expect((await deps.db.collection('mail').doc(id).get()).get('status')).toBe('pending');
    expect(await run('mailInTime')).toMatchObject({ sent: expect.any(Number) as number });
    expect((await deps.db.collection('mail').doc(id).get()).get('status')).toBe('sent');
  });
});
