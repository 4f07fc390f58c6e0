import { z } from 'zod';
import { invalidArgument } from '../http/errors';
import { addDays, oneMonthNoticeDate, startOfTaipeiDay, taipeiDate } from '../shared/taipei';

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
 * Checks that `effectiveAt` gives at least one calendar month of notice from `now` (Taipei
 * calendar: notice on 31 January allows 28/29 February). Used by provider convenience
 * terminations (clause 3.1(a)) and service notices (clause 2.1).
 * @throws AppError INVALID_ARGUMENT with `details {earliest}` (a date) otherwise.
 */
export function assertOneMonthNotice(now: Date, effectiveAt: Date, what = 'data.effectiveAt'): void {
  const earliest = oneMonthNoticeDate(now);
  if (taipeiDate(effectiveAt) < earliest) {
    throw invalidArgument(
      `Invalid request: ${what}: needs at least one calendar month of notice: ${earliest} (Taipei time) or later.`,
      { earliest },
    );
  }
}
