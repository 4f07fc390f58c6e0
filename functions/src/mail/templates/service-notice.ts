import type { Locale } from '../../accounts/model';
import type { Exemption, FanoutRound, NoticeKind } from '../../notices/model';
import { formatTaipei } from '../../shared/taipei';
import { renderMail, type Field, type RenderedMail } from './render';

const KIND_LABELS: Record<Locale, Record<NoticeKind, string>> = {
  'zh-TW': { change: '服務變更', discontinuation: '服務終止', sla: '服務水準協議（SLA）變更' },
  en: { change: 'Service change', discontinuation: 'Service discontinuation', sla: 'Service level agreement (SLA) change' },
};

/** How people read a clause 2.1 exemption. */
export const EXEMPTION_LABELS: Record<Locale, Record<Exemption, string>> = {
  'zh-TW': { 'security-or-ip': '資訊安全或智慧財產權考量（第 2.1 條 (a)）', 'force-majeure': '不可抗力（第 2.1 條 (b)）', legal: '法令或政府要求（第 2.1 條 (c)）' },
  en: { 'security-or-ip': 'security or intellectual property (clause 2.1(a))', 'force-majeure': 'force majeure (clause 2.1(b))', legal: 'legal or government requirement (clause 2.1(c))' },
};

/** What a service-notice mail says. */
export interface ServiceNoticeMailData {
  readonly locale: Locale;
  readonly round: FanoutRound;
  readonly title: string;
  readonly body: string;
  readonly kind: NoticeKind;
  readonly announcedAt: Date;
  readonly effectiveAt: Date;
  readonly exemption: Exemption | null;
  readonly justification: string | null;
  readonly withdrawalReason: string | null;
  readonly supportEmail: string;
}

/** A service change, discontinuation or SLA notice (clauses 2.1, 2.2), or its withdrawal. */
export function serviceNoticeMail(data: ServiceNoticeMailData): RenderedMail {
  const en = data.locale === 'en';
  const effective = formatTaipei(data.effectiveAt, data.locale);
  const fields: Field[] = en
    ? [['Type', KIND_LABELS.en[data.kind]], ['Announced', formatTaipei(data.announcedAt, 'en')], ['Takes effect', effective]]
    : [['類型', KIND_LABELS['zh-TW'][data.kind]], ['公告時間', formatTaipei(data.announcedAt, 'zh-TW')], ['生效時間', effective]];
  if (data.exemption) {
    fields.push(en ? ['Shorter notice because of', EXEMPTION_LABELS.en[data.exemption]] : ['提前通知期間較短之原因', EXEMPTION_LABELS['zh-TW'][data.exemption]]);
    if (data.justification) fields.push(en ? ['Explanation', data.justification] : ['說明', data.justification]);
  }
  if (data.round === 'withdrawal') {
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
        ? `OrderPally is announcing the following ${data.kind === 'sla' ? 'change to its service level agreement' : data.kind === 'discontinuation' ? 'discontinuation' : 'change to the service'}, effective ${effective}.`
        : `OrderPally 特此公告下列${KIND_LABELS['zh-TW'][data.kind]}，將於 ${effective} 生效。`,
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
