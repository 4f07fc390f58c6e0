import type { Locale } from '../shared/locale';
import type { Exemption, NoticeKind } from './model';

/** How people read what a service notice announces (its "Type" line). */
export const NOTICE_KIND_LABELS: Record<Locale, Record<NoticeKind, string>> = {
  'zh-TW': { change: '服務變更', discontinuation: '服務終止', sla: '服務水準協議（SLA）變更' },
  en: { change: 'Service change', discontinuation: 'Service discontinuation', sla: 'Service level agreement (SLA) change' },
};

/** The same, as the announcement's first sentence names it ("announcing the following …"). */
export const NOTICE_KIND_PHRASES: Record<Locale, Record<NoticeKind, string>> = {
  'zh-TW': NOTICE_KIND_LABELS['zh-TW'],
  en: { change: 'change to the service', discontinuation: 'discontinuation', sla: 'change to its service level agreement' },
};

/** How people read a clause 2.1 exemption. */
export const EXEMPTION_LABELS: Record<Locale, Record<Exemption, string>> = {
  'zh-TW': { 'security-or-ip': '資訊安全或智慧財產權考量（第 2.1 條 (a)）', 'force-majeure': '不可抗力（第 2.1 條 (b)）', legal: '法令或政府要求（第 2.1 條 (c)）' },
  en: { 'security-or-ip': 'security or intellectual property (clause 2.1(a))', 'force-majeure': 'force majeure (clause 2.1(b))', legal: 'legal or government requirement (clause 2.1(c))' },
};
