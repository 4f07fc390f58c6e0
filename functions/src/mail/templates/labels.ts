import type { Locale } from '../../shared/locale';

/** "not given" in each language. */
export const NOT_GIVEN: Record<Locale, string> = { 'zh-TW': '未提供', en: 'not given' };
