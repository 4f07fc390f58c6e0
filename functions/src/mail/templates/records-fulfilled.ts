import type { Locale } from '../../shared/locale';
import { formatTaipei, formatTaipeiDate } from '../../shared/taipei';
import { renderMail, type RenderedMail, type Section } from './render';

/** What the mail about fulfilled records says. */
export interface RecordsFulfilledData {
  readonly locale: Locale;
  readonly reference: string;
  /** Which records were asked for, as the owner reads it, in `locale`. */
  readonly scopeLabel: string;
  readonly from: string | null;
  readonly to: string | null;
  /** Records in the download (the request and end lines not counted). */
  readonly records: number;
  readonly fulfilledAt: Date;
  /** Support's note to the owner, if any: user text, escaped by renderMail. */
  readonly note: string | null;
  readonly supportEmail: string;
}

/** Tells the owner their records are ready and how to download them (clause 5.8). */
export function recordsFulfilledMail(data: RecordsFulfilledData): RenderedMail {
  const download = `GET exportRecords?reference=${data.reference}`;
  if (data.locale === 'en') {
    const sections: Section[] = data.note ? [{ title: 'Note from support', body: data.note }] : [];
    return renderMail({
      locale: 'en',
      subject: `[${data.reference}] Your records are ready to download`,
      intro: ['The records you asked for have been prepared and are ready to download.'],
      fields: [
        ['Reference', data.reference],
        ['Records', data.scopeLabel],
        ['Period', `${data.from ? formatTaipeiDate(data.from, 'en') : 'the beginning'} to ${data.to ? formatTaipeiDate(data.to, 'en') : 'the day of your request'} (Taipei time)`],
        ['Entries', String(data.records)],
        ['Ready since', formatTaipei(data.fulfilledAt, 'en')],
      ],
      sections,
      outro: [
        `How to download: sign in to the OrderPally app and open your records request ${data.reference}; or, from your own systems, call ${download} with "Authorization: Bearer <your ID token>". The file is NDJSON, one record per line; its last line ("type": "end") shows it is complete.`,
        'Only you, signed in to this account, can download these records. They stay as they were prepared today.',
        `Questions? Write to ${data.supportEmail} and quote ${data.reference}.`,
      ],
    });
  }
  const sections: Section[] = data.note ? [{ title: '客服備註', body: data.note }] : [];
  return renderMail({
    locale: 'zh-TW',
    subject: `[${data.reference}] 您申請的記錄已可下載`,
    intro: ['您申請調閱的記錄已準備完成，現在可以下載。'],
    fields: [
      ['參考編號', data.reference],
      ['調閱範圍', data.scopeLabel],
      ['期間', `${data.from ? formatTaipeiDate(data.from, 'zh-TW') : '不限'} 至 ${data.to ? formatTaipeiDate(data.to, 'zh-TW') : '申請當日'}（台北時間）`],
      ['記錄筆數', String(data.records)],
      ['完成時間', formatTaipei(data.fulfilledAt, 'zh-TW')],
    ],
    sections,
    outro: [
      `下載方式：登入 OrderPally 應用程式，開啟記錄調閱申請 ${data.reference} 下載；或由您自己的系統以「Authorization: Bearer <ID token>」呼叫 ${download}。檔案為 NDJSON 格式，每行一筆記錄；最後一行（"type": "end"）代表檔案完整。`,
      '只有登入本帳號的您本人可以下載這些記錄，內容維持今日準備完成時的樣子。',
      `如有疑問，請寫信至 ${data.supportEmail}，並附上參考編號 ${data.reference}。`,
    ],
  });
}
