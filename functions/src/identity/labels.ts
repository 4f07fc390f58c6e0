import type { Locale } from '../shared/locale';
import type { DeviceSummary } from './sign-in-origin';

/** A sign-in method as a person names it. */
export const METHOD_NAMES: Record<Locale, Record<string, string>> = {
  'zh-TW': { password: '電子郵件與密碼', 'facebook.com': 'Facebook' },
  en: { password: 'email and password', 'facebook.com': 'Facebook' },
};

/** "not known" in each language. */
export const UNKNOWN: Record<Locale, string> = { 'zh-TW': '不明', en: 'not known' };

/** `Chrome · iPhone`, or what is known of it, in `locale`. */
export function deviceLabel(summary: DeviceSummary, locale: Locale): string {
  const parts = [summary.browser, summary.system].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' · ') : UNKNOWN[locale];
}
