import * as http from 'node:http';
import type { DocumentData } from 'firebase-admin/firestore';
import { getDeps } from '../../src/deps';

/** An HTTP answer as it came off the wire: nothing decoded, and whether it ended properly. */
export interface RawGet {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** False when the connection closed before the end of the message (a cut-short stream). */
  complete: boolean;
}

/**
 * A GET with node:http rather than fetch, so nothing is decompressed behind our back and a
 * response cut short shows as `complete: false` instead of an exception.
 */
export function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawGet> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => undefined); // 'aborted' on a cut stream: reported through `complete`
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: res.complete }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The lines of an NDJSON body, parsed. */
export function lines(body: Buffer | string): unknown[] {
  return body
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** Writes documents below `accounts/{uid}` (paths relative to it), in batches of 500. */
export async function seed(uid: string, docs: ReadonlyArray<readonly [string, DocumentData]>): Promise<void> {
  const db = getDeps().db;
  for (let i = 0; i < docs.length; i += 500) {
    const batch = db.batch();
    for (const [path, data] of docs.slice(i, i + 500)) batch.set(db.doc(`accounts/${uid}/${path}`), data);
    await batch.commit();
  }
}

/** Firestore's order of document paths: segment by segment, each compared by its UTF-8 bytes. */
export function keyOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const c = Buffer.compare(Buffer.from(x[i] ?? '', 'utf8'), Buffer.from(y[i] ?? '', 'utf8'));
    if (c !== 0) return c;
  }
  return x.length - y.length;
}

/** The export URL of a running local server. */
export const exportUrl = (baseUrl: string): string => `${baseUrl}/exportContent`;
