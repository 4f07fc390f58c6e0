import type { Locale } from '../../accounts/model';
import type { IncidentCategory, IncidentStatus } from '../../incidents/model';
import type { RecordScope } from '../../records/model';

/** How people read an incident category. */
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

/** How people read an incident status. */
export const STATUS_LABELS: Record<Locale, Record<IncidentStatus, string>> = {
  'zh-TW': { received: '已收到', triaged: '處理中', resolved: '已解決' },
  en: { received: 'Received', triaged: 'Being handled', resolved: 'Resolved' },
};

/** How people read the scope of a records request. */
export const SCOPE_LABELS: Record<Locale, Record<RecordScope, string>> = {
  'zh-TW': { activity: '帳號活動記錄', security: '安全相關記錄', all: '全部記錄' },
  en: { activity: 'Account activity records', security: 'Security records', all: 'All records' },
};

/** "not given" in each language. */
export const NOT_GIVEN: Record<Locale, string> = { 'zh-TW': '未提供', en: 'not given' };
