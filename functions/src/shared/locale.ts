/** The languages people read our mail and notices in: Traditional Chinese first, English second. */
export const LOCALES = ['zh-TW', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Picks the app locale from a BCP 47 tag: English for `en*`, Traditional Chinese otherwise. */
export function normalizeLocale(tag: string | null | undefined): Locale {
  return typeof tag === 'string' && /^en\b/i.test(tag) ? 'en' : 'zh-TW';
}
