import type { Locale } from '../../shared/locale';
import { formatTaipei } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/** What the notice of a sign-in from an unfamiliar device and network says. */
export interface NewSignInData {
  readonly locale: Locale;
  readonly at: Date;
  /** How they signed in, in `locale` (e.g. `Facebook`, `電子郵件與密碼`). */
  readonly methodLabel: string;
  /** Browser and system in `locale`, from a fixed list (never the raw user agent). */
  readonly deviceLabel: string;
  /** The network, truncated (`203.0.113.0/24`, `2001:db8:1::/48`), or a "not known" label. */
  readonly network: string;
  readonly supportEmail: string;
}

/**
 * Tells the owner of a sign-in from a device and a network not seen in 90 days (clauses 1.1(a)
 * and 5.8): they answer for all activity on the account, so they must hear of one that may not
 * be theirs, with what to do if it is not.
 */
export function newSignInMail(data: NewSignInData): RenderedMail {
  const when = formatTaipei(data.at, data.locale);
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: 'New sign-in to your OrderPally account',
      intro: ['Your OrderPally account was just signed in to from a device and a network it has not used in the last 90 days.'],
      fields: [
        ['When', when],
        ['Signed in with', data.methodLabel],
        ['Device', data.deviceLabel],
        ['Network', data.network],
      ],
      outro: [
        'If this was you, there is nothing more to do.',
        `If it was not, change your password (or your Facebook password) now, revoke any API keys you do not recognise, and report it to ${data.supportEmail}. Every sign-in is listed in your account's activity log.`,
      ],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: '您的 OrderPally 帳號有新的登入',
    intro: ['您的 OrderPally 帳號剛剛從一個近 90 天內未曾使用過的裝置與網路登入。'],
    fields: [
      ['時間', when],
      ['登入方式', data.methodLabel],
      ['裝置', data.deviceLabel],
      ['網路', data.network],
    ],
    outro: [
      '若這是您本人，無須再做任何事。',
      `若不是您，請立即變更密碼（或 Facebook 密碼）、撤銷您不認得的 API 金鑰，並通報 ${data.supportEmail}。每一次登入都列在帳號的活動記錄中。`,
    ],
  });
}
