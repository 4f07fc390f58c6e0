import { formatTaipei } from '../../shared/taipei';
import { NOT_GIVEN } from './labels';
import { renderMail, type Field, type RenderedMail } from './render';

/** Who reported an incident, as support is shown them. */
export interface IncidentSupportReporter {
  /** The signed-in reporter's uid, or null for an anonymous report. */
  readonly uid: string | null;
  readonly email: string | null;
  readonly name: string | null;
  /** The language the reporter is answered in. */
  readonly locale: string;
  /** Signed-in reporters only: what support needs to judge an account-compromise report. */
  readonly account: null | { readonly email: string | null; readonly emailVerified: boolean; readonly status: string; readonly signInProvider: string | null };
}

/** What support needs to act on a report (agreement clause 5.7). */
export interface IncidentSupportData {
  readonly reference: string;
  /** The category's code, shown next to its label for searching. */
  readonly category: string;
  /** The category as support reads it, in Traditional Chinese. */
  readonly categoryLabel: string;
  readonly summary: string;
  readonly description: string;
  readonly occurredAt: Date | null;
  readonly reportedAt: Date;
  readonly reporter: IncidentSupportReporter;
}

/** The report as support receives it, in Traditional Chinese; Reply-To is the reporter. */
export function incidentSupportMail(data: IncidentSupportData): RenderedMail {
  const { reporter } = data;
  const account = reporter.account;
  const none = NOT_GIVEN['zh-TW'];
  const fields: Field[] = [
    ['參考編號', data.reference],
    ['類別', `${data.categoryLabel}（${data.category}）`],
    ['摘要', data.summary],
    ['通報時間', formatTaipei(data.reportedAt, 'zh-TW')],
    ['事件發生時間', data.occurredAt ? formatTaipei(data.occurredAt, 'zh-TW') : none],
    ['聯絡信箱', reporter.email ?? none],
    ['聯絡人姓名', reporter.name ?? none],
    ['回覆語言', reporter.locale],
    ['通報人身分', reporter.uid ? '已登入的用戶' : '未登入（匿名通報）'],
  ];
  if (reporter.uid && account) {
    fields.push(
      ['UID', reporter.uid],
      ['帳號信箱', account.email ?? none],
      ['信箱已驗證', account.emailVerified ? '是' : '否'],
      ['帳號狀態', account.status],
      ['登入方式', account.signInProvider ?? none],
    );
  }
  return renderMail({
    locale: 'zh-TW',
    subject: `[${data.reference}] 資安事件通報（${data.categoryLabel}）：${data.summary}`,
    intro: ['收到一則新的資訊安全事件通報（服務條款 5.7）。以下內容由通報人填寫，請勿直接開啟其中的連結或附件。'],
    fields,
    sections: [{ title: '詳細說明', body: data.description }],
    outro: [
      reporter.email
        ? '請於 24 小時內首次回覆通報人：直接回覆本信即寄到通報人的聯絡信箱。'
        : '通報人沒有提供聯絡信箱。',
      `狀態更新請使用 adminUpdateIncident（參考編號 ${data.reference}），系統會通知通報人。`,
    ],
  });
}
