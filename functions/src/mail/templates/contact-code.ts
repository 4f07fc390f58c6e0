import type { Locale } from '../../shared/locale';
import { formatTaipei } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/** What the mail with a contact-address code says. */
export interface ContactCodeData {
  readonly locale: Locale;
  /** Six digits, as the owner types them into the app. */
  readonly code: string;
  readonly expiresAt: Date;
  readonly supportEmail: string;
}

/**
 * The code that proves the owner reads the contact address they gave (`setContactEmail`). Sent to
 * that address only, never to the inbox: the inbox must not confirm an address it cannot reach.
 */
export function contactCodeMail(data: ContactCodeData): RenderedMail {
  const until = formatTaipei(data.expiresAt, data.locale);
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: `Your OrderPally confirmation code: ${data.code}`,
      intro: ['Someone asked for this address to receive the notices of an OrderPally account. Enter the code below in the app to confirm it.'],
      fields: [['Code', data.code], ['Valid until', until]],
      outro: [`If you did not ask for this, ignore this mail: nothing changes until the code is entered. Questions? Contact ${data.supportEmail}.`],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: `您的 OrderPally 確認碼：${data.code}`,
    intro: ['有人申請以此信箱接收 OrderPally 帳號的通知。請在應用程式中輸入下列確認碼完成設定。'],
    fields: [['確認碼', data.code], ['有效期限', until]],
    outro: [`若您並未提出申請，請忽略本信；未輸入確認碼前不會有任何變更。如有疑問，請與 ${data.supportEmail} 聯絡。`],
  });
}
