import { formatTaipei } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/** What support is told about an incident nobody has answered in time. */
export interface IncidentLateData {
  readonly reference: string;
  /** The category as support reads it, in Traditional Chinese. */
  readonly categoryLabel: string;
  readonly summary: string;
  readonly reportedAt: Date;
  readonly hours: number;
  readonly replyTo: string | null;
}

/**
 * Tells support, in Traditional Chinese like every mail to support, that an incident still has no
 * staff update although the acknowledgement promised a reply within 24 hours (clause 5.7).
 */
export function incidentLateMail(data: IncidentLateData): RenderedMail {
  return renderMail({
    locale: 'zh-TW',
    subject: `[${data.reference}] 逾時提醒：資安事件通報已超過 ${data.hours} 小時未回覆`,
    intro: [`這則資安事件通報在收到 ${data.hours} 小時後仍沒有任何客服更新；我們在確認信中承諾於 ${data.hours} 小時內回覆（服務條款 5.7）。`],
    fields: [
      ['參考編號', data.reference],
      ['類別', data.categoryLabel],
      ['摘要', data.summary],
      ['通報時間', formatTaipei(data.reportedAt, 'zh-TW')],
      ['聯絡信箱', data.replyTo ?? '（未提供）'],
    ],
    outro: [
      `請儘快以 adminUpdateIncident 更新 ${data.reference} 的狀態（triaged 或 resolved）並附上說明，通報人會收到通知。`,
      '每則通報只提醒一次；待處理清單可用 adminListIncidents 查看（最久的在最前）。',
    ],
  });
}
