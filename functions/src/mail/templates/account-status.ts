import type { Locale } from '../../shared/locale';
import { formatTaipei } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/** What the notice of a suspension says. */
export interface AccountSuspendedData {
  readonly locale: Locale;
  readonly reason: string;
  readonly since: Date;
  /** The date of a termination that stays scheduled, if any. */
  readonly terminationEffectiveAt: Date | null;
  readonly supportEmail: string;
}

/**
 * The notice of a suspension (clause 3.1(b)(ii)): what stops (sign-in, API keys, retrieval), that
 * the content is kept, and whether a termination is still scheduled.
 */
export function accountSuspendedMail(data: AccountSuspendedData): RenderedMail {
  const since = formatTaipei(data.since, data.locale);
  const termination = data.terminationEffectiveAt && formatTaipei(data.terminationEffectiveAt, data.locale);
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: 'Your OrderPally account has been suspended',
      intro: [
        'OrderPally has suspended your account (agreement clause 3.1(b)(ii)). While it is suspended you cannot sign in, your API keys do not work and your content cannot be retrieved. Your content is not deleted.',
      ],
      fields: [
        ['Reason', data.reason],
        ['Suspended since', since],
        ...(termination ? [['Termination still scheduled for', termination] as const] : []),
      ],
      outro: [`To discuss the suspension, contact ${data.supportEmail}.`],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: '您的 OrderPally 帳號已被暫停',
    intro: ['OrderPally 已暫停您的帳號（服務條款第 3.1(b)(ii) 條）。暫停期間您無法登入，API 金鑰失效，也無法取回內容；您的內容不會被刪除。'],
    fields: [
      ['原因', data.reason],
      ['暫停時間', since],
      ...(termination ? [['仍排定的終止時間', termination] as const] : []),
    ],
    outro: [`如需就暫停一事與我們聯絡，請來信 ${data.supportEmail}。`],
  });
}

/** What the notice of a lifted suspension says. */
export interface AccountReinstatedData {
  readonly locale: Locale;
  readonly reinstatedAt: Date;
  /** The date of a termination that stays scheduled, if any. */
  readonly terminationEffectiveAt: Date | null;
  readonly supportEmail: string;
}

/** Tells the customer the suspension is lifted: they can sign in again, and what still stands. */
export function accountReinstatedMail(data: AccountReinstatedData): RenderedMail {
  const when = formatTaipei(data.reinstatedAt, data.locale);
  const termination = data.terminationEffectiveAt && formatTaipei(data.terminationEffectiveAt, data.locale);
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: 'Your OrderPally account has been reinstated',
      intro: ['OrderPally has lifted the suspension of your account. You can sign in again, and the API keys you have not revoked work again.'],
      fields: [
        ['Reinstated', when],
        ...(termination ? [['Termination still scheduled for', termination] as const] : []),
      ],
      outro: [
        termination
          ? `Your account will still be terminated on ${termination}. Until then you can retrieve your content, provided every amount due is paid (agreement clause 3.2(b)).`
          : 'Your account is active again.',
        `Questions? Contact ${data.supportEmail}.`,
      ],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: '您的 OrderPally 帳號已恢復',
    intro: ['OrderPally 已解除您帳號的暫停。您可以重新登入，未撤銷的 API 金鑰也恢復有效。'],
    fields: [
      ['恢復時間', when],
      ...(termination ? [['仍排定的終止時間', termination] as const] : []),
    ],
    outro: [
      termination
        ? `您的帳號仍將於 ${termination} 終止。在此之前，只要所有應付款項均已付清，您就可以取回內容（服務條款第 3.2(b) 條）。`
        : '您的帳號已恢復正常使用。',
      `如有疑問，請與 ${data.supportEmail} 聯絡。`,
    ],
  });
}
