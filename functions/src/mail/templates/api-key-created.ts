import type { Locale } from '../../shared/locale';
import { formatTaipei } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/** What the notice of a new API key says. */
export interface ApiKeyCreatedData {
  readonly locale: Locale;
  /** The owner's own label: user text, escaped by `renderMail`. */
  readonly label: string;
  /** The first characters of the key (`opk_…`), as `listApiKeys` shows them; never the key. */
  readonly prefix: string;
  readonly createdAt: Date;
  /** The client address that asked for the key, as our front end saw it. */
  readonly ip: string;
  readonly supportEmail: string;
}

/**
 * Tells the owner that a personal API key was created on their account (clause 1.3): a key works
 * until revoked, so a key minted with a stolen session must not go unnoticed. Sent only to the
 * account's verified address; it says how to revoke the key and where to report.
 */
export function apiKeyCreatedMail(data: ApiKeyCreatedData): RenderedMail {
  const when = formatTaipei(data.createdAt, data.locale);
  // An address is at most 45 characters; anything longer did not come from our front end.
  const ip = data.ip === '' ? '—' : [...data.ip].slice(0, 64).join('');
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: 'A new API key was created for your OrderPally account',
      intro: ['A new personal API key was just created for your OrderPally account. Until it is revoked, it lets a server read your account and export your content.'],
      fields: [
        ['Label', data.label],
        ['Key starts with', data.prefix],
        ['Created', when],
        ['Requested from IP address', ip],
      ],
      outro: [
        'If you created this key, there is nothing more to do.',
        `If you did not, revoke the key now under API keys in your account, change your password, sign out of other devices, and report it to ${data.supportEmail}.`,
      ],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: '您的 OrderPally 帳號新增了一把 API 金鑰',
    intro: ['您的 OrderPally 帳號剛剛建立了一把新的個人 API 金鑰。在撤銷之前，持有這把金鑰的伺服器可以讀取您的帳號資料並匯出您的內容。'],
    fields: [
      ['名稱', data.label],
      ['金鑰開頭', data.prefix],
      ['建立時間', when],
      ['申請來源 IP 位址', ip],
    ],
    outro: [
      '若這是您本人的操作，無須再做任何事。',
      `若不是您建立的，請立即在帳號的「API 金鑰」頁面撤銷這把金鑰、變更密碼並登出其他裝置，再通報 ${data.supportEmail}。`,
    ],
  });
}
