import { Timestamp } from 'firebase-admin/firestore';
import type { InvoiceDoc } from '../../src/accounts/model';
import { processLifecycle } from '../../src/lifecycle/process-lifecycle';
import { DAY, MINUTE, T0, accountOf, depsAt, isolatedDb, outboxOf, plus, seedAccount, termination } from './helpers';

// Clause 3.2(b): during a notice period an unpaid invoice locks retrieval from its due date, so
// the owner is reminded 3 days ahead, once. A database of its own, on a clock the test moves.

const DUE = plus(T0, 10 * DAY);

async function withInvoice(status: 'terminating' | 'suspended' | 'active', invoice: Partial<InvoiceDoc> = {}) {
  const db = isolatedDb();
  const stored: InvoiceDoc = { amount: 3000, currency: 'TWD', issuedAt: Timestamp.fromDate(T0), dueAt: Timestamp.fromDate(DUE), status: 'open', paidAt: null, ...invoice };
  const account = await seedAccount(db, {
    status,
    termination: status === 'active' ? null : termination(plus(T0, 40 * DAY)),
    billing: { amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: stored.status === 'open' ? stored.dueAt : null },
  });
  await db.collection('accounts').doc(account.uid).collection('invoices').doc('INV-7').set(stored);
  return { db, uid: account.uid, deps: depsAt(db, T0) };
}

describe('invoice reminders while terminating', () => {
  it('when an open invoice is 3 days from its due date, then one reminder goes out, never again, and none once it is due', async () => {
    const { db, uid, deps } = await withInvoice('terminating');
    const run = async (at: Date) => {
      deps.clock.set(at);
      return (await processLifecycle(deps)).reminders;
    };
    expect(await run(plus(DUE, -3 * DAY - MINUTE))).toBe(0);
    expect(await run(plus(DUE, -3 * DAY))).toBe(1);
    expect(await run(plus(DUE, -DAY))).toBe(0);
    expect(await run(plus(DUE, MINUTE))).toBe(0);

    const mails = await outboxOf(db, uid, 'billing.reminder');
    expect(mails.map((m) => m.subject)).toEqual(['提醒：OrderPally 帳單 INV-7 繳費期限為 2026年3月12日 09:00:00（台北時間 UTC+8）']);
    expect(String(mails[0]?.text)).toContain('金額：新台幣 3,000 元');
    expect((await accountOf(db, uid)).reminders).toEqual([`invoice:INV-7:${DUE.getTime()}`]);
  });

  it.each([
    ['the account is suspended', 'suspended' as const, {}],
    ['the account is active', 'active' as const, {}],
    ['the invoice is paid', 'terminating' as const, { status: 'paid' as const, paidAt: Timestamp.fromDate(T0) }],
  ])('when %s, then no invoice reminder', async (_case, status, invoice) => {
    const { db, uid, deps } = await withInvoice(status, invoice);
    deps.clock.set(plus(DUE, -2 * DAY));
    await processLifecycle(deps);
    expect(await outboxOf(db, uid, 'billing.reminder')).toHaveLength(0);
  });
});
