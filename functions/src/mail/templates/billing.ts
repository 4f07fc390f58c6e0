import type { Locale } from '../../shared/locale';
import { formatTaipei } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/** Where the account stands when billing mail goes out; it changes what non-payment means. */
export type BillingStanding = 'active' | 'terminating' | 'terminated' | 'suspended';

/** An invoice as billing mail shows it. */
export interface InvoiceFacts {
  readonly invoiceId: string;
  /** Whole New Taiwan dollars. */
  readonly amount: number;
  readonly dueAt: Date;
}

/** `NT$1,200` / `新台幣 1,200 元`. */
export function formatTwd(amount: number, locale: Locale): string {
  const digits = amount.toLocaleString('en-US');
  return locale === 'en' ? `NT$${digits}` : `新台幣 ${digits} 元`;
}

/** What happens if the invoice is not paid by its due date (clause 3.2(b)), for the account's standing. */
function ifUnpaid(standing: BillingStanding, effectiveAt: Date | null, locale: Locale): string {
  const end = effectiveAt ? formatTaipei(effectiveAt, locale) : null;
  if (locale === 'en') {
    if (standing === 'terminated') return 'Your account has been terminated; fees owed for the service remain payable after termination (agreement clause 3.2).';
    const period = standing === 'terminating' && end ? `Your account is in its termination notice period until ${end}. ` : '';
    return `${period}If a termination notice period is running and this invoice is still unpaid after its due date, retrieving your content (export) is locked until every amount due is paid (agreement clause 3.2(b)). Content is destroyed on the termination date whether or not it was retrieved.`;
  }
  if (standing === 'terminated') return '您的帳號已終止；終止前使用服務所生之費用，於終止後仍應支付（服務條款第 3.2 條）。';
  const period = standing === 'terminating' && end ? `您的帳號目前處於終止通知期間，將於 ${end} 終止。` : '';
  return `${period}在終止通知期間內，若本帳單逾期未付，您將無法取回（匯出）內容，直到所有應付款項付清為止（服務條款第 3.2(b) 條）。無論是否已取回，內容都會在終止日銷毀。`;
}

/** What the notice of a new invoice says. */
export interface InvoiceRecordedData extends InvoiceFacts {
  readonly locale: Locale;
  readonly issuedAt: Date;
  readonly standing: BillingStanding;
  /** The termination date, when one is pending. */
  readonly effectiveAt: Date | null;
  readonly supportEmail: string;
}

/** Tells the owner of an invoice: amount, due date in Taipei time, and what non-payment means. */
export function invoiceRecordedMail(data: InvoiceRecordedData): RenderedMail {
  const { locale } = data;
  const due = formatTaipei(data.dueAt, locale);
  if (locale === 'en') {
    return renderMail({
      locale,
      subject: `OrderPally invoice ${data.invoiceId}: ${formatTwd(data.amount, locale)} due ${due}`,
      intro: ['A new invoice was issued for your OrderPally account.'],
      fields: [['Invoice', data.invoiceId], ['Amount', formatTwd(data.amount, locale)], ['Issued', formatTaipei(data.issuedAt, locale)], ['Due', due]],
      outro: [ifUnpaid(data.standing, data.effectiveAt, locale), `Questions about this invoice? Contact ${data.supportEmail}.`],
    });
  }
  return renderMail({
    locale,
    subject: `OrderPally 帳單 ${data.invoiceId}：${formatTwd(data.amount, locale)}，繳費期限 ${due}`,
    intro: ['您的 OrderPally 帳號有一張新帳單。'],
    fields: [['帳單編號', data.invoiceId], ['金額', formatTwd(data.amount, locale)], ['開立時間', formatTaipei(data.issuedAt, locale)], ['繳費期限', due]],
    outro: [ifUnpaid(data.standing, data.effectiveAt, locale), `對帳單有疑問，請與 ${data.supportEmail} 聯絡。`],
  });
}

/** What a payment receipt says. */
export interface PaymentReceiptData extends InvoiceFacts {
  readonly locale: Locale;
  readonly paidAt: Date;
  /** What is still past due on the account after this payment. */
  readonly amountDue: number;
}

/** Confirms a payment; says whether anything is still due (retrieval reopens when nothing is, clause 3.2(b)). */
export function paymentReceiptMail(data: PaymentReceiptData): RenderedMail {
  const { locale } = data;
  const clear = data.amountDue === 0;
  if (locale === 'en') {
    return renderMail({
      locale,
      subject: `Payment received for OrderPally invoice ${data.invoiceId}`,
      intro: ['Thank you: we have recorded your payment.'],
      fields: [['Invoice', data.invoiceId], ['Amount', formatTwd(data.amount, locale)], ['Paid', formatTaipei(data.paidAt, locale)], ['Still past due', formatTwd(data.amountDue, locale)]],
      outro: [clear
        ? 'Nothing is past due on your account now, so nothing holds back retrieving your content (agreement clause 3.2(b)).'
        : 'Other invoices are still past due: retrieving your content during a termination notice period stays locked until they are paid (agreement clause 3.2(b)).'],
    });
  }
  return renderMail({
    locale,
    subject: `已收到 OrderPally 帳單 ${data.invoiceId} 的款項`,
    intro: ['謝謝您，我們已記錄您的付款。'],
    fields: [['帳單編號', data.invoiceId], ['金額', formatTwd(data.amount, locale)], ['付款時間', formatTaipei(data.paidAt, locale)], ['仍逾期未付', formatTwd(data.amountDue, locale)]],
    outro: [clear
      ? '您的帳號目前沒有逾期未付的款項，取回內容不再受限（服務條款第 3.2(b) 條）。'
      : '仍有其他帳單逾期未付：在終止通知期間內，付清之前仍無法取回內容（服務條款第 3.2(b) 條）。'],
  });
}

/** What the reminder of an invoice falling due during a notice period says. */
export interface InvoiceReminderData extends InvoiceFacts {
  readonly locale: Locale;
  /** The termination date. */
  readonly effectiveAt: Date;
  readonly supportEmail: string;
}

/** Reminds a terminating account of an invoice falling due within days, and what non-payment locks. */
export function invoiceReminderMail(data: InvoiceReminderData): RenderedMail {
  const { locale } = data;
  const due = formatTaipei(data.dueAt, locale);
  if (locale === 'en') {
    return renderMail({
      locale,
      subject: `Reminder: OrderPally invoice ${data.invoiceId} is due ${due}`,
      intro: [`Invoice ${data.invoiceId} on your OrderPally account falls due on ${due}.`],
      fields: [['Invoice', data.invoiceId], ['Amount', formatTwd(data.amount, locale)], ['Due', due]],
      outro: [ifUnpaid('terminating', data.effectiveAt, locale), `Questions? Contact ${data.supportEmail}.`],
    });
  }
  return renderMail({
    locale,
    subject: `提醒：OrderPally 帳單 ${data.invoiceId} 繳費期限為 ${due}`,
    intro: [`您 OrderPally 帳號的帳單 ${data.invoiceId} 將於 ${due} 到期。`],
    fields: [['帳單編號', data.invoiceId], ['金額', formatTwd(data.amount, locale)], ['繳費期限', due]],
    outro: [ifUnpaid('terminating', data.effectiveAt, locale), `如有疑問，請與 ${data.supportEmail} 聯絡。`],
  });
}
