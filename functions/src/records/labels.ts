import type { Locale } from '../shared/locale';
import type { RecordScope } from './model';

/** How people read the scope of a records request, in the mails about it. */
export const SCOPE_LABELS: Record<Locale, Record<RecordScope, string>> = {
  'zh-TW': { activity: '帳號活動記錄', security: '安全相關記錄', all: '全部記錄' },
  en: { activity: 'Account activity records', security: 'Security records', all: 'All records' },
};
