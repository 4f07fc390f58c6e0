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
 * A page (one query) ends after this long: RunQuery's deadline is 300 s, and a slow client holds
 * a query open for as long as reading pauses for its back-pressure, so the next query resumes
 * after the last document sent well before the deadline. A client that keeps up gets each
 * collection from one query, which is all a raw stream costs (on the emulator each query also
 * scans the whole database, about 4 s per 100k documents).
 */
export const EXPORT_PAGE_MS = 120_000;

/** A page also ends after this many documents (a bound for very large collections; tests use small ones). */
export const EXPORT_PAGE_SIZE = 1_000_000;

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

  /** Returns a promise only when the line completed a chunk: most lines cost no await. */
  push(line: string): Promise<void> | undefined {
    this.lines.push(line);
    this.size += line.length;
    return this.size >= CHUNK_CHARS ? this.flush() : undefined;
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

/** How the export splits each collection into queries. */
interface Paging {
  readonly pageSize: number;
  readonly pageMs: number;
}

/**
 * Sends one first-level collection and its whole subtree, page by page, each page starting after
 * the last document of the one before; a page ends after `pageSize` documents or `pageMs`.
 * Stopping early (the writer throws, or the page's time is up) abandons the page's query, which
 * the server then ends; draining it instead would bill up to a page of reads nobody sends.
 */
async function sendSubtree(account: DocumentReference, collectionId: string, out: LineChunks, { pageSize, pageMs }: Paging): Promise<number> {
  const subtree = contentSubtree(account, collectionId);
  let after: DocumentReference | null = null;
  let sent = 0;
  for (;;) {
    const pageStarted = performance.now();
    let inPage = 0;
    let timeUp = false;
    const page = pageAfter(subtree, collectionId, after, pageSize).stream() as AsyncIterable<QueryDocumentSnapshot>;
    for await (const doc of page) {
      const flushing = out.push(contentLine(doc));
      if (flushing) await flushing;
      inPage += 1;
      after = doc.ref;
      if (performance.now() - pageStarted >= pageMs) {
        timeUp = true;
        break;
      }
    }
    sent += inPage;
    if (!timeUp && inPage < pageSize) return sent;
  }
}

/** Sends every content document of `uid` through `write`, then logs `content.exported` with what was sent. */
async function sendContent(deps: Deps, caller: Caller, write: ChunkWriter, paging: Paging): Promise<ExportSummary> {
  const started = performance.now();
  const account = accountParent(deps.db, caller.uid);
  const out = new LineChunks(write);
  const summary: ExportSummary = { documents: 0, collections: {}, complete: false };
  try {
    for (const collectionId of await contentCollections(account)) {
      const sent = await sendSubtree(account, collectionId, out, paging);
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
export async function exportContent(deps: Deps, caller: Caller, options: Partial<Paging> = {}): Promise<NdjsonStream> {
  await assertRetrievalAllowed(deps, caller);
  const paging = { pageSize: options.pageSize ?? EXPORT_PAGE_SIZE, pageMs: options.pageMs ?? EXPORT_PAGE_MS };
  return {
    filename: `orderpally-content-${taipeiDate(deps.clock.now())}.ndjson`,
    pipeTo: async (write) => {
      await sendContent(deps, caller, write, paging);
    },
  };
}

/** `GET exportContent` with an ID token or the owner's API key. */
export const exportContentSpec: StreamSpec = {
  apiKey: true,
  open: (deps, { caller }) => exportContent(deps, caller),
};
