import type { Timestamp } from 'firebase-admin/firestore';
import { getDeps } from '../../src/deps';
import type { LifecycleSummary } from '../../src/lifecycle/process-lifecycle';
import { formatTaipei } from '../../src/shared/taipei';
import { rawCall } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { sentTo, waitForMail, type CapturedMail } from '../support/maildev';
import { adminCaller, customer, daysFromNow, invoiceData, setStatus } from './helpers';

// Clause 3.2(b): payment unlocks retrieval, so the owner must hear of every invoice, every
// payment, and an invoice about to fall due during a notice period. Real HTTP, real SMTP (MailDev).

const local = useLocalFunctions();
const db = () => getDeps().db;

const call = adminCaller(local);

/** Outbox messages of `kind` addressed to `email`. */
async function outbox(email: string, kind: string): Promise<Array<Record<string, unknown>>> {
  const snap = await db().collection('mail').where('to', 'array-contains', email).get();
  return snap.docs.map((d) => d.data()).filter((m) => m.kind === kind);
}

async function mailAbout(email: string, invoiceId: string): Promise<CapturedMail[]> {
  return waitForMail((m) => sentTo(m, email) && m.subject.includes(invoiceId));
}

describe('invoice mail', () => {
  it('when an invoice is recorded, then the owner is mailed the amount, the due date in Taipei time and what non-payment locks; a replay mails nothing', async () => {
    const { uid, email } = await customer(local.server.baseUrl, 'invoice-mail');
    const data = invoiceData(uid, 14, { amount: 12500 });
    await call('adminRecordInvoice', data);
    await call('adminRecordInvoice', data);

    const [mail] = await mailAbout(email, data.invoiceId as string);
    const due = formatTaipei(new Date(data.dueAt as string), 'zh-TW');
    expect(mail?.subject).toBe(`OrderPally 帳單 ${String(data.invoiceId)}：新台幣 12,500 元，繳費期限 ${due}`);
    expect(mail?.text).toContain(`繳費期限：${due}`);
    expect(mail?.text).toContain('若本帳單逾期未付，您將無法取回（匯出）內容，直到所有應付款項付清為止（服務條款第 3.2(b) 條）');
    expect(await outbox(email, 'billing.invoice')).toHaveLength(1);
  });

  it('when the account is terminating, then the invoice mail names the termination date; in English for an English account', async () => {
    const { uid, email } = await customer(local.server.baseUrl, 'invoice-terminating');
    await setStatus(uid, 'terminating');
    await db().collection('accounts').doc(uid).update({ locale: 'en' });
    const effectiveAt = ((await db().collection('accounts').doc(uid).get()).get('termination.effectiveAt') as Timestamp).toDate();
    const data = invoiceData(uid, 5);
    await call('adminRecordInvoice', data);

    const [mail] = await mailAbout(email, data.invoiceId as string);
    expect(mail?.subject).toBe(`OrderPally invoice ${String(data.invoiceId)}: NT$1,200 due ${formatTaipei(new Date(data.dueAt as string), 'en')}`);
    expect(mail?.text).toContain(`Your account is in its termination notice period until ${formatTaipei(effectiveAt, 'en')}.`);
    expect(mail?.text).toContain('retrieving your content (export) is locked until every amount due is paid (agreement clause 3.2(b))');
  });

  it('when the account is terminated, then it still receives invoice mail (fees after termination, clause 3.2)', async () => {
    const { uid, email } = await customer(local.server.baseUrl, 'invoice-terminated');
    await setStatus(uid, 'terminated');
    const data = invoiceData(uid, 30);
    await call('adminRecordInvoice', data);

    const [mail] = await mailAbout(email, data.invoiceId as string);
    expect(mail?.text).toContain('您的帳號已終止；終止前使用服務所生之費用，於終止後仍應支付（服務條款第 3.2 條）');
  });
});

describe('payment receipts', () => {
  it('when a payment is recorded, then the owner gets one receipt saying nothing is past due any more, however often the call is retried', async () => {
    const { uid, email } = await customer(local.server.baseUrl, 'receipt');
    const data = invoiceData(uid, -2);
    await call('adminRecordInvoice', data);
    const paidAt = daysFromNow(-1);
    await call('adminRecordPayment', { uid, invoiceId: data.invoiceId, paidAt });
    await call('adminRecordPayment', { uid, invoiceId: data.invoiceId, paidAt });

    const [receipt] = await waitForMail((m) => sentTo(m, email) && m.subject === `已收到 OrderPally 帳單 ${String(data.invoiceId)} 的款項`);
    expect(receipt?.text).toContain(`付款時間：${formatTaipei(new Date(paidAt), 'zh-TW')}`);
    expect(receipt?.text).toContain('金額：新台幣 1,200 元');
    expect(receipt?.text).toContain('仍逾期未付：新台幣 0 元');
    expect(receipt?.text).toContain('取回內容不再受限');
    expect(await outbox(email, 'billing.receipt')).toHaveLength(1);
  });

  it('when a voided invoice is settled, then no receipt is sent', async () => {
    const { uid, email } = await customer(local.server.baseUrl, 'void');
    const data = invoiceData(uid, 3);
    await call('adminRecordInvoice', data);
    await call('adminVoidInvoice', { uid, invoiceId: data.invoiceId });
    expect(await outbox(email, 'billing.receipt')).toHaveLength(0);
  });
});

describe('invoice reminders during a notice period', () => {
  // A lifecycle run, then the mail sweep that sends what it enqueued, as the local cron runs them.
  const sweep = async (): Promise<LifecycleSummary> => {
    const answer = await rawCall(`${local.server.baseUrl}/processLifecycle`, { body: '{}' });
    expect(answer.status).toBe(200);
    expect((await rawCall(`${local.server.baseUrl}/deliverMail`, { body: '{}' })).status).toBe(200);
    return answer.json as unknown as LifecycleSummary;
  };

  it('when a terminating account has an open invoice due within 3 days, then processLifecycle mails one reminder, however often it runs; one due in 5 days gets none yet', async () => {
    const { uid, email } = await customer(local.server.baseUrl, 'invoice-reminder');
    await setStatus(uid, 'terminating');
    const soon = invoiceData(uid, 2);
    const later = invoiceData(uid, 5);
    await call('adminRecordInvoice', soon);
    await call('adminRecordInvoice', later);

    expect((await sweep()).reminders).toBeGreaterThanOrEqual(1);
    await sweep();

    const [mail] = await waitForMail((m) => sentTo(m, email) && m.subject.startsWith('提醒：OrderPally 帳單'));
    expect(mail?.subject).toBe(`提醒：OrderPally 帳單 ${String(soon.invoiceId)} 繳費期限為 ${formatTaipei(new Date(soon.dueAt as string), 'zh-TW')}`);
    const reminders = await outbox(email, 'billing.reminder');
    expect(reminders.map((m) => m.subject)).toEqual([mail?.subject]);
  });

  it('when the account is active, then an invoice due within 3 days mails no reminder', async () => {
    const { uid, email } = await customer(local.server.baseUrl, 'invoice-active');
    await call('adminRecordInvoice', invoiceData(uid, 2));
    await sweep();
    expect(await outbox(email, 'billing.reminder')).toHaveLength(0);
  });
});
