import type { Locale } from '../../shared/locale';
import { formatTaipei, formatTaipeiDate, taipeiDate } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/** What a breach notice says. */
export interface BreachNoticeData {
  readonly locale: Locale;
  readonly breachId: string;
  readonly description: string;
  readonly notifiedAt: Date;
  /** 00:00 Taipei time on the day after the last day of the cure period. */
  readonly cureBy: Date;
  /** What follows an uncured breach (config BREACH_ESCALATION / BREACH_NOTICE_DAYS). */
  readonly escalation: 'immediate' | 'notice';
  readonly noticeDays: number;
  readonly supportEmail: string;
}

/** The last Taipei calendar day of a cure period that ends at `cureBy` (00:00 the day after). */
function lastCureDay(cureBy: Date, locale: Locale): string {
  return formatTaipeiDate(taipeiDate(new Date(cureBy.getTime() - 1)), locale);
}

/**
 * The notice of a material breach (clause 3.1(b)(i)): what the breach is, the last day to cure
 * it, and that an uncured breach leads to termination for cause and the loss of the content.
 */
export function breachNoticeMail(data: BreachNoticeData): RenderedMail {
  const lastDay = lastCureDay(data.cureBy, data.locale);
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: `Notice of breach of the OrderPally agreement: please cure it by ${lastDay}`,
      intro: ['OrderPally has found that the use of your account materially breaches the cloud customer-service agreement. Please cure the breach within the period below (agreement clause 3.1(b)(i)).'],
      fields: [
        ['Reference', data.breachId],
        ['Notified', formatTaipei(data.notifiedAt, 'en')],
        ['Cure by', `the end of ${lastDay} (Taipei time)`],
      ],
      sections: [{ title: 'The breach', body: data.description }],
      outro: [
        data.escalation === 'immediate'
          ? `If the breach is not cured by the end of ${lastDay}, OrderPally may terminate your account for cause with immediate effect, and your content would be destroyed (agreement clause 3.2(a)).`
          : `If the breach is not cured by the end of ${lastDay}, OrderPally may terminate your account for cause with ${data.noticeDays} days' notice, and your content would be destroyed on the termination date (agreement clause 3.2(a)).`,
        `When you have cured it, or if you disagree, write to ${data.supportEmail} quoting the reference ${data.breachId}.`,
      ],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: `OrderPally 違約通知：請於 ${lastDay} 前補正`,
    intro: ['OrderPally 發現您帳號的使用情形嚴重違反雲端客戶服務協議。請於下列期限內補正（服務條款第 3.1(b)(i) 條）。'],
    fields: [
      ['參考編號', data.breachId],
      ['通知時間', formatTaipei(data.notifiedAt, 'zh-TW')],
      ['補正期限', `${lastDay} 當日結束前（台北時間）`],
    ],
    sections: [{ title: '違約情形', body: data.description }],
    outro: [
      data.escalation === 'immediate'
        ? `若於 ${lastDay} 結束前仍未補正，OrderPally 得因故立即終止您的帳號，您的內容將被銷毀（服務條款第 3.2(a) 條）。`
        : `若於 ${lastDay} 結束前仍未補正，OrderPally 得因故終止您的帳號，並於 ${data.noticeDays} 日後生效，屆時您的內容將被銷毀（服務條款第 3.2(a) 條）。`,
      `完成補正或有異議時，請來信 ${data.supportEmail} 並附上參考編號 ${data.breachId}。`,
    ],
  });
}

/** What the notice of a cured breach says. */
export interface BreachResolvedData {
  readonly locale: Locale;
  readonly breachId: string;
  readonly description: string;
  readonly note: string;
  readonly resolvedAt: Date;
  readonly supportEmail: string;
}

/** Tells the customer a breach is considered cured: no termination for cause follows from it. */
export function breachResolvedMail(data: BreachResolvedData): RenderedMail {
  const when = formatTaipei(data.resolvedAt, data.locale);
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: 'The breach notice on your OrderPally account is resolved',
      intro: ['OrderPally considers the breach below cured. No termination for cause will follow from it.'],
      fields: [
        ['Reference', data.breachId],
        ['Resolved', when],
      ],
      sections: [
        { title: 'The breach', body: data.description },
        { title: 'Note from OrderPally', body: data.note },
      ],
      outro: [`Questions? Contact ${data.supportEmail}, quoting ${data.breachId}.`],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: '您 OrderPally 帳號的違約通知已解除',
    intro: ['OrderPally 認定下列違約情形已補正，不會因此終止您的帳號。'],
    fields: [
      ['參考編號', data.breachId],
      ['解除時間', when],
    ],
    sections: [
      { title: '違約情形', body: data.description },
      { title: 'OrderPally 說明', body: data.note },
    ],
    outro: [`如有疑問，請與 ${data.supportEmail} 聯絡並附上參考編號 ${data.breachId}。`],
  });
}
