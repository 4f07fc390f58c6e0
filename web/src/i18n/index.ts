import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { common } from './common';
import { reasons } from './reasons';
import { seller } from '../pages/seller/strings';
import { staff } from '../pages/console/strings';

/** The languages of every page and mail (zh-TW first: DESIGN, clause 6). */
export const LOCALES = ['zh-TW', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORED = 'orderpally.locale';

/** The language this browser last chose, else zh-TW. */
export function storedLocale(): Locale {
  const stored = globalThis.localStorage?.getItem(STORED);
  return stored === 'en' ? 'en' : 'zh-TW';
}

/** Switches every page to `locale` and remembers it for this browser. */
export async function switchLocale(locale: Locale): Promise<void> {
  globalThis.localStorage?.setItem(STORED, locale);
  document.documentElement.lang = locale;
  await i18next.changeLanguage(locale);
}

/** Namespaces: `common` (shell, sign-in), `reasons` (refusals by details.reason), `seller`, `staff`. */
export const i18nReady = i18next.use(initReactI18next).init({
  lng: storedLocale(),
  fallbackLng: 'zh-TW',
  supportedLngs: [...LOCALES],
  defaultNS: 'common',
  ns: ['common', 'reasons', 'seller', 'staff'],
  resources: {
    'zh-TW': { common: common['zh-TW'], reasons: reasons['zh-TW'], seller: seller['zh-TW'], staff: staff['zh-TW'] },
    en: { common: common.en, reasons: reasons.en, seller: seller.en, staff: staff.en },
  },
  interpolation: { escapeValue: false },
  returnNull: false,
});

export { i18next };
