import { Timestamp } from 'firebase-admin/firestore';
import { loadConfig } from '../../src/config';
import { processLifecycle } from '../../src/lifecycle/process-lifecycle';
import { DAY, T0, depsAt, isolatedDb, outboxOf, plus, seedAccount, termination } from './helpers';

// A termination and a contract end 40 days after T0, each on an account of its own.
const DATE = plus(T0, 40 * DAY);
const RUNS = [30, 14, 7, 3, 1];

/**
 * The days before DATE on which a reminder went out, with `env` read as the deployment reads it:
 * processLifecycle runs once on each of RUNS days.
 */
async function reminderDays(env: Record<string, string>): Promise<{ termination: number[]; contract: number[] }> {
  const db = isolatedDb();
  const { TERMINATION_REMINDER_DAYS, CONTRACT_REMINDER_DAYS } = loadConfig({ ...process.env, ...env });
  const deps = depsAt(db, T0, { TERMINATION_REMINDER_DAYS, CONTRACT_REMINDER_DAYS });
  const leaving = await seedAccount(db, { status: 'terminating', termination: termination(DATE) });
  const ending = await seedAccount(db, { contract: { startsAt: Timestamp.fromDate(plus(T0, -DAY)), endsAt: Timestamp.fromDate(DATE) } });
  const sent = { termination: [] as number[], contract: [] as number[] };
  let before = { termination: 0, contract: 0 };
  for (const days of RUNS) {
    deps.clock.set(plus(DATE, -days * DAY));
    await processLifecycle(deps);
    const now = { termination: (await outboxOf(db, leaving.uid, 'termination.reminder')).length, contract: (await outboxOf(db, ending.uid, 'contract.reminder')).length };
    if (now.termination > before.termination) sent.termination.push(days);
    if (now.contract > before.contract) sent.contract.push(days);
    before = now;
  }
  return sent;
}

describe('reminder days are settings (DESIGN §4)', () => {
  it('when nothing is set, then terminations are reminded 7 and 1 days ahead and contract ends 30 and 7', async () => {
    expect(await reminderDays({})).toEqual({ termination: [7, 1], contract: [30, 7] });
  });

  it('when TERMINATION_REMINDER_DAYS is "14,3,1", then terminations are reminded on those days and contract ends keep theirs', async () => {
    expect(await reminderDays({ TERMINATION_REMINDER_DAYS: '14,3,1' })).toEqual({ termination: [14, 3, 1], contract: [30, 7] });
  });

  it('when CONTRACT_REMINDER_DAYS is "3", then a contract end is reminded 3 days ahead only and terminations keep theirs', async () => {
    expect(await reminderDays({ CONTRACT_REMINDER_DAYS: '3' })).toEqual({ termination: [7, 1], contract: [3] });
  });
});
