import fc from 'fast-check';
import { multiLineText } from '../../src/shared/input';
import { taipeiDate, taipeiFields } from '../../src/shared/taipei';

// The zone database's answer, which taipeiFields must keep giving without loading ICU at cold start.
const ZONE = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Taipei', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

function zoneFields(at: Date): Record<string, number> {
  const parts = ZONE.formatToParts(at);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

describe('Taipei calendar fields', () => {
  it('when any instant from 1980 to 2200 is split, then the fields are what the Asia/Taipei zone says', () => {
    const instants = fc.date({ min: new Date('1980-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true });
    fc.assert(fc.property(instants, (at) => {
      expect(taipeiFields(at)).toEqual(zoneFields(at));
    }), { numRuns: 2_000 });
  });

  it('when an instant lies at a Taipei day, month or year boundary, then the fields turn with Taipei, not UTC', () => {
    expect(taipeiDate(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(taipeiDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(taipeiFields(new Date('2028-02-28T16:00:00Z'))).toEqual({ year: 2028, month: 2, day: 29, hour: 0, minute: 0, second: 0 });
  });

  it('when the date is invalid, then it is refused as Intl refuses it', () => {
    expect(() => taipeiFields(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('text limits', () => {
  it('when a text is longer than its limit, then the message gives the limit with a thousands separator', () => {
    const parsed = multiLineText(2_000).safeParse('x'.repeat(2_001));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(['must be at most 2,000 characters']);
  });
});
