import type { Locale } from '../../shared/locale';
import { formatTaipei, taipeiDaysBetween } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/**
 * "in 3 days" / " 3 天後" (spaced from the Chinese before it), counted in Taipei calendar days;
 * "today" and "tomorrow" for the day itself and the next.
 */
function inDays(now: Date, at: Date, locale: Locale): string {
  const days = Math.max(0, taipeiDaysBetween(now, at));
  if (locale === 'en') return days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`;
  return days === 0 ? '今天' : days === 1 ? '明天' : ` ${days} 天後`;
}

/** What a reminder of a pending termination says. */
export interface TerminationReminderData {
  readonly locale: Locale;
  /** The termination's kind as the customer reads it, in `locale`. */
  readonly kindLabel: string;
  /** True when the customer may still cancel it in the app: the reminder then says how. */
  readonly cancellable: boolean;
  readonly reason: string;
  readonly effectiveAt: Date;
  readonly now: Date;
  /** A suspended account cannot retrieve its content (the user is disabled): say so instead. */
  readonly suspended: boolean;
  readonly backupsGoneBy: Date;
  readonly supportEmail: string;
}

/**
 * Reminds the customer, 7 days and 1 day ahead (DESIGN §4), that the account ends on its date and
 * the content is then destroyed (clause 3.2(a)), and how to retrieve it until then (clause 3.2(b)).
 */
export function terminationReminderMail(data: TerminationReminderData): RenderedMail {
  const effective = formatTaipei(data.effectiveAt, data.locale);
  const backups = formatTaipei(data.backupsGoneBy, data.locale);
  const when = inDays(data.now, data.effectiveAt, data.locale);
  const { cancellable } = data;
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: `Reminder: your OrderPally account will be terminated on ${effective}`,
      intro: [`This is a reminder that your OrderPally account will be terminated ${when}, on ${effective}.`],
      fields: [
        ['Type', data.kindLabel],
        ['Reason', data.reason],
        ['Effective', effective],
      ],
      outro: [
        data.suspended
          ? `Your account is suspended, so your content cannot be retrieved at the moment. Contact ${data.supportEmail} if you need it.`
          : 'Until then you can retrieve your content: export it from the app (exportContent). Retrieval is available only while every amount due on your account is paid (agreement clause 3.2(b)).',
        `On ${effective} your rights to use the service end and your content is destroyed; it cannot be recovered (agreement clause 3.2(a)). Backups that may still hold copies are deleted automatically by ${backups}. Billing records and your activity log are kept as the law requires.`,
        cancellable
          ? 'Changed your mind? You can cancel the termination in the app at any time before that date.'
          : `Questions? Contact ${data.supportEmail}.`,
      ],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: `提醒：您的 OrderPally 帳號將於 ${effective} 終止`,
    intro: [`提醒您：您的 OrderPally 帳號將在${when}（${effective}）終止。`],
    fields: [
      ['終止類型', data.kindLabel],
      ['原因', data.reason],
      ['生效時間', effective],
    ],
    outro: [
      data.suspended
        ? `您的帳號目前已停權，暫時無法取回內容。如有需要，請與 ${data.supportEmail} 聯絡。`
        : '在此之前，您可以取回您的內容：請在應用程式中匯出（exportContent）。僅在帳號所有應付款項均已付清時才能取回（服務條款第 3.2(b) 條）。',
      `${effective} 起，您使用本服務的權利終止，您的內容將被銷毀且無法復原（服務條款第 3.2(a) 條）。可能仍存有副本的備份，將於 ${backups} 前自動刪除。帳務記錄與帳號活動記錄依法保留。`,
      cancellable ? '改變主意了嗎？在該日期之前，您隨時可以在應用程式中取消終止。' : `如有疑問，請與 ${data.supportEmail} 聯絡。`,
    ],
  });
}

/** What a reminder of the contract's end says. */
export interface ContractReminderData {
  readonly locale: Locale;
  readonly endsAt: Date;
  readonly now: Date;
  readonly supportEmail: string;
}

/**
 * Reminds the customer, 30 and 7 days ahead, that the contract ends and the account with it
 * (clause 3.1(c)), so they can renew or retrieve their content in time.
 */
export function contractReminderMail(data: ContractReminderData): RenderedMail {
  const ends = formatTaipei(data.endsAt, data.locale);
  const when = inDays(data.now, data.endsAt, data.locale);
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: `Your OrderPally contract ends on ${ends}`,
      intro: [`Your contract with OrderPally ends ${when}, on ${ends}. When it ends, your account is terminated (agreement clause 3.1(c)).`],
      fields: [['Contract ends', ends]],
      outro: [
        `To keep using OrderPally, contact ${data.supportEmail} to renew before that date.`,
        'Otherwise your content is destroyed when the contract ends and cannot be recovered (agreement clause 3.2(a)). Until then you can export it from the app (exportContent) while every amount due is paid (agreement clause 3.2(b)).',
      ],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: `您的 OrderPally 合約將於 ${ends} 到期`,
    intro: [`您與 OrderPally 的合約將在${when}（${ends}）到期。合約終止時，您的帳號將一併終止（服務條款第 3.1(c) 條）。`],
    fields: [['合約到期', ends]],
    outro: [
      `若要繼續使用 OrderPally，請於到期前與 ${data.supportEmail} 聯絡續約。`,
      '否則合約到期時您的內容將被銷毀且無法復原（服務條款第 3.2(a) 條）。在此之前，只要所有應付款項均已付清，您可以在應用程式中匯出內容（exportContent，服務條款第 3.2(b) 條）。',
    ],
  });
}

/** What the notice of content destruction says. */
export interface ContentDestroyedData {
  readonly locale: Locale;
  readonly effectiveAt: Date;
  readonly destroyedAt: Date;
  readonly backupsGoneBy: Date;
  readonly supportEmail: string;
}

/** The last message to a terminated customer: the content is gone, and when the backups are (clauses 3.2(a), 5.4). */
export function contentDestroyedMail(data: ContentDestroyedData): RenderedMail {
  const effective = formatTaipei(data.effectiveAt, data.locale);
  const destroyed = formatTaipei(data.destroyedAt, data.locale);
  const backups = formatTaipei(data.backupsGoneBy, data.locale);
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: 'Your OrderPally content has been destroyed',
      intro: [`Your OrderPally account was terminated on ${effective}. As the agreement provides (clause 3.2(a)), all your content has now been destroyed.`],
      fields: [
        ['Account terminated', effective],
        ['Content destroyed', destroyed],
        ['Backups deleted by', backups],
      ],
      outro: [
        `Backups that may still hold copies of your content are deleted automatically by ${backups} (they are kept for a fixed period, agreement clause 5.4).`,
        `Billing records and your activity log are kept as the law requires; you can ask ${data.supportEmail} for your records (agreement clause 5.8).`,
      ],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: '您的 OrderPally 內容已銷毀',
    intro: [`您的 OrderPally 帳號已於 ${effective} 終止。依服務條款第 3.2(a) 條，您的所有內容現已銷毀。`],
    fields: [
      ['帳號終止', effective],
      ['內容銷毀', destroyed],
      ['備份刪除期限', backups],
    ],
    outro: [
      `可能仍存有您內容副本的備份，將於 ${backups} 前自動刪除（備份依服務條款第 5.4 條保留一段固定期間）。`,
      `帳務記錄與帳號活動記錄依法保留；如需調閱記錄，請與 ${data.supportEmail} 聯絡（服務條款第 5.8 條）。`,
    ],
  });
}
