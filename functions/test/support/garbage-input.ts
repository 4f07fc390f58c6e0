/* eslint-disable jest/no-export --
   shared test definitions: each file that calls describeGarbageInput gets the tests; jest runs only *.test.ts. */
import fc from 'fast-check';
import { callableOutcome, rawCall } from './client';

/**
 * The garbage-input property, shared by every folder whose callable functions it covers: whatever
 * a caller sends, the answer is a well-formed callable response (a result or a 4xx refusal), never
 * a 500, and a refusal writes nothing.
 */

/** Each property is `runs` calls with two fingerprints each: a loaded machine needs its time. */
const PROPERTY_TIMEOUT_MS = 120_000;

/** Which functions get garbage, as whom, and how a file sees that a call wrote nothing. */
export interface GarbageTarget<V> {
  /** The functions to call; each gets both properties. */
  readonly names: readonly string[];
  /** The local functions server's base URL (read when a property runs, after `beforeAll`). */
  baseUrl(): string;
  /** Values to send as `data`; built when the property runs, so it may use ids seeded in `beforeAll`. */
  data(): fc.Arbitrary<unknown>;
  /** Ways of calling (e.g. signed in or anonymous), passed to `token` and shown with a failing input. */
  readonly variants?: fc.Arbitrary<V>;
  /** The ID token a well-formed call to `name` carries in `variant`, if any. */
  token(name: string, variant: V): string | undefined;
  /** Headers every call carries (e.g. the file's own client IP). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Everything a call could write, as one string: equal before and after a call exactly when it wrote nothing. */
  fingerprint(): Promise<string>;
  /** Inputs tried per property and function. */
  readonly runs: number;
}

// Header values must be valid ByteStrings: fetch refuses others before sending.
const SENDABLE_HEADER = /^[\x20-\x7e]*$/;

/**
 * Two properties per function of `target`: arbitrary JSON as `data` (never a 500, a refusal writes
 * nothing), and an arbitrary raw body and Authorization header (always a 4xx, nothing written).
 */
export function describeGarbageInput<V = undefined>(target: GarbageTarget<V>): void {
  const variants = target.variants ?? fc.constant(undefined as V);
  describe.each(target.names)('%s with arbitrary input', (name) => {
    it('when the data is arbitrary JSON, then never a 500, and a refusal writes nothing', async () => {
      await fc.assert(
        fc.asyncProperty(target.data(), variants, async (data, variant) => {
          const before = await target.fingerprint();
          const token = target.token(name, variant);
          const headers = { ...target.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) };
          const response = await rawCall(`${target.baseUrl()}/${name}`, { body: JSON.stringify({ data }), headers });
          const { succeeded, refused } = callableOutcome(response);
          const wroteNothing = (await target.fingerprint()) === before;
          // Shown whole on failure: which input, as whom, what came back, whether a refusal wrote anything.
          expect({ data, variant, status: response.status, wellFormed: succeeded || refused, refusalWrote: refused && !wroteNothing }).toEqual({
            data,
            variant,
            status: response.status,
            wellFormed: true,
            refusalWrote: false,
          });
        }),
        { numRuns: target.runs },
      );
    }, PROPERTY_TIMEOUT_MS);

    it('when the raw body or Authorization header is arbitrary, then a 4xx, never a 500, and nothing is written', async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 200 }), fc.string({ maxLength: 100 }), async (body, auth) => {
          const before = await target.fingerprint();
          const headers = { ...target.headers, ...(SENDABLE_HEADER.test(auth) ? { Authorization: auth } : {}) };
          const response = await rawCall(`${target.baseUrl()}/${name}`, { body, headers });
          expect({ body, auth, status: response.status, clientError: response.status >= 400 && response.status < 500 }).toEqual({
            body,
            auth,
            status: response.status,
            clientError: true,
          });
          expect(await target.fingerprint()).toBe(before);
        }),
        { numRuns: target.runs },
      );
    }, PROPERTY_TIMEOUT_MS);
  });
}

/** JSON values, and records of the real field names with values from `fields` (any of them missing). */
export function nearMiss(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  return fc.oneof(fc.jsonValue(), fc.record(fields, { requiredKeys: [] }));
}

/** Instants across the whole range Firestore stores, as ISO date-times. */
export const storableInstant = fc
  .date({ noInvalidDate: true, min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z') })
  .map((d) => d.toISOString());

/** Text that mail headers, HTML and storage must survive: header injection, markup, lone surrogates, NUL. */
export const hostileText = fc.constantFrom('a\r\nBcc: x@example.test', '<script>x</script>', '<b>x</b>', '\ud800', '\u0000', 'x\ny', '   ');

/** Ids that are no document, or a path out of one. */
export const hostileId = fc.constantFrom('', '.', '..', 'a/b', '../accounts/x', '__x__', 'no-such-id', '\ud800');
