/** A JSON value, as one line of the export carries it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A Firestore timestamp as ISO-8601 UTC. Firestore keeps microseconds (and the SDK nanoseconds),
 * which `Date` cannot hold: the fraction gets 3, 6 or 9 digits, as many as it needs, so an
 * export loses nothing and a millisecond-precise time reads as usual (`…T08:00:00.000Z`).
 */
export function isoInstant(seconds: number, nanoseconds: number): string {
  // Date gives the milliseconds; only a time finer than that (rare) needs more digits built.
  const millis = Math.floor(nanoseconds / 1_000_000);
  const iso = new Date(seconds * 1000 + millis).toISOString();
  const finer = nanoseconds - millis * 1_000_000;
  if (finer === 0) return iso;
  const digits = finer % 1000 === 0 ? String(finer / 1000).padStart(3, '0') : String(finer).padStart(6, '0');
  return `${iso.slice(0, -1)}${digits}Z`;
}

interface TimestampLike {
  readonly seconds: number;
  readonly nanoseconds: number;
  toMillis(): number;
}

// The SDK's value classes are recognised by shape, not `instanceof`: firebase-admin may load its own
// copy of @google-cloud/firestore, and loading it here only to compare classes would cost every
// cold start (see shared/firestore-values.ts).
const isTimestamp = (v: object): v is TimestampLike =>
  typeof (v as TimestampLike).toMillis === 'function' && typeof (v as TimestampLike).seconds === 'number' && typeof (v as TimestampLike).nanoseconds === 'number';
const isGeoPoint = (v: object): v is { latitude: number; longitude: number } =>
  typeof (v as { latitude?: unknown }).latitude === 'number' && typeof (v as { longitude?: unknown }).longitude === 'number' && typeof (v as { isEqual?: unknown }).isEqual === 'function';
const isReference = (v: object): v is { path: string } =>
  typeof (v as { path?: unknown }).path === 'string' && typeof (v as { collection?: unknown }).collection === 'function' && 'firestore' in v;
const isVector = (v: object): v is { toArray(): number[] } =>
  typeof (v as { toArray?: unknown }).toArray === 'function' && v.constructor?.name === 'VectorValue';

/**
 * A Firestore value as JSON (DESIGN §5, `exportContent`): Timestamp → ISO string, GeoPoint →
 * `{latitude, longitude}`, DocumentReference → its path, Bytes → base64, vectors → their numbers,
 * maps and arrays recursively. NaN and ±Infinity, which JSON lacks, become the strings "NaN",
 * "Infinity", "-Infinity" as in the proto3 JSON mapping Firestore's own REST API uses.
 */
export function encodeValue(value: unknown): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'object':
      break;
    default:
      // Firestore has no other types; undefined only appears when a converter invents it.
      return null;
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (isTimestamp(value)) return isoInstant(value.seconds, value.nanoseconds);
  if (isGeoPoint(value)) return { latitude: value.latitude, longitude: value.longitude };
  if (isReference(value)) return value.path;
  if (isVector(value)) return value.toArray().map(encodeValue);
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value)) out[key] = encodeValue((value as Record<string, unknown>)[key]);
  return out;
}
