import type { Locale } from '../shared/locale';
import type { IncidentCategory, IncidentStatus } from './model';

/** How people read an incident category, in the mails about it. */
export const CATEGORY_LABELS: Record<Locale, Record<IncidentCategory, string>> = {
  'zh-TW': {
    vulnerability: '安全漏洞',
    'account-compromise': '帳號遭盜用',
    'data-exposure': '資料外洩',
    abuse: '濫用行為',
    other: '其他',
  },
  en: {
    vulnerability: 'Vulnerability',
    'account-compromise': 'Account compromise',
    'data-exposure': 'Data exposure',
    abuse: 'Abuse',
    other: 'Other',
  },
};

/** How people read an incident status, in the mails about it. */
export const STATUS_LABELS: Record<Locale, Record<IncidentStatus, string>> = {
  'zh-TW': { received: '已收到', triaged: '處理中', resolved: '已解決' },
  en: { received: 'Received', triaged: 'Being handled', resolved: 'Resolved' },
};
