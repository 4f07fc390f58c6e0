import { taipeiDate } from '../../time';

/** Today's Taipei calendar date, `YYYY-MM-DD`. */
export function taipeiToday(): string {
  return taipeiDate(new Date());
}

/** 00:00 Taipei time on `date` (`YYYY-MM-DD`), as the ISO-8601 instant the billing functions take. */
export function startOfTaipeiDay(date: string): string {
  return `${date}T00:00:00+08:00`;
}

/**
 * The Taipei date `months` calendar months after `date`, clamped to the month's last day
 * (31 January + 1 month → 28/29 February), as the functions count notice (clause 2.1).
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}
