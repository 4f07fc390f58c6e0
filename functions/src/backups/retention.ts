import { DAY_MS } from '../shared/input';

/**
 * When the last backup that may hold content as of `at` is gone: exports are kept
 * `retentionDays` (clause 5.4) and the bucket's lifecycle rule deletes them one day later, which
 * Cloud Storage may carry out up to a day after that.
 */
export function backupsGoneBy(at: Date, retentionDays: number): Date {
  return new Date(at.getTime() + (retentionDays + 2) * DAY_MS);
}
