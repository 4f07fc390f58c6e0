import { announceServiceChange } from '../../src/notices/announce';
import { announceInput } from '../../src/notices/schema';
import { statusOf } from '../../src/http/status';
import { AppError } from '../../src/shared/errors';
import { adminTerminateAccount, adminTerminateAccountSpec } from '../../src/termination/admin-terminate-account';
import { T0, depsAt, isolatedDb, seedAccount } from '../lifecycle/helpers';
import { adminCaller } from './helpers';
import type { Config } from '../../src/config';

/**
 * The one-month rules of clause 2.1 (service notices) and clause 3.1(a) (the provider's
 * convenience termination) are two settings: moving one leaves the other where it was. The use
 * cases run against the real emulator (a database of their own) and SMTP, clock fixed at T0
 * (2026-03-02 09:00 Taipei).
 */
function at(settings: Partial<Config>) {
  const db = isolatedDb();
  const deps = depsAt(db, T0, settings);
  const terminate = (uid: string, data: Record<string, unknown>) =>
    adminTerminateAccount(deps, adminCaller(), adminTerminateAccountSpec.input.parse({ uid, kind: 'convenience', reason: 'Service for this region ends', ...data }));
  const announce = (effectiveAt: string) =>
    announceServiceChange(deps, adminCaller(), announceInput.parse({ title: `Change ${effectiveAt}`, body: 'What changes.', kind: 'change', effectiveAt }), { maxMs: 0 });
  return { db, terminate, announce };
}

async function refusal(run: () => Promise<unknown>): Promise<AppError> {
  const error = await run().then(() => null, (e: unknown) => e);
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('notice rules are separate settings', () => {
  it('when SERVICE_NOTICE_MIN_MONTHS is 2, then a service change a month away is refused with the 2-month date, and a provider termination still takes one month', async () => {
    const { db, terminate, announce } = at({ SERVICE_NOTICE_MIN_MONTHS: 2 });
    const error = await refusal(() => announce('2026-04-03'));
    expect([statusOf(error), error.details]).toEqual(['INVALID_ARGUMENT', { earliest: '2026-05-02' }]);
    expect(error.message).toContain('2 calendar months');
    expect((await db.collection('serviceNotices').get()).size).toBe(0);

    const { uid } = await seedAccount(db);
    await expect(terminate(uid, {})).resolves.toMatchObject({ termination: { effectiveAt: '2026-04-01T16:00:00.000Z' } });
    const other = await seedAccount(db);
    await expect(terminate(other.uid, { effectiveAt: '2026-04-02' })).resolves.toMatchObject({ status: 'terminating' });
  });

  it('when PROVIDER_TERMINATION_NOTICE_MIN_MONTHS is 3, then a convenience termination defaults to 3 months and refuses 2, and a service change a month away is accepted', async () => {
    const { db, terminate, announce } = at({ PROVIDER_TERMINATION_NOTICE_MIN_MONTHS: 3 });
    const { uid } = await seedAccount(db);
    const error = await refusal(() => terminate(uid, { effectiveAt: '2026-05-02' }));
    expect([statusOf(error), error.details]).toEqual(['INVALID_ARGUMENT', { earliest: '2026-06-02' }]);
    expect((await db.collection('accounts').doc(uid).get()).data()).toMatchObject({ status: 'active', termination: null });
    await expect(terminate(uid, {})).resolves.toMatchObject({ termination: { effectiveAt: '2026-06-01T16:00:00.000Z' } });

    await expect(announce('2026-04-02')).resolves.toMatchObject({ recipients: 1 });
    expect((await db.collection('serviceNotices').get()).size).toBe(1);
  });
});
