import { formatTaipei, formatTaipeiDate } from '../../shared/taipei';
import { NOT_GIVEN } from './labels';
import { renderMail, type RenderedMail } from './render';

/** What support needs to answer a records request (agreement clause 5.8). */
export interface RecordsSupportData {
  readonly reference: string;
  readonly uid: string;
  readonly email: string | null;
  readonly accountStatus: string;
  readonly locale: string;
  /** The scope's code, shown next to its label for searching. */
  readonly scope: string;
  /** The scope as support reads it, in Traditional Chinese. */
  readonly scopeLabel: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly note: string | null;
  readonly requestedAt: Date;
}

/** The request as support receives it, in Traditional Chinese; Reply-To is the customer. */
export function recordsSupportMail(data: RecordsSupportData): RenderedMail {
  const none = NOT_GIVEN['zh-TW'];
  const scope = data.scopeLabel;
  return renderMail({
    locale: 'zh-TW',
    subject: `[${data.reference}] 記錄調閱申請：${scope}`,
    intro: ['用戶申請調閱記錄（服務條款 5.8）。申請人已登入且信箱已驗證。'],
    fields: [
      ['參考編號', data.reference],
      ['範圍', `${scope}（${data.scope}）`],
      ['起始日期', data.from ? formatTaipeiDate(data.from, 'zh-TW') : '不限'],
      ['結束日期', data.to ? formatTaipeiDate(data.to, 'zh-TW') : '不限'],
      ['申請時間', formatTaipei(data.requestedAt, 'zh-TW')],
      ['UID', data.uid],
      ['帳號信箱', data.email ?? none],
      ['帳號狀態', data.accountStatus],
      ['回覆語言', data.locale],
    ],
    sections: data.note ? [{ title: '用戶備註', body: data.note }] : [],
    outro: ['請依相關規定回覆用戶：直接回覆本信即寄到用戶的帳號信箱。日期以台北時間計算，含首尾兩日。'],
  });
}
