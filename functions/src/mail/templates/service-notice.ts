import type { Locale } from '../../shared/locale';
import { formatTaipei } from '../../shared/taipei';
import { renderMail, type Field, type RenderedMail } from './render';

/** What a service-notice mail says. */
export interface ServiceNoticeMailData {
  readonly locale: Locale;
  /** True for the mail that withdraws the notice, false for the one that announces it. */
  readonly withdrawal: boolean;
  readonly title: string;
  readonly body: string;
  /** What the notice announces, as its "Type" line reads in `locale`. */
  readonly kindLabel: string;
  /** The same as the first sentence names it ("announcing the following …"), in `locale`. */
  readonly kindPhrase: string;
  readonly announcedAt: Date;
  readonly effectiveAt: Date;
  /** The clause 2.1 exemption that allows a shorter notice, as people read it in `locale`; null for none. */
  readonly exemptionLabel: string | null;
  readonly justification: string | null;
  readonly withdrawalReason: string | null;
  readonly supportEmail: string;
}

/** A service change, discontinuation or SLA notice (clauses 2.1, 2.2), or its withdrawal. */
export function serviceNoticeMail(data: ServiceNoticeMailData): RenderedMail {
  const en = data.locale === 'en';
  const effective = formatTaipei(data.effectiveAt, data.locale);
  const fields: Field[] = en
    ? [['Type', data.kindLabel], ['Announced', formatTaipei(data.announcedAt, 'en')], ['Takes effect', effective]]
    : [['類型', data.kindLabel], ['公告時間', formatTaipei(data.announcedAt, 'zh-TW')], ['生效時間', effective]];
  if (data.exemptionLabel !== null) {
    fields.push(en ? ['Shorter notice because of', data.exemptionLabel] : ['提前通知期間較短之原因', data.exemptionLabel]);
    if (data.justification) fields.push(en ? ['Explanation', data.justification] : ['說明', data.justification]);
  }
  if (data.withdrawal) {
    if (data.withdrawalReason) fields.push(en ? ['Reason for withdrawal', data.withdrawalReason] : ['撤回原因', data.withdrawalReason]);
    return renderMail({
      locale: data.locale,
      subject: en ? `Withdrawn: ${data.title}` : `撤回通知：${data.title}`,
      intro: [en ? 'OrderPally has withdrawn the service notice below. It will not take effect; nothing changes for you.' : 'OrderPally 已撤回下列服務通知，該變更不會生效，您的服務不受影響。'],
      fields,
      sections: [{ title: en ? 'The withdrawn notice' : '已撤回的通知內容', body: data.body }],
      outro: [en ? `Questions? Contact ${data.supportEmail}.` : `如有疑問，請與 ${data.supportEmail} 聯絡。`],
    });
  }
  return renderMail({
    locale: data.locale,
    subject: en ? `Service notice: ${data.title}` : `服務通知：${data.title}`,
    intro: [
      en
        ? `OrderPally is announcing the following ${data.kindPhrase}, effective ${effective}.`
        : `OrderPally 特此公告下列${data.kindPhrase}，將於 ${effective} 生效。`,
    ],
    fields,
    sections: [{ title: data.title, body: data.body }],
    outro: [
      en
        ? 'The app lists every current notice. Under clause 2.1 of the agreement we give at least one month of notice, except in the cases the clause names.'
        : '應用程式中可查看所有現行通知。依服務條款第 2.1 條，除該條所列情形外，我們會至少提前一個月通知。',
      en ? `Questions? Contact ${data.supportEmail}.` : `如有疑問，請與 ${data.supportEmail} 聯絡。`,
    ],
  });
}
