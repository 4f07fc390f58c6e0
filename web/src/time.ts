// Dates people read are Asia/Taipei, whatever the browser's zone (DESIGN; clause 3.1(a) counts Taipei days).
export const TAIPEI = 'Asia/Taipei';

/** `2026-12-01 14:05` (zh-TW) or `1 Dec 2026, 14:05` (en), Taipei time. */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { timeZone: TAIPEI, dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(new Date(iso));
}

/** The Taipei calendar date of an instant: `YYYY-MM-DD`. */
export function taipeiDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TAIPEI, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** An amount of money as people read it: `$1,200` in zh-TW (Taiwan's own dollar), `NT$1,200` in English. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
}
