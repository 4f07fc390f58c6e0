import type { DocumentReference, QueryDocumentSnapshot } from 'firebase-admin/firestore';
import { actorOf, recordActivity } from '../accounts/activity-log';
import { accountParent } from '../accounts/repository';
import type { Deps } from '../deps';
import type { ChunkWriter, NdjsonStream, StreamSpec } from '../spec';
import { taipeiDate } from '../shared/taipei';
import { contentCollections, contentSubtree, pageAfter } from './descendants';
import { encodeValue, isoInstant } from './encode';
import { assertRetrievalAllowed } from './retrieval';
import type { Caller } from '../shared/caller';

/**
 * Documents per query. Memory does not depend on it: each page is streamed, and reading pauses
 * while the client is slow (back-pressure), so the export holds about one chunk of lines plus the
 * stream buffers. A page bounds how long one query stays open (RunQuery's deadline is 300 s) and
 * is where the next query resumes, after the last document sent. Each page costs a query round
 * trip, and on the emulator a scan of the whole database (about 4 s per 100k documents), hence
 * pages of tens of thousands rather than hundreds.
 */
export const EXPORT_PAGE_SIZE = 50_000;

/** Lines go to the response in chunks of about this many characters, not one write per document. */
const CHUNK_CHARS = 64 * 1024;

/** What an export sent, as recorded in the activity log. */
export interface ExportSummary {
  documents: number;
  /** Documents per first-level content collection (each with its whole subtree). */
  collections: Record<string, number>;
  /** False when the export stopped early (a failure, or the client went away). */
  complete: boolean;
}

/** Collects lines and hands them on in chunks, awaiting the writer's back-pressure. */
class LineChunks {
  private lines: string[] = [];
  private size = 0;

  constructor(private readonly write: ChunkWriter) {}

  async push(line: string): Promise<void> {
    this.lines.push(line);
    this.size += line.length;
    if (this.size >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const chunk = this.lines.join('');
    this.lines = [];
    this.size = 0;
    await this.write(chunk);
  }
}

/** One NDJSON line: `{"path", "data", "updateTime"}` (DESIGN §5). */
export function contentLine(doc: QueryDocumentSnapshot): string {
  const { seconds, nanoseconds } = doc.updateTime;
  return `${JSON.stringify({ path: doc.ref.path, data: encodeValue(doc.data()), updateTime: isoInstant(seconds, nanoseconds) })}\n`;
}

/**
 * Sends one first-level collection and its whole subtree, page by page, each page starting after
 * the last document of the one before. Stopping early (the writer throws) abandons the page's
 * query, which the server then ends at its deadline; draining it instead would bill up to a page
 * of reads for a client that has gone.
 */
async function sendSubtree(account: DocumentReference, collectionId: string, out: LineChunks, pageSize: number): Promise<number> {
  const subtree = contentSubtree(account, collectionId);
  let after: DocumentReference | null = null;
  let sent = 0;
  for (;;) {
    let inPage = 0;
    const page = pageAfter(subtree, collectionId, after, pageSize).stream() as AsyncIterable<QueryDocumentSnapshot>;
    for await (const doc of page) {
      await out.push(contentLine(doc));
      inPage += 1;
      after = doc.ref;
    }
    sent += inPage;
    if (inPage < pageSize) return sent;
  }
}

/** Sends every content document of `uid` through `write`, then logs `content.exported` with what was sent. */
async function sendContent(deps: Deps, caller: Caller, write: ChunkWriter, pageSize: number): Promise<ExportSummary> {
  const started = performance.now();
  const account = accountParent(deps.db, caller.uid);
  const out = new LineChunks(write);
  const summary: ExportSummary = { documents: 0, collections: {}, complete: false };
  try {
    for (const collectionId of await contentCollections(account)) {
      const sent = await sendSubtree(account, collectionId, out, pageSize);
      summary.collections[collectionId] = sent;
      summary.documents += sent;
    }
    await out.flush();
    summary.complete = true;
    return summary;
  } finally {
    const ms = Math.round(performance.now() - started);
    deps.log.log(summary.complete ? 'INFO' : 'WARNING', 'content.exported', { uid: caller.uid, via: caller.via, ms, ...summary });
    // Logged whether or not it completed: a partial export still retrieved content (clause 1.1(a)).
    await deps.db
      .runTransaction(async (tx) => {
        recordActivity(tx, deps.db, caller.uid, deps.clock.now(), {
          actor: actorOf(caller),
          action: 'content.exported',
          details: { ...summary, via: caller.via },
        });
      })
      .catch((error: unknown) => deps.log.log('ERROR', 'content.export_activity_failed', { uid: caller.uid, error }));
  }
}

/**
 * `exportContent` (DESIGN §5, clause 3.2(b)): the caller's customer content, every document under
 * `accounts/{uid}` outside the reserved records, at any depth, as NDJSON in key order. Decided
 * before the first byte with the retrieval rule: refused while suspended or terminated, and while
 * terminating with amounts due (402).
 */
export async function exportContent(deps: Deps, caller: Caller, options: { pageSize?: number } = {}): Promise<NdjsonStream> {
  await assertRetrievalAllowed(deps, caller);
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  return {
    filename: `orderpally-content-${taipeiDate(deps.clock.now())}.ndjson`,
    pipeTo: async (write) => {
      await sendContent(deps, caller, write, pageSize);
    },
  };
}

/** `GET exportContent` with an ID token or the owner's API key. */
export const exportContentSpec: StreamSpec = {
  apiKey: true,
  open: (deps, { caller }) => exportContent(deps, caller),
};
