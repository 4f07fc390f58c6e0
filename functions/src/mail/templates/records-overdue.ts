import { renderMail, type RenderedMail } from './render';

/** What ops are told about a records request left unfulfilled. */
export interface RecordsOverdueData {
  readonly reference: string;
  readonly uid: string;
  /** The scope's code, e.g. `security`. */
  readonly scope: string;
  readonly requestedAt: Date;
  readonly days: number;
  readonly projectId: string;
}

/** The ops alert, in English like every ops alert (it goes to engineers, not customers). */
export function recordsOverdueMail(data: RecordsOverdueData): RenderedMail {
  return renderMail({
    locale: 'en',
    subject: `[OrderPally ops] Records request ${data.reference} unfulfilled after ${data.days} days (${data.projectId})`,
    intro: [`A customer's records request (agreement clause 5.8) has waited ${data.days} days without being fulfilled.`],
    fields: [
      ['Reference', data.reference],
      ['Account', data.uid],
      ['Scope', data.scope],
      ['Requested at', data.requestedAt.toISOString()],
      ['Project', data.projectId],
    ],
    outro: [
      `Ask support to fulfil it with adminFulfilRecordRequest({reference: "${data.reference}"}); the owner is then notified and can download the records.`,
      'This request is alerted once.',
    ],
  });
}
