import { adminRecordBreach, adminRecordBreachSpec } from '../../src/breaches/admin-record-breach';
import { loadConfig } from '../../src/config';
import { createDeps, type Deps } from '../../src/deps';
import { fixedClock } from '../../src/shared/clock';
import { adminTerminateAccount, adminTerminateAccountSpec } from '../../src/termination/admin-terminate-account';
import { cancelTermination } from '../../src/termination/cancel-termination';
import { requestTermination, requestTerminationSpec } from '../../src/termination/request-termination';
import { formatTaipei } from '../../src/shared/taipei';
import { accountOf, adminCaller, customerCaller, mailFor, seedAccount } from './helpers';
import { AppError } from '../../src/shared/errors';
import { statusOf } from '../../src/http/status';

/**
 * Taipei calendar rules of clause 3.1, with the clock fixed: the use cases are called directly
 * (the same functions the callables run) against the real emulators and SMTP.
 */
const clock = fixedClock(new Date('2026-01-31T04:00:00Z'));
let deps: Deps;
beforeAll(() => {
  deps = createDeps(loadConfig(), { clock });
});
afterAll(() => {
  deps.mailer.close();
});

const terminate = (uid: string, data: Record<string, unknown>) =>
  adminTerminateAccount(deps, adminCaller(), adminTerminateAccountSpec.input.parse({ uid, reason: 'Service for this region ends', ...data }));

/** The AppError a use case threw. */
async function refusal(run: () => Promise<unknown>): Promise<AppError> {
  const error = await run().then(() => null, (e: unknown) => e);
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('provider termination for convenience: one calendar month, Asia/Taipei', () => {
  it('when notice is given on 31 January 2026 (Taipei), then 28 February is the earliest date and the default', async () => {
    clock.set(new Date('2026-01-31T04:00:00Z'));
    const defaulted = await seedAccount(clock.now());
    await expect(terminate(defaulted.uid, { kind: 'convenience' })).resolves.toMatchObject({
      status: 'terminating',
      termination: { kind: 'convenience', initiatedBy: 'provider', effectiveAt: '2026-02-27T16:00:00.000Z' },
    });
    const explicit = await seedAccount(clock.now());
    await expect(terminate(explicit.uid, { kind: 'convenience', effectiveAt: '2026-02-28' })).resolves.toMatchObject({ status: 'terminating' });
  });

  it('when notice is given on 31 January 2026 for 27 February, then INVALID_ARGUMENT with earliest 2026-02-28 and nothing written', async () => {
    clock.set(new Date('2026-01-31T04:00:00Z'));
    const account = await seedAccount(clock.now());
    const error = await refusal(() => terminate(account.uid, { kind: 'convenience', effectiveAt: '2026-02-27' }));
    expect(statusOf(error)).toBe('INVALID_ARGUMENT');
    expect(error.details).toEqual({ earliest: '2026-02-28' });
    expect(await accountOf(account.uid)).toMatchObject({ status: 'active', termination: null });
  });

  it('when notice is given on 31 January 2028 (a leap year), then 29 February is allowed and 28 February is not', async () => {
    clock.set(new Date('2028-01-31T04:00:00Z'));
    const ok = await seedAccount(clock.now());
    await expect(terminate(ok.uid, { kind: 'convenience', effectiveAt: '2028-02-29' })).resolves.toMatchObject({ status: 'terminating' });
    const early = await seedAccount(clock.now());
    expect((await refusal(() => terminate(early.uid, { kind: 'convenience', effectiveAt: '2028-02-28' }))).details).toEqual({ earliest: '2028-02-29' });
  });

  it('when notice is given at 2026-03-15T15:30Z (23:30 on 15 March in Taipei), then 15 April is allowed', async () => {
    clock.set(new Date('2026-03-15T15:30:00Z'));
    const account = await seedAccount(clock.now());
    await expect(terminate(account.uid, { kind: 'convenience', effectiveAt: '2026-04-15' })).resolves.toMatchObject({
      termination: { effectiveAt: '2026-04-14T16:00:00.000Z' },
    });
  });

  it('when notice is given at 2026-03-15T16:30Z (00:30 on 16 March in Taipei), then 15 April is refused and 16 April is the default', async () => {
    clock.set(new Date('2026-03-15T16:30:00Z'));
    const account = await seedAccount(clock.now());
    expect((await refusal(() => terminate(account.uid, { kind: 'convenience', effectiveAt: '2026-04-15' }))).details).toEqual({ earliest: '2026-04-16' });
    await expect(terminate(account.uid, { kind: 'convenience' })).resolves.toMatchObject({ termination: { effectiveAt: '2026-04-15T16:00:00.000Z' } });
  });

  it('when a termination for cause is dated in the past, then INVALID_ARGUMENT pointing at immediate', async () => {
    clock.set(new Date('2026-03-15T16:30:00Z'));
    const account = await seedAccount(clock.now());
    const error = await refusal(() => terminate(account.uid, { kind: 'cause', effectiveAt: '2026-03-15T16:29:59Z' }));
    expect(error.message).toContain('immediate: true');
  });
});

describe('customer termination dates, Asia/Taipei', () => {
  it('when the customer asks at 00:30 on 16 March in Taipei, then the default is 00:00 Taipei on 15 April and the window is 23 March–14 June', async () => {
    clock.set(new Date('2026-03-15T16:30:00Z'));
    const account = await seedAccount(clock.now());
    const error = await refusal(() => requestTermination(deps, customerCaller(account.uid), requestTerminationSpec.input.parse({ effectiveAt: '2026-03-22' })));
    expect(error.details).toEqual({ earliest: '2026-03-23', latest: '2026-06-14' });
    const view = await requestTermination(deps, customerCaller(account.uid), requestTerminationSpec.input.parse(null));
    expect(view.termination?.effectiveAt).toBe('2026-04-14T16:00:00.000Z');
    const mail = await mailFor(account.uid, account.email ?? '', '終止');
    expect(mail.text).toContain(`生效時間：${formatTaipei(new Date('2026-04-14T16:00:00.000Z'), 'zh-TW')}`);
    expect(mail.text).toContain('2026年4月15日 00:00:00');
  });

  it('when the clock reaches the effective instant, then cancelling is refused; a millisecond before, it is allowed', async () => {
    clock.set(new Date('2026-03-01T04:00:00Z'));
    const late = await seedAccount(clock.now());
    const early = await seedAccount(clock.now());
    for (const { uid } of [late, early]) await requestTermination(deps, customerCaller(uid), requestTerminationSpec.input.parse({ effectiveAt: '2026-03-10' }));
    const effectiveAt = new Date('2026-03-09T16:00:00.000Z');
    clock.set(effectiveAt);
    expect((await refusal(() => cancelTermination(deps, customerCaller(late.uid)))).reason).toBe('TERMINATION_EFFECTIVE');
    clock.set(new Date(effectiveAt.getTime() - 1));
    await expect(cancelTermination(deps, customerCaller(early.uid))).resolves.toMatchObject({ status: 'active', termination: null });
  });
});

describe('breach cure periods, Asia/Taipei', () => {
  it.each([
    ['2026-03-15T15:30:00Z', 30, '2026-04-14T16:00:00.000Z'],
    ['2026-03-15T16:30:00Z', 30, '2026-04-15T16:00:00.000Z'],
    ['2026-02-27T20:00:00Z', 1, '2026-03-01T16:00:00.000Z'],
  ])('when a breach is recorded at %s with %i cure days, then cureBy is %s (00:00 Taipei after the last day)', async (at, cureDays, cureBy) => {
    clock.set(new Date(at));
    const account = await seedAccount(clock.now());
    const result = await adminRecordBreach(deps, adminCaller(), adminRecordBreachSpec.input.parse({ uid: account.uid, description: 'Resold API access', cureDays }));
    expect(result.cureBy).toBe(cureBy);
  });
});
