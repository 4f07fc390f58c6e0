import { FieldValue, GeoPoint, Timestamp } from 'firebase-admin/firestore';
import { encodeValue, isoInstant } from '../../src/content/encode';
import { getDeps } from '../../src/deps';

describe('isoInstant', () => {
  it.each([
    [0, 0, '1970-01-01T00:00:00.000Z'],
    [1_772_690_587, 123_000_000, '2026-03-05T06:03:07.123Z'],
    [1_772_690_587, 123_456_000, '2026-03-05T06:03:07.123456Z'],
    [1_772_690_587, 123_456_789, '2026-03-05T06:03:07.123456789Z'],
    [1_772_690_587, 1_000, '2026-03-05T06:03:07.000001Z'],
    [-1, 999_999_999, '1969-12-31T23:59:59.999999999Z'],
  ])('when seconds=%i and nanoseconds=%i, then %s', (seconds, nanoseconds, expected) => {
    expect(isoInstant(seconds, nanoseconds)).toBe(expected);
  });
});

describe('encodeValue', () => {
  const ref = () => getDeps().db.doc('accounts/u1/stores/s1');

  it.each([
    ['a string', 'é\n"x"', 'é\n"x"'],
    ['a boolean', false, false],
    ['an integer', -42, -42],
    ['a double', 0.1, 0.1],
    ['null', null, null],
    ['NaN', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['-Infinity', Number.NEGATIVE_INFINITY, '-Infinity'],
    ['a Timestamp', Timestamp.fromMillis(1_000), '1970-01-01T00:00:01.000Z'],
    ['a GeoPoint', new GeoPoint(-33.5, 151.25), { latitude: -33.5, longitude: 151.25 }],
    ['bytes', Buffer.from('hello'), 'aGVsbG8='],
    ['bytes that are a view into a larger buffer', Buffer.from('xxhelloxx').subarray(2, 7), 'aGVsbG8='],
    ['an empty map', {}, {}],
    ['an empty array', [], []],
    ['a vector', FieldValue.vector([1, 2.5]), [1, 2.5]],
  ])('when the value is %s, then it is encoded as documented', (_case, value, expected) => {
    expect(encodeValue(value)).toEqual(expected);
  });

  it('when the value is a DocumentReference, then it becomes its path', () => {
    expect(encodeValue(ref())).toBe('accounts/u1/stores/s1');
  });

  it('when maps and arrays nest, then every level is encoded', () => {
    const value = { a: [{ at: Timestamp.fromMillis(0), where: [new GeoPoint(1, 2)] }, [Buffer.from([255])]], b: { c: { d: ref() } } };
    expect(encodeValue(value)).toEqual({
      a: [{ at: '1970-01-01T00:00:00.000Z', where: [{ latitude: 1, longitude: 2 }] }, ['/w==']],
      b: { c: { d: 'accounts/u1/stores/s1' } },
    });
  });

  it('when a map has a field named like a Firestore type, then it stays a map', () => {
    expect(encodeValue({ latitude: 1, longitude: 2 })).toEqual({ latitude: 1, longitude: 2 });
    expect(encodeValue({ path: 'a/b', seconds: 1, nanoseconds: 2 })).toEqual({ path: 'a/b', seconds: 1, nanoseconds: 2 });
  });
});
