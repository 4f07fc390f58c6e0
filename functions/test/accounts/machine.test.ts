import { Timestamp } from 'firebase-admin/firestore';
import { SYSTEM_ACTOR, type Actor } from '../../src/accounts/activity-log';
import {
  TRANSITIONS,
  allowed,
  cancelTermination,
  recordDestroyed,
  reinstate,
  requestTermination,
  suspend,
  takeEffect,
  terminate,
  type AccountEvent,
  type MachineSettings,
  type Transition,
} from '../../src/accounts/machine';
import type { AccountDoc, AccountStatus, Termination } from '../../src/accounts/model';
import { AppError } from '../../src/shared/errors';

const DAY = 86_400_000;
const NOW = new Date('2030-03-01T04:00:00.000Z');
const at = (offsetDays: number) => Timestamp.fromMillis(NOW.getTime() + offsetDays * DAY);
const SETTINGS: MachineSettings = { supportEmail: 'support@orderpally.test', backupRetentionDays: 30 };
const STAFF: Actor = { uid: 'staff-1', role: 'admin' };
const OWNER: Actor = { uid: 'u1', role: 'customer' };
const STATUSES: readonly AccountStatus[] = ['active', 'suspended', 'terminating', 'terminated'];

function termination(kind: Termination['kind'], initiatedBy: Termination['initiatedBy'], effectiveInDays: number, destroyed = false): Termination {
  return { kind, initiatedBy, reason: 'Because', noticeAt: at(-30), effectiveAt: at(effectiveInDays), contentDestroyedAt: destroyed ? at(-1) : null };
}

function account(status: AccountStatus, fields: Partial<AccountDoc> = {}): AccountDoc {
  return {
    uid: 'u1',
    email: 'owner@example.test',
    displayName: null,
    providers: ['password'],
    emailVerified: true,
    locale: 'zh-TW',
    status,
    createdAt: at(-100),
    updatedAt: at(-100),
    contract: { startsAt: at(-100), endsAt: null },
    termination: null,
    suspension: status === 'suspended' ? { reason: 'Unpaid', since: at(-5), note: 'ticket 7' } : null,
    billing: { amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: null },
    ...fields,
  };
}

/** Accounts in every state the system can hold, including dates that passed before the sweep. */
const FIXTURES: Record<string, AccountDoc> = {
  active: account('active'),
  'active, contract ended': account('active', { contract: { startsAt: at(-100), endsAt: at(-1) } }),
  'terminating by the customer': account('terminating', { termination: termination('convenience', 'customer', 10) }),
  'terminating by OrderPally': account('terminating', { termination: termination('cause', 'provider', 10) }),
  'terminating, date passed': account('terminating', { termination: termination('convenience', 'customer', -1) }),
  suspended: account('suspended'),
  'suspended, OrderPally termination pending': account('suspended', { termination: termination('partner', 'provider', 10) }),
  'suspended, date passed': account('suspended', { termination: termination('legal', 'provider', -1) }),
  terminated: account('terminated', { termination: termination('cause', 'provider', -1) }),
  'terminated, content destroyed': account('terminated', { termination: termination('cause', 'provider', -3, true) }),
};

/** Every way each event is called. */
const CALLS: Record<AccountEvent, ((a: AccountDoc) => Transition | null)[]> = {
  requestTermination: [(a) => requestTermination(a, { effectiveAt: new Date(NOW.getTime() + 30 * DAY), actor: OWNER }, NOW, SETTINGS)],
  terminate: [
    (a) => terminate(a, { kind: 'cause', initiatedBy: 'provider', reason: 'Fraud', effectiveAt: null, actor: STAFF }, NOW, SETTINGS),
    (a) => terminate(a, { kind: 'convenience', initiatedBy: 'provider', reason: 'Plan ends', effectiveAt: new Date(NOW.getTime() + 40 * DAY), actor: STAFF }, NOW, SETTINGS),
  ],
  cancelTermination: [(a) => cancelTermination(a, OWNER, NOW, SETTINGS)],
  suspend: [(a) => suspend(a, { reason: 'Abuse', note: 'ticket 9', actor: STAFF }, NOW, SETTINGS)],
  reinstate: [
    (a) => reinstate(a, { note: 'paid', actor: STAFF }, NOW, SETTINGS),
    (a) => reinstate(a, { note: 'paid', withdrawTermination: true, actor: STAFF }, NOW, SETTINGS),
  ],
  takeEffect: [(a) => takeEffect(a, NOW)],
  recordDestroyed: [(a) => recordDestroyed(a, ['orders'], NOW, SETTINGS)],
};

type Outcome = { to: AccountStatus } | 'refused' | 'nothing';

function outcome(call: (a: AccountDoc) => Transition | null, a: AccountDoc): Outcome {
  try {
    const result = call(a);
    return result ? { to: result.to } : 'nothing';
  } catch (error) {
    if (error instanceof AppError) return 'refused';
    throw error;
  }
}

const EVENTS = Object.keys(TRANSITIONS) as AccountEvent[];
const runs = EVENTS.flatMap((event) =>
  Object.entries(FIXTURES).flatMap(([name, a]) => CALLS[event].map((call, i) => ({ event, name, from: a.status, result: outcome(call, a), i }))),
);

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the account state machine (DESIGN §4)', () => {
  it.each(runs.map((r) => [r.event, r.name, r.i, r] as const))('when %s meets an account %s (call %i), then it refuses, does nothing, or moves as the table says', (_e, _n, _i, run) => {
    const moved = typeof run.result === 'object' ? `${run.from} → ${run.result.to}` : run.result;
    const tableSays = typeof run.result === 'object' ? allowed(run.event, run.from, run.result.to) : true;
    expect({ moved, tableSays }).toEqual({ moved, tableSays: true });
  });

  it('when an event starts from a status the table does not list, then every call is refused or writes nothing', () => {
    const disallowed = runs.filter((r) => !(r.from in TRANSITIONS[r.event]));
    expect(disallowed.length).toBeGreaterThan(0);
    expect(disallowed.filter((r) => typeof r.result === 'object')).toEqual([]);
  });

  it('when the table lists a move, then some account in some state makes it: no entry is dead', () => {
    const table = EVENTS.flatMap((event) =>
      Object.entries(TRANSITIONS[event] as Partial<Record<AccountStatus, readonly AccountStatus[]>>).flatMap(([from, tos]) => (tos ?? []).map((to) => `${event}: ${from} → ${to}`)),
    );
    const made = new Set(runs.flatMap((r) => (typeof r.result === 'object' ? [`${r.event}: ${r.from} → ${r.result.to}`] : [])));
    expect(table.filter((move) => !made.has(move))).toEqual([]);
    expect([...made].filter((move) => !table.includes(move))).toEqual([]);
  });

  it('when a result would leave the table (an active account that somehow holds a termination is withdrawn), then it is an internal error, not a write', () => {
    const odd = account('active', { termination: termination('cause', 'provider', 10) });
    expect(() => reinstate(odd, { note: 'x', withdrawTermination: true, actor: STAFF }, NOW, SETTINGS)).toThrow(/reinstate may not move an account from active to active/);
    expect(STATUSES.filter((s) => allowed('reinstate', 'active', s))).toEqual([]);
  });

  it('when OrderPally dates a termination of a suspended account, then it stays suspended, is logged termination.scheduled and the notice is the one mail', () => {
    const started = terminate(FIXTURES.suspended!, { kind: 'partner', initiatedBy: 'provider', reason: 'Partner left', effectiveAt: new Date(NOW.getTime() + 40 * DAY), actor: STAFF, details: { ticket: 3 } }, NOW, SETTINGS);
    expect(started.to).toBe('suspended');
    expect(started.patch.termination).toMatchObject({ kind: 'partner', initiatedBy: 'provider', contentDestroyedAt: null });
    expect(started.activity).toEqual([
      { actor: STAFF, action: 'termination.scheduled', details: { kind: 'partner', initiatedBy: 'provider', reason: 'Partner left', effectiveAt: '2030-04-10T04:00:00.000Z', ticket: 3 } },
    ]);
    expect(started.mails.map((m) => m.kind)).toEqual(['termination.notice']);
  });

  it('when OrderPally terminates at once, then the account is terminated now and logged termination.effective', () => {
    const started = terminate(FIXTURES['terminating by the customer']!, { kind: 'legal', initiatedBy: 'provider', reason: 'Court order', effectiveAt: new Date(NOW.getTime() - 1), actor: SYSTEM_ACTOR }, NOW, SETTINGS);
    expect(started).toMatchObject({ from: 'terminating', to: 'terminated', account: { status: 'terminated', termination: { kind: 'legal' } } });
    expect(started.patch.termination?.effectiveAt.toMillis()).toBe(NOW.getTime());
    expect(started.activity.map((e) => e.action)).toEqual(['termination.effective']);
  });

  it('when staff reinstate a suspended account and withdraw their termination, then both are logged and mailed in that order and it is active', () => {
    const done = reinstate(FIXTURES['suspended, OrderPally termination pending']!, { note: 'sorted', withdrawTermination: true, actor: STAFF }, NOW, SETTINGS)!;
    expect(done.patch).toMatchObject({ status: 'active', suspension: null, termination: null });
    expect(done.activity.map((e) => [e.action, e.details?.note])).toEqual([
      ['account.reinstated', 'sorted'],
      ['termination.withdrawn', 'sorted'],
    ]);
    expect(done.mails.map((m) => m.kind)).toEqual(['account.reinstated', 'termination.withdrawn']);
  });

  it('when staff reinstate a suspended account whose termination date passed, then it is terminating again for the sweep to finalise', () => {
    expect(reinstate(FIXTURES['suspended, date passed']!, { note: 'n', actor: STAFF }, NOW, SETTINGS)).toMatchObject({ to: 'terminating' });
  });

  it.each([
    ['cancelTermination', 'suspended', 'ACCOUNT_SUSPENDED', () => cancelTermination(FIXTURES.suspended!, OWNER, NOW, SETTINGS)],
    ['cancelTermination', 'active', 'NO_TERMINATION', () => cancelTermination(FIXTURES.active!, OWNER, NOW, SETTINGS)],
    ['cancelTermination', 'terminating, date passed', 'TERMINATION_EFFECTIVE', () => cancelTermination(FIXTURES['terminating, date passed']!, OWNER, NOW, SETTINGS)],
    ['cancelTermination', 'terminating by OrderPally', 'NOT_CANCELLABLE', () => cancelTermination(FIXTURES['terminating by OrderPally']!, OWNER, NOW, SETTINGS)],
    ['requestTermination', 'terminating', 'NOT_ACTIVE', () => CALLS.requestTermination[0]!(FIXTURES['terminating by the customer']!)],
    ['requestTermination', 'active, contract ended', 'NOT_ACTIVE', () => CALLS.requestTermination[0]!(FIXTURES['active, contract ended']!)],
    ['suspend', 'terminating, date passed', 'ALREADY_TERMINATED', () => CALLS.suspend[0]!(FIXTURES['terminating, date passed']!)],
    ['terminate', 'terminated', 'ALREADY_TERMINATED', () => CALLS.terminate[0]!(FIXTURES.terminated!)],
    ['reinstate', 'terminated', 'ALREADY_TERMINATED', () => CALLS.reinstate[0]!(FIXTURES.terminated!)],
    ['reinstate (withdraw)', 'suspended', 'NO_TERMINATION', () => CALLS.reinstate[1]!(FIXTURES.suspended!)],
    ['reinstate (withdraw)', 'terminating by the customer', 'NOT_WITHDRAWABLE', () => CALLS.reinstate[1]!(FIXTURES['terminating by the customer']!)],
    ['reinstate (withdraw)', 'suspended, date passed', 'TERMINATION_EFFECTIVE', () => CALLS.reinstate[1]!(FIXTURES['suspended, date passed']!)],
  ] as const)('when %s meets an account %s, then it is refused with %s', (_event, _state, reason, call) => {
    expect(thrown(call).reason).toBe(reason);
  });

  it('when the content is recorded destroyed, then contentDestroyedAt is set once, with the final notice, and a repeat writes nothing', () => {
    const done = recordDestroyed(FIXTURES.terminated!, ['orders', 'stores'], NOW, SETTINGS)!;
    expect(done.account.termination?.contentDestroyedAt?.toMillis()).toBe(NOW.getTime());
    expect(done.activity).toEqual([
      { actor: SYSTEM_ACTOR, action: 'content.destroyed', details: { collections: ['orders', 'stores'], backupsGoneBy: '2030-04-02T04:00:00.000Z' } },
    ]);
    expect(done.mails.map((m) => m.kind)).toEqual(['content.destroyed']);
    expect(recordDestroyed(done.account, ['orders'], NOW, SETTINGS)).toBeNull();
  });
});
