import type { Request, Response } from '@google-cloud/functions-framework';
import { invalidArgument } from '../shared/errors';

/** The protobuf wrapper the Android and Apple SDKs send a 64-bit integer (Java `long`, Swift `Int64`) in. */
export const INT64_TYPE = 'type.googleapis.com/google.protobuf.Int64Value';
/** The unsigned counterpart of {@link INT64_TYPE}. */
export const UINT64_TYPE = 'type.googleapis.com/google.protobuf.UInt64Value';

const INTEGER_TEXT: Readonly<Record<string, RegExp>> = { [INT64_TYPE]: /^-?\d+$/, [UINT64_TYPE]: /^\d+$/ };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeWrapper(wrapper: Record<string, unknown>, path: string): number {
  const type = wrapper['@type'];
  const digits = typeof type === 'string' ? INTEGER_TEXT[type] : undefined;
  if (!digits) {
    throw invalidArgument(`Invalid request: ${path}: unsupported @type ${JSON.stringify(type)}.`, {
      issues: [{ path, message: `Only ${INT64_TYPE} and ${UINT64_TYPE} are understood.` }],
    });
  }
  const text = typeof wrapper.value === 'number' ? String(wrapper.value) : wrapper.value;
  const value = typeof text === 'string' && digits.test(text) ? Number(text) : Number.NaN;
  // The official server hands on parseFloat's rounding; a number the handler would see changed is refused instead.
  if (!Number.isSafeInteger(value)) {
    throw invalidArgument(`Invalid request: ${path}: ${JSON.stringify(wrapper.value)} is not a 64-bit integer JavaScript holds exactly.`, {
      issues: [{ path, message: 'Expected a whole number between -(2^53 - 1) and 2^53 - 1.' }],
    });
  }
  return value;
}

/**
 * The request's `data` as the handler should see it: every `{"@type": Int64Value | UInt64Value,
 * "value": "123"}` wrapper, at any depth, becomes the number it holds, as the official `onCall`
 * decodes it. Any other object with an `@type`, or a wrapper whose value is not an integer
 * JavaScript holds exactly, is INVALID_ARGUMENT: nothing runs on input we cannot read faithfully.
 */
export function decodeData(data: unknown, path = 'data'): unknown {
  if (Array.isArray(data)) return data.map((item, index) => decodeData(item, `${path}.${index}`));
  if (!isRecord(data)) return data;
  if ('@type' in data) return decodeWrapper(data, path);
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, decodeData(value, `${path}.${key}`)]));
}

/**
 * A handler's result in its wire form: what `JSON.stringify` writes (a Date as its ISO string,
 * anything with `toJSON` as that), except that `undefined`, at any depth, becomes `null` as the
 * official `onCall` encodes it — a field the client reads is there, never silently missing.
 */
export function encodeResult(result: unknown): unknown {
  if (result === undefined || result === null) return null;
  if (typeof result !== 'object') return result;
  const json = (result as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return encodeResult((json as () => unknown).call(result));
  if (Array.isArray(result)) return result.map(encodeResult);
  return Object.fromEntries(Object.entries(result).map(([key, value]) => [key, encodeResult(value)]));
}

/**
 * Whether the caller reads the answer as server-sent events: `httpsCallable(…).stream()` sends
 * `Accept: text/event-stream` and reads only `data:` lines, so a plain JSON answer never settles it.
 */
export function acceptsEventStream(req: Request): boolean {
  return (req.get('accept') ?? '').split(',').some((range) => {
    const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    return type === 'text/event-stream' && !params.some((param) => /^q=0(\.0*)?$/.test(param));
  });
}

/**
 * Sends `body` (`{"result": …}` or `{"error": …}`) as the one event of a callable stream. Like
 * the official server, the HTTP code is 200 whatever the outcome: the SDK reads the status from
 * the event, as it does for an error raised part-way through a stream.
 */
export function sendEvent(res: Response, body: unknown): void {
  res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' }).send(`data: ${JSON.stringify(body)}\n\n`);
}
