import type { Locale } from '../../shared/locale';
import { formatTaipei, formatTaipeiDate } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/** What the acknowledgement of a records request says. */
export interface RecordsAckData {
  readonly locale: Locale;
  readonly reference: string;
  /** Which records were asked for, as the customer reads it, in `locale`. */
  readonly scopeLabel: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly requestedAt: Date;
  readonly supportEmail: string;
}

/** Acknowledges a records request to the customer's own (verified) address. */
export function recordsAckMail(data: RecordsAckData): RenderedMail {
  const scope = data.scopeLabel;
  const when = formatTaipei(data.requestedAt, data.locale);
  if (data.locale === 'en') {
    const range = `${data.from ? formatTaipeiDate(data.from, 'en') : 'the beginning'} to ${data.to ? formatTaipeiDate(data.to, 'en') : 'today'} (Taipei time)`;
    return renderMail({
      locale: 'en',
      subject: `[${data.reference}] We have received your records request`,
      intro: ['We have received your request for records and passed it to our support team.'],
      fields: [
        ['Reference', data.reference],
        ['Records', scope],
        ['Period', range],
        ['Received', when],
      ],
      outro: [
        'What happens next: our support team will reply to this address in accordance with the applicable regulations. Your activity log is also available in the app at any time.',
        `Please quote the reference ${data.reference} whenever you contact us about this request, at ${data.supportEmail}.`,
        'If you did not make this request, contact us at once: someone may be using your account.',
      ],
    });
  }
  const range = `${data.from ? formatTaipeiDate(data.from, 'zh-TW') : '不限'} 至 ${data.to ? formatTaipeiDate(data.to, 'zh-TW') : '今日'}（台北時間）`;
  return renderMail({
    locale: 'zh-TW',
    subject: `[${data.reference}] 我們已收到您的記錄調閱申請`,
    intro: ['我們已收到您的記錄調閱申請，並已轉交客服人員處理。'],
    fields: [
      ['參考編號', data.reference],
      ['調閱範圍', scope],
      ['期間', range],
      ['收到時間', when],
    ],
    outro: [
      '接下來：客服人員會依照相關規定，回覆至本信箱。您也可以隨時在應用程式中查看帳號活動記錄。',
      `日後與我們聯絡（${data.supportEmail}）時，請附上參考編號 ${data.reference}。`,
      '若您並未提出這項申請，請立即與我們聯絡：可能有他人正在使用您的帳號。',
    ],
  });
}
