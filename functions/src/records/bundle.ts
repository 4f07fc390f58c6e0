import type { DocumentReference, Firestore } from 'firebase-admin/firestore';
import { iso } from '../shared/time';
import { collectRecords, recordLine } from './collect';
import { chunkId, RECORD_BUNDLES, RECORD_KINDS, type BundleRef, type RecordChunkDoc, type RecordCounts, type RecordRequestDoc } from './model';

/**
 * Bytes of NDJSON per chunk document: well below Firestore's 1 MiB document limit, so the longest
 * line (an incident with a 20,000-character description is under 100 KB) always fits with room.
 */
export const CHUNK_BYTES = 512 * 1024;

/** Collects lines into chunk documents of at most CHUNK_BYTES, writing each as soon as it is full. */
class ChunkWriter {
  private lines: string[] = [];
  private bytes = 0;
  chunks = 0;
  total = 0;

  constructor(
    private readonly bundle: DocumentReference,
    private readonly reference: string,
  ) {}

  async add(line: string): Promise<void> {
    const size = Buffer.byteLength(line, 'utf8');
    if (this.bytes > 0 && this.bytes + size > CHUNK_BYTES) await this.flush();
    this.lines.push(line);
    this.bytes += size;
    this.total += 1;
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const doc: RecordChunkDoc = { reference: this.reference, index: this.chunks, text: this.lines.join('') };
    await this.bundle.collection('chunks').doc(chunkId(this.chunks)).create(doc);
    this.chunks += 1;
    this.lines = [];
    this.bytes = 0;
  }
}

/** A new, empty bundle's place: its id is its own, so two builds for one request never share chunks. */
export function newBundleRef(db: Firestore): DocumentReference {
  return db.collection(RECORD_BUNDLES).doc();
}

/**
 * Writes the records `request` asks for as chunks under `bundle`: a first line describing the
 * request, the records, and a last `end` line with the counts (a download that lacks it is
 * incomplete). The bundle document itself is created by the fulfilment that adopts the chunks.
 */
export async function writeBundle(db: Firestore, bundle: DocumentReference, request: RecordRequestDoc, builtAt: Date): Promise<BundleRef> {
  const out = new ChunkWriter(bundle, request.reference);
  const counts = Object.fromEntries(RECORD_KINDS.map((k) => [k, 0])) as RecordCounts;
  const { reference, scope, from, to } = request;
  await out.add(recordLine('request', `recordRequests/${reference}`, { reference, scope, from, to, requestedAt: iso(request.createdAt), builtAt: builtAt.toISOString() }));
  await collectRecords(db, request, async (kind, line) => {
    counts[kind] += 1;
    await out.add(line);
  });
  await out.add(recordLine('end', `recordRequests/${reference}`, { reference, counts }));
  await out.flush();
  return { id: bundle.id, chunks: out.chunks, lines: out.total, counts };
}

/** Removes a bundle that no request adopted (a build that lost a race or failed), best effort. */
export async function discardBundle(db: Firestore, bundle: DocumentReference): Promise<void> {
  await db.recursiveDelete(bundle).catch(() => undefined);
}
