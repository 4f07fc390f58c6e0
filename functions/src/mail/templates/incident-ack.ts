import type { Locale } from '../../shared/locale';
import { formatTaipei } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/** What the acknowledgement says. */
export interface IncidentAckData {
  readonly locale: Locale;
  readonly reference: string;
  /** The incident's category as the reporter reads it, in `locale`. */
  readonly categoryLabel: string;
  readonly reportedAt: Date;
  readonly supportEmail: string;
}

/**
 * The acknowledgement to the reporter: the reference and what happens next. It repeats none of
 * the reporter's free text (summary, description, name): anyone can type any address into the
 * form, so the form must not become a way to send text of one's choosing from our address.
 */
export function incidentAckMail(data: IncidentAckData): RenderedMail {
  const when = formatTaipei(data.reportedAt, data.locale);
  const category = data.categoryLabel;
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: `[${data.reference}] We have received your security incident report`,
      intro: ['Thank you for reporting a security incident to OrderPally. We have received your report and recorded it.'],
      fields: [
        ['Reference', data.reference],
        ['Category', category],
        ['Received', when],
      ],
      outro: [
        'What happens next: a member of our support team will read your report and reply to you within 24 hours. We may ask you for more details.',
        `Please quote the reference ${data.reference} whenever you contact us about this report, at ${data.supportEmail}.`,
        'If you think your account has been taken over, change your password now and sign out of other devices.',
        'If you did not send this report, you can ignore this message.',
      ],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: `[${data.reference}] 我們已收到您的資安事件通報`,
    intro: ['感謝您向 OrderPally 通報資訊安全事件。我們已收到並記錄您的通報。'],
    fields: [
      ['參考編號', data.reference],
      ['類別', category],
      ['收到時間', when],
    ],
    outro: [
      '接下來：客服人員會閱讀您的通報，並於 24 小時內首次回覆您，必要時會請您提供更多資訊。',
      `日後與我們聯絡（${data.supportEmail}）時，請附上參考編號 ${data.reference}。`,
      '若您認為帳號已遭盜用，請立即變更密碼並登出其他裝置。',
      '若您並未提出這則通報，請忽略本信。',
    ],
  });
}
