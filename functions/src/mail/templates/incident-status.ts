import type { Locale } from '../../shared/locale';
import { formatTaipei } from '../../shared/taipei';
import { renderMail, type RenderedMail } from './render';

/** What a status update tells the reporter. */
export interface IncidentStatusData {
  readonly locale: Locale;
  readonly reference: string;
  /** The new status as the reporter reads it, in `locale`. */
  readonly statusLabel: string;
  /** True when support resolved the incident: the mail then says it is closed. */
  readonly resolved: boolean;
  /** Support's note to the reporter. */
  readonly note: string;
  readonly updatedAt: Date;
  readonly supportEmail: string;
}

/** Tells the reporter that support changed the incident's status, with support's note. */
export function incidentStatusMail(data: IncidentStatusData): RenderedMail {
  const status = data.statusLabel;
  const when = formatTaipei(data.updatedAt, data.locale);
  if (data.locale === 'en') {
    return renderMail({
      locale: 'en',
      subject: `[${data.reference}] Update on your security incident report: ${status}`,
      intro: [`There is an update on the security incident you reported (${data.reference}).`],
      fields: [
        ['Reference', data.reference],
        ['Status', status],
        ['Updated', when],
      ],
      sections: [{ title: 'Note from our support team', body: data.note }],
      outro: [
        data.resolved
          ? `We consider this incident resolved. If anything is still wrong, write to ${data.supportEmail} quoting ${data.reference}.`
          : `We are working on it and will keep you informed. You can reach us at ${data.supportEmail}, quoting ${data.reference}.`,
      ],
    });
  }
  return renderMail({
    locale: 'zh-TW',
    subject: `[${data.reference}] 您的資安事件通報有新進度：${status}`,
    intro: [`您通報的資訊安全事件（${data.reference}）有新的處理進度。`],
    fields: [
      ['參考編號', data.reference],
      ['狀態', status],
      ['更新時間', when],
    ],
    sections: [{ title: '客服說明', body: data.note }],
    outro: [
      data.resolved
        ? `我們已將此事件標示為已解決。若仍有問題，請來信 ${data.supportEmail} 並附上參考編號 ${data.reference}。`
        : `我們正在處理中，並會持續通知您。如需聯絡我們，請來信 ${data.supportEmail} 並附上參考編號 ${data.reference}。`,
    ],
  });
}
