import type { Locale } from '../../shared/locale';
import { formatTaipei } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/** What a termination notice says. */
export interface TerminationNoticeData {
  readonly locale: Locale;
  /** The termination's kind as the customer reads it, in `locale`. */
  readonly kindLabel: string;
  readonly initiatedBy: 'customer' | 'provider';
  /** True when the customer may still cancel it in the app: the notice then says how. */
  readonly cancellable: boolean;
  readonly reason: string;
  readonly noticeAt: Date;
  readonly effectiveAt: Date;
  /** True when the termination took effect at once (no notice period). */
  readonly immediate: boolean;
  /** When the last backup that may hold the content is deleted (clause 5.4 retention). */
  readonly backupsGoneBy: Date;
  readonly supportEmail: string;
}

/**
 * The notice of a termination (clause 3.1, 3.2): the date, what happens to the content and, for a
 * dated termination, how to retrieve it until then (clause 3.2(b): only with every amount due paid).
 */
export function terminationNoticeMail(data: TerminationNoticeData): RenderedMail {
  const kind = data.kindLabel;
  const effective = formatTaipei(data.effectiveAt, data.locale);
  const backups = formatTaipei(data.backupsGoneBy, data.locale);
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: data.immediate ? 'Your OrderPally account has been terminated' : `Your OrderPally account will be terminated on ${effective}`,
      intro: [
        data.immediate
          ? 'Your OrderPally account has been terminated with immediate effect. Your rights to use the service have ended.'
          : data.initiatedBy === 'customer'
            ? 'We have received your request to terminate your OrderPally account.'
            : 'This is notice that OrderPally will terminate your account.',
      ],
      fields: [
        ['Type', kind],
        ['Reason', data.reason],
        ['Notice given', formatTaipei(data.noticeAt, 'en')],
        ['Effective', effective],
      ],
      outro: data.immediate
        ? [
            'Your content (stores, products, orders and everything else you stored) is being destroyed now and cannot be retrieved (agreement clause 3.2(a)). Billing records and your activity log are kept as the law requires.',
            `Backups that may still hold copies of your content are deleted automatically by ${backups}.`,
            `If you believe this is a mistake, contact ${data.supportEmail} at once.`,
          ]
        : [
            `Until ${effective} your content stays as it is, and you can retrieve it: export it from the app (exportContent). Retrieval is available only while every amount due on your account is paid (agreement clause 3.2(b)); your account page shows any invoice that is past due.`,
            `On ${effective} your content is destroyed and cannot be recovered (agreement clause 3.2(a)). Backups that may still hold copies are deleted automatically by ${backups}. Billing records and your activity log are kept as the law requires.`,
            data.cancellable
              ? 'Changed your mind? You can cancel the termination in the app at any time before that date.'
              : `Questions? Contact ${data.supportEmail}.`,
          ],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: data.immediate ? '您的 OrderPally 帳號已終止' : `您的 OrderPally 帳號將於 ${effective} 終止`,
    intro: [
      data.immediate
        ? '您的 OrderPally 帳號已立即終止，您使用本服務的權利已經結束。'
        : data.initiatedBy === 'customer'
          ? '我們已收到您終止 OrderPally 帳號的申請。'
          : '特此通知：OrderPally 將終止您的帳號。',
    ],
    fields: [
      ['終止類型', kind],
      ['原因', data.reason],
      ['通知時間', formatTaipei(data.noticeAt, 'zh-TW')],
      ['生效時間', effective],
    ],
    outro: data.immediate
      ? [
          '您的內容（商店、商品、訂單及您儲存的其他一切資料）正在銷毀，無法再取回（服務條款第 3.2(a) 條）。帳務記錄與帳號活動記錄依法保留。',
          `可能仍存有您內容副本的備份，將於 ${backups} 前自動刪除。`,
          `若您認為這是誤會，請立即與 ${data.supportEmail} 聯絡。`,
        ]
      : [
          `在 ${effective} 之前，您的內容維持不變，您可以取回：請在應用程式中匯出（exportContent）。僅在帳號所有應付款項均已付清時才能取回（服務條款第 3.2(b) 條）；逾期未付的帳單會顯示在帳號頁面。`,
          `${effective} 起，您的內容將被銷毀且無法復原（服務條款第 3.2(a) 條）。可能仍存有副本的備份，將於 ${backups} 前自動刪除。帳務記錄與帳號活動記錄依法保留。`,
          data.cancellable
            ? '改變主意了嗎？在該日期之前，您隨時可以在應用程式中取消終止。'
            : `如有疑問，請與 ${data.supportEmail} 聯絡。`,
        ],
  });
}
