import type { Locale } from './locale';

/** The time zone of every date people read (DESIGN §1). */
export const TAIPEI_TIME_ZONE = 'Asia/Taipei';

// Taiwan has kept UTC+8 without daylight saving since 1979, so a calendar date there maps to one
// fixed instant, and an instant to Taipei fields by that offset. Not Intl: its first Asia/Taipei
// formatter loads ICU's zone data, tens of milliseconds of every cold start (getAccount's window).
// The zone database stays the authority in the tests (test/shared/taipei.test.ts compares with it).
const TAIPEI_OFFSET = '+08:00';
const TAIPEI_OFFSET_MS = 8 * 3_600_000;

/** The calendar fields of an instant as a clock in Taipei shows them. */
export interface TaipeiFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/**
 * Splits an instant into Taipei calendar fields.
 * @throws RangeError for an invalid Date, as Intl's formatter would.
 */
export function taipeiFields(at: Date): TaipeiFields {
  const local = new Date(at.getTime() + TAIPEI_OFFSET_MS);
  if (Number.isNaN(local.getTime())) throw new RangeError('Invalid time value');
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** The year in Taipei, e.g. for `INC-<year>-…` references (31 Dec 16:00 UTC is already next year there). */
export function taipeiYear(at: Date): number {
  return taipeiFields(at).year;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The Taipei calendar date of an instant, `YYYY-MM-DD`. */
export function taipeiDate(at: Date): string {
  const f = taipeiFields(at);
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
}

/** The instant a Taipei calendar day (`YYYY-MM-DD`) starts. */
export function startOfTaipeiDay(date: string): Date {
  return new Date(`${date}T00:00:00${TAIPEI_OFFSET}`);
}

/**
 * An instant as people in the mail read it, always in Taipei time and saying so:
 * `2026年3月5日 14:03:07（台北時間 UTC+8）` or `5 March 2026, 14:03:07 (Taipei time, UTC+8)`.
 */
export function formatTaipei(at: Date, locale: Locale): string {
  const f = taipeiFields(at);
  const time = `${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
  if (locale === 'en') {
    return `${f.day} ${MONTHS[f.month - 1] ?? ''} ${f.year}, ${time} (Taipei time, UTC+8)`;
  }
  return `${f.year}年${f.month}月${f.day}日 ${time}（台北時間 UTC+8）`;
}

/** A Taipei calendar date (`YYYY-MM-DD`) for people: `2026年3月5日` or `5 March 2026`. */
export function formatTaipeiDate(date: string, locale: Locale): string {
  const f = taipeiFields(startOfTaipeiDay(date));
  if (locale === 'en') {
    return `${f.day} ${MONTHS[f.month - 1] ?? ''} ${f.year}`;
  }
  return `${f.year}年${f.month}月${f.day}日`;
}

function parseDate(date: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a calendar date: ${date}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** A calendar date `days` days after `date` (negative: before). Both `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  const at = new Date(Date.UTC(year, month - 1, day + days));
  return `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
}

/**
 * The same day of the month `months` calendar months after `date`, or that month's last day when
 * it is shorter: 31 January + 1 month = 28 February (29 in a leap year); 30 April + 1 = 30 May.
 */
export function addCalendarMonths(date: string, months: number): string {
  const { year, month, day } = parseDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${pad(y, 4)}-${pad(m)}-${pad(Math.min(day, daysInMonth(y, m)))}`;
}

/**
 * The earliest Taipei calendar date that is at least one calendar month after notice given at
 * `noticeAt` (clauses 2.1 and 3.1(a)): notice on 31 January → 28/29 February; notice at
 * 23:30 on 15 March in Taipei (15:30 UTC) → 15 April, because it is already the 15th in Taipei.
 */
export function oneMonthNoticeDate(noticeAt: Date): string {
  return addCalendarMonths(taipeiDate(noticeAt), 1);
}

/** Whole Taipei calendar days from the day of `from` to the day of `to` (negative when `to` is earlier). */
export function taipeiDaysBetween(from: Date, to: Date): number {
  const a = parseDate(taipeiDate(from));
  const b = parseDate(taipeiDate(to));
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}
