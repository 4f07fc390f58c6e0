import type { Locale } from '../../shared/locale';
import { formatTaipei } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/** What the confirmation of a cancelled customer termination says. */
export interface TerminationCancelledData {
  readonly locale: Locale;
  /** When the termination would have taken effect. */
  readonly effectiveAt: Date;
  readonly cancelledAt: Date;
  readonly supportEmail: string;
}

/** Confirms that the customer cancelled their own termination (clause 3.1(a)): the account stays. */
export function terminationCancelledMail(data: TerminationCancelledData): RenderedMail {
  const effective = formatTaipei(data.effectiveAt, data.locale);
  const when = formatTaipei(data.cancelledAt, data.locale);
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: 'You have cancelled the termination of your OrderPally account',
      intro: ['As you asked, the termination of your OrderPally account has been cancelled. Your account stays active and your content stays as it is.'],
      fields: [
        ['Termination that was planned for', effective],
        ['Cancelled', when],
      ],
      outro: [`If you did not cancel it yourself, contact ${data.supportEmail} at once: someone else may be using your account.`],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: '您已取消 OrderPally 帳號的終止',
    intro: ['依您的要求，您 OrderPally 帳號的終止已經取消。帳號維持正常使用，您的內容不受影響。'],
    fields: [
      ['原定終止時間', effective],
      ['取消時間', when],
    ],
    outro: [`若這不是您本人的操作，請立即與 ${data.supportEmail} 聯絡：可能有他人正在使用您的帳號。`],
  });
}

/** What the notice of a withdrawn provider termination says. */
export interface TerminationWithdrawnData {
  readonly locale: Locale;
  /** The withdrawn termination's kind as the customer reads it, in `locale`. */
  readonly kindLabel: string;
  /** When the termination would have taken effect. */
  readonly effectiveAt: Date;
  readonly withdrawnAt: Date;
  readonly supportEmail: string;
}

/** Tells the customer that OrderPally withdrew the termination it had given notice of (clause 3.1). */
export function terminationWithdrawnMail(data: TerminationWithdrawnData): RenderedMail {
  const kind = data.kindLabel;
  const effective = formatTaipei(data.effectiveAt, data.locale);
  const when = formatTaipei(data.withdrawnAt, data.locale);
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: 'OrderPally has withdrawn the termination of your account',
      intro: [`OrderPally has withdrawn the termination of your account that was planned for ${effective}. Your account will not be terminated on that date.`],
      fields: [
        ['Type', kind],
        ['Termination that was planned for', effective],
        ['Withdrawn', when],
      ],
      outro: ['Your account is active and your content stays as it is.', `Questions? Contact ${data.supportEmail}.`],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: 'OrderPally 已撤回您帳號的終止',
    intro: [`OrderPally 已撤回原定於 ${effective} 生效的帳號終止，您的帳號不會在該日終止。`],
    fields: [
      ['終止類型', kind],
      ['原定終止時間', effective],
      ['撤回時間', when],
    ],
    outro: ['您的帳號維持正常使用，內容不受影響。', `如有疑問，請與 ${data.supportEmail} 聯絡。`],
  });
}
