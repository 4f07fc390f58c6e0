import { Timestamp } from 'firebase-admin/firestore';
import { processLifecycle } from '../../src/lifecycle/process-lifecycle';
import { dueReminder } from '../../src/lifecycle/reminders';
import { DAY, MINUTE, T0, accountOf, depsAt, isolatedDb, outboxOf, plus, seedAccount, termination } from './helpers';

// 00:00 on 1 April 2026 in Taipei, as customer terminations are dated.
const EFFECTIVE = new Date('2026-03-31T16:00:00.000Z');
const HOUR = 60 * MINUTE;

describe('dueReminder', () => {
  const at = EFFECTIVE;
  const key = (d: number) => `termination:${d}:${at.getTime()}`;
  it.each([
    ['8 days before', plus(at, -8 * DAY), [], null],
    ['exactly 7 days before', plus(at, -7 * DAY), [], { daysBefore: 7, keys: [key(7)] }],
    ['3 days before, the 7-day one missed', plus(at, -3 * DAY), [], { daysBefore: 7, keys: [key(7)] }],
    ['3 days before, the 7-day one sent', plus(at, -3 * DAY), [key(7)], null],
    ['12 hours before, both missed', plus(at, -12 * HOUR), [], { daysBefore: 1, keys: [key(7), key(1)] }],
    ['12 hours before, the 7-day one sent', plus(at, -12 * HOUR), [key(7)], { daysBefore: 1, keys: [key(1)] }],
    ['on the date', at, [], null],
    ['after the date', plus(at, HOUR), [], null],
    ['12 hours before, reminders of an older date sent', plus(at, -12 * HOUR), ['termination:1:123', 'termination:7:123'], { daysBefore: 1, keys: [key(7), key(1)] }],
  ])('when it is %s, then the right reminder (or none) is due', (_case, now, sent, expected) => {
    expect(dueReminder('termination', at, now, [7, 1], sent)).toEqual(expected);
  });
});

describe('termination reminders', () => {
  it('when a termination is 7 days and then 1 day away, then one reminder each, in the account language, never twice and never on or after the date', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, T0);
    const { uid, email } = await seedAccount(db, { status: 'terminating', termination: termination(EFFECTIVE) });
    const run = async (at: Date) => {
      deps.clock.set(at);
      return (await processLifecycle(deps)).reminders;
    };
    expect(await run(plus(EFFECTIVE, -7 * DAY - MINUTE))).toBe(0);
    expect(await run(plus(EFFECTIVE, -7 * DAY))).toBe(1);
    expect(await run(plus(EFFECTIVE, -6 * DAY))).toBe(0);
    expect(await run(plus(EFFECTIVE, -DAY))).toBe(1);
    expect(await run(plus(EFFECTIVE, -HOUR))).toBe(0);
    expect(await run(EFFECTIVE)).toBe(0);

    const mails = await outboxOf(db, uid, 'termination.reminder');
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail).toMatchObject({ to: [email], subject: '提醒：您的 OrderPally 帳號將於 2026年4月1日 00:00:00（台北時間 UTC+8） 終止' });
    }
    expect(mails.map((m) => String(m.text).split('\n')[0]).sort()).toEqual([
      '提醒您：您的 OrderPally 帳號將在 7 天後（2026年4月1日 00:00:00（台北時間 UTC+8））終止。',
      '提醒您：您的 OrderPally 帳號將在明天（2026年4月1日 00:00:00（台北時間 UTC+8））終止。',
    ]);
    expect(mails.every((m) => String(m.text).includes('在應用程式中取消終止'))).toBe(true);
  });

  it('when the system was down through both windows, then one late reminder goes out 12 hours before, not two', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(EFFECTIVE, -12 * HOUR));
    const { uid } = await seedAccount(db, { status: 'terminating', locale: 'en', termination: termination(EFFECTIVE, { kind: 'partner', initiatedBy: 'provider' }) });
    expect(await processLifecycle(deps)).toMatchObject({ reminders: 1 });
    expect(await processLifecycle(deps)).toMatchObject({ reminders: 0 });
    const [mail] = await outboxOf(db, uid, 'termination.reminder');
    expect(String(mail?.text)).toContain('will be terminated tomorrow, on 1 April 2026, 00:00:00 (Taipei time, UTC+8).');
    expect(String(mail?.text)).toContain('Questions? Contact orderpally.service@17.live.');
    expect((await accountOf(db, uid)).reminders).toEqual([`termination:7:${EFFECTIVE.getTime()}`, `termination:1:${EFFECTIVE.getTime()}`]);
  });

  it('when the system was down until after the date, then no reminder is ever sent: the account is finalised', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(EFFECTIVE, MINUTE));
    const { uid } = await seedAccount(db, { status: 'terminating', termination: termination(EFFECTIVE) });
    expect(await processLifecycle(deps)).toMatchObject({ reminders: 0, finalised: 1 });
    expect(await outboxOf(db, uid, 'termination.reminder')).toEqual([]);
  });

  it('when the date changes after a reminder, then the new date gets its own reminders and stale keys are dropped', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(EFFECTIVE, -7 * DAY));
    const { uid } = await seedAccount(db, { status: 'terminating', termination: termination(EFFECTIVE) });
    expect(await processLifecycle(deps)).toMatchObject({ reminders: 1 });
    const later = plus(EFFECTIVE, 3 * DAY);
    await db.doc(`accounts/${uid}`).update({ 'termination.effectiveAt': Timestamp.fromDate(later) });
    deps.clock.set(plus(EFFECTIVE, MINUTE));
    expect(await processLifecycle(deps)).toMatchObject({ reminders: 1, finalised: 0 });
    expect((await accountOf(db, uid)).reminders).toEqual([`termination:7:${later.getTime()}`]);
  });

  it('when a suspended account has a termination pending, then its reminder says the content cannot be retrieved while suspended', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(EFFECTIVE, -2 * DAY));
    const { uid } = await seedAccount(db, { status: 'suspended', locale: 'en', termination: termination(EFFECTIVE, { kind: 'legal', initiatedBy: 'provider' }) });
    expect(await processLifecycle(deps)).toMatchObject({ reminders: 1 });
    const [mail] = await outboxOf(db, uid, 'termination.reminder');
    expect(String(mail?.text)).toContain('Your account is suspended, so your content cannot be retrieved at the moment.');
    expect(String(mail?.text)).not.toContain('exportContent');
  });

  it('when the account has no usable address, then the reminder is recorded as done without a mail', async () => {
    const db = isolatedDb();
    const deps = depsAt(db, plus(EFFECTIVE, -2 * DAY));
    const { uid } = await seedAccount(db, { status: 'terminating', email: null, termination: termination(EFFECTIVE) });
    expect(await processLifecycle(deps)).toMatchObject({ reminders: 0, failed: 0 });
    expect((await accountOf(db, uid)).reminders).toEqual([`termination:7:${EFFECTIVE.getTime()}`]);
  });
});
