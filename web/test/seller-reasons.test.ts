import { REASONS } from '../../functions/src/shared/errors';
import { reasonKeys, reasons } from '../src/i18n/reasons';

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).sort();
const table = (locale: 'zh-TW' | 'en'): Record<string, string> => reasons[locale];

describe('refusal texts (the reasons namespace)', () => {
  it.each(REASONS.map((reason) => [reason]))('when a function refuses with %s, then there is a zh-TW and an English text for it, naming the same details', (reason) => {
    const zh = table('zh-TW')[reason];
    const en = table('en')[reason];
    expect({ reason, zh: Boolean(zh?.trim()), en: Boolean(en?.trim()) }).toEqual({ reason, zh: true, en: true });
    expect(placeholders(zh!)).toEqual(placeholders(en!));
  });

  it('when both tables are compared, then each has the same keys and every variant names the same details in both languages', () => {
    expect(Object.keys(table('en')).sort()).toEqual(Object.keys(table('zh-TW')).sort());
    for (const key of Object.keys(table('zh-TW'))) expect([key, placeholders(table('zh-TW')[key]!)]).toEqual([key, placeholders(table('en')[key]!)]);
  });

  it('when a date is outside the termination window, then the text with both dates is chosen, and only when the details carry them', () => {
    expect(reasonKeys('INVALID_ARGUMENT', { earliest: '2026-12-08', latest: '2027-03-01' })).toEqual(['INVALID_ARGUMENT_WINDOW', 'INVALID_ARGUMENT']);
    expect(reasonKeys('INVALID_ARGUMENT', { earliest: '2027-01-01' })).toEqual(['INVALID_ARGUMENT_EARLIEST', 'INVALID_ARGUMENT']);
    expect(reasonKeys('INVALID_ARGUMENT', { issues: [] })).toEqual(['INVALID_ARGUMENT']);
    expect(reasonKeys('AMOUNTS_DUE', { earliest: 'x' })).toEqual(['AMOUNTS_DUE']);
    expect(placeholders(table('zh-TW').INVALID_ARGUMENT!)).toEqual([]);
  });
});
