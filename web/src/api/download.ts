import type { User } from 'firebase/auth';
import { functionUrl } from '../firebase';
import { ApiError } from './client';

/** How far a download has come: bytes and NDJSON lines (documents or records) received. */
export interface Progress {
  readonly bytes: number;
  readonly lines: number;
}

/** A finished download: the file the function named, as a Blob. */
export interface Downloaded {
  readonly filename: string;
  readonly blob: Blob;
  readonly lines: number;
}

function filenameOf(disposition: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}

/**
 * Streams a GET function (`exportContent`, `exportRecords`: NDJSON, DESIGN §5) with the user's ID
 * token, reporting progress as it arrives. A refusal (402 amounts due, 403, 410 …) is an ApiError
 * with the function's reason; a stream that breaks off is `STREAM_INCOMPLETE`, never a short file.
 */
export async function download(user: User, name: 'exportContent' | 'exportRecords', query: Record<string, string>, onProgress: (p: Progress) => void): Promise<Downloaded> {
  const url = new URL(functionUrl(name));
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const response = await fetch(url, { headers: { Authorization: `Bearer ${await user.getIdToken()}` } });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string; details?: Record<string, unknown> } } | null;
    const details = body?.error?.details ?? {};
    throw new ApiError(typeof details.reason === 'string' ? details.reason : `HTTP_${response.status}`, body?.error?.message ?? response.statusText, details);
  }
  const parts: Uint8Array[] = [];
  let bytes = 0;
  let lines = 0;
  let last = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      bytes += value.byteLength;
      for (const byte of value) if (byte === 10) lines += 1;
      last = value[value.byteLength - 1] ?? last;
      onProgress({ bytes, lines });
    }
  } catch (error) {
    throw new ApiError('STREAM_INCOMPLETE', error instanceof Error ? error.message : String(error), {});
  }
  // Every line ends with a newline; anything else means the stream was cut short.
  if (bytes > 0 && last !== 10) throw new ApiError('STREAM_INCOMPLETE', 'The download ended in the middle of a line.', {});
  const filename = filenameOf(response.headers.get('content-disposition'), `${name}.ndjson`);
  return { filename, blob: new Blob(parts as BlobPart[], { type: 'application/x-ndjson' }), lines };
}

/** Offers a Blob to the user as a file to save. */
export function saveFile(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
