import { z } from 'zod';
import { addCalendarMonths, addDays, startOfTaipeiDay, taipeiDate } from '../shared/taipei';
import { invalidArgument } from '../shared/errors';

// The range of a Firestore Timestamp.
const FIRST_STORABLE_MS = Date.parse('0001-01-01T00:00:00.000Z');
const LAST_STORABLE_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * An `effectiveAt` as clients send it: a Taipei calendar date `YYYY-MM-DD` (the termination takes
 * effect at 00:00 that day, Taipei time) or an ISO-8601 date-time with an offset (that instant).
 */
export const effectiveAtInput = z
  .union([
    z.iso.date(),
    z.iso.datetime({ offset: true }),
  ], { error: 'must be a date YYYY-MM-DD (Taipei) or an ISO-8601 date-time such as 2026-03-05T00:00:00+08:00' })
  .transform((value) => (value.length === 10 ? startOfTaipeiDay(value) : new Date(value)))
  // Firestore timestamps hold years 1–9999 only: '9999-12-31T23:00:00-10:00' is year 10000 in UTC
  // and would fail at write time (a 500) instead of as bad input.
  .refine((at) => at.getTime() >= FIRST_STORABLE_MS && at.getTime() <= LAST_STORABLE_MS, 'must lie between 0001-01-01 and 9999-12-31 (UTC)');

/** Limits of a customer's own termination date (clause 3.1(a)), in Taipei calendar days from today. */
export interface CustomerWindow {
  readonly minDays: number;
  readonly maxDays: number;
  readonly defaultDays: number;
}

/**
 * The effective instant of a customer termination: the requested one, or 00:00 Taipei time
 * `defaultDays` days from today. Its Taipei date must be `minDays`..`maxDays` days after today.
 * @throws AppError INVALID_ARGUMENT with `details {earliest, latest}` (dates) otherwise.
 */
export function customerEffectiveAt(now: Date, requested: Date | undefined, window: CustomerWindow): Date {
  const today = taipeiDate(now);
  const earliest = addDays(today, window.minDays);
  const latest = addDays(today, window.maxDays);
  if (!requested) return startOfTaipeiDay(addDays(today, window.defaultDays));
  const date = taipeiDate(requested);
  if (date < earliest || date > latest) {
    throw invalidArgument(
      `Invalid request: data.effectiveAt: must be between ${earliest} and ${latest} (Taipei time, ${window.minDays}–${window.maxDays} days from today).`,
      { earliest, latest },
    );
  }
  return requested;
}

/**
 * The earliest Taipei calendar date at least `months` calendar months after notice given at `now`:
 * notice on 31 January + 1 month → 28/29 February; at 23:30 on 15 March in Taipei → 15 April.
 */
export function noticeEarliest(now: Date, months: number): string {
  return addCalendarMonths(taipeiDate(now), months);
}

/**
 * Checks that `effectiveAt` gives at least `months` calendar months of notice from `now` (Taipei
 * calendar). Each rule passes its own setting, so they move independently: service notices
 * SERVICE_NOTICE_MIN_MONTHS (clause 2.1), provider convenience terminations
 * PROVIDER_TERMINATION_NOTICE_MIN_MONTHS (clause 3.1(a)).
 * @throws AppError INVALID_ARGUMENT with `details {earliest}` (a date) otherwise.
 */
export function assertNoticeMonths(now: Date, effectiveAt: Date, months: number, what = 'data.effectiveAt'): void {
  const earliest = noticeEarliest(now, months);
  if (taipeiDate(effectiveAt) < earliest) {
    const span = months === 1 ? 'one calendar month' : `${months} calendar months`;
    throw invalidArgument(`Invalid request: ${what}: needs at least ${span} of notice: ${earliest} (Taipei time) or later.`, { earliest });
  }
}
