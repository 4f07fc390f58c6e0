import type { Query } from 'firebase-admin/firestore';
import type { z } from 'zod';
import type { Deps } from '../deps';
import { documentIdPath, Timestamp } from '../shared/firestore-values';
import { DAY_MS } from '../shared/input';
import { iso } from '../shared/time';
import { decodeTimePageToken, encodeTimePageToken, timePageInput } from '../shared/time-page';
import type { SignedInCallableSpec } from '../spec';
import { INBOX } from './inbox';
import type { MailDoc } from './model';
import { scrubSecrets } from './policy';

/** One outbox message that gave up, as staff need it to tell the customer or send it again. */
export interface FailedMailView {
  id: string;
  /** What caused it (the template), e.g. `incident.ack`, `termination.notice`. */
  kind: string;
  subject: string;
  to: string[];
  /** The account it was for, when it was a notice to an account's owner; else null. */
  uid: string | null;
  /** Where it came from, e.g. `incidents/INC-2026-000123`. */
  related: string | null;
  attempts: number;
  /** The last SMTP error, with the SMTP URL and its credentials removed. */
  lastError: string | null;
  failedAt: string;
}

const input = timePageInput;
const MAIL_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ACCOUNT_RELATED = /^accounts\/([^/]+)$/;
// Firestore's limit on the values of one `in` filter.
const IN_LIMIT = 30;

/** The owners of the messages `ids` that carried an inbox notice (mail-owner.ts links them), by message id. */
async function ownersOf(deps: Deps, ids: readonly string[]): Promise<Map<string, string>> {
  const parts = Array.from({ length: Math.ceil(ids.length / IN_LIMIT) }, (_, i) => ids.slice(i * IN_LIMIT, (i + 1) * IN_LIMIT));
  const snaps = await Promise.all(parts.map((part) => deps.db.collection(INBOX).where('mailId', 'in', part).select('uid', 'mailId').get()));
  return new Map(snaps.flatMap((s) => s.docs.map((d) => [d.get('mailId') as string, d.get('uid') as string] as const)));
}

/**
 * Outbox messages that failed for good, newest failure first, a page at a time. A failure's time
 * is kept only in the message's expiry (`mailExpiresAt`: MAIL_FAILED_RETENTION_DAYS after it),
 * so the list runs on that and takes the days back off. Errors were scrubbed of the SMTP secret
 * when they were recorded (mail/send.ts); they are scrubbed again on the way out, of any SMTP URL
 * (this function does not read the secret itself), so no credential reaches a staff console.
 * Index: mail (status, expiresAt desc).
 */
export async function adminListFailedMail(deps: Deps, page: z.output<typeof input>): Promise<{ messages: FailedMailView[]; nextPageToken: string | null }> {
  let query: Query = deps.db.collection('mail').where('status', '==', 'failed').orderBy('expiresAt', 'desc').orderBy(documentIdPath(), 'desc');
  if (page.pageToken) query = query.startAfter(...decodeTimePageToken(page.pageToken, MAIL_ID));
  const snap = await query.limit(page.pageSize + 1).get();
  const docs = snap.docs.slice(0, page.pageSize);
  const owners = await ownersOf(deps, docs.map((d) => d.id));
  const retentionMs = deps.config.MAIL_FAILED_RETENTION_DAYS * DAY_MS;
  const messages = docs.map((d): FailedMailView => {
    const doc = d.data() as Partial<MailDoc>;
    const expiresAt = doc.expiresAt as Timestamp;
    const related = typeof doc.related === 'string' ? doc.related : null;
    return {
      id: d.id,
      kind: typeof doc.kind === 'string' ? doc.kind : 'unknown',
      subject: typeof doc.subject === 'string' ? doc.subject : '',
      to: Array.isArray(doc.to) ? doc.to.filter((a): a is string => typeof a === 'string') : [],
      uid: owners.get(d.id) ?? ACCOUNT_RELATED.exec(related ?? '')?.[1] ?? null,
      related,
      attempts: typeof doc.attempts === 'number' ? doc.attempts : 0,
      lastError: typeof doc.lastError === 'string' ? scrubSecrets(doc.lastError, deps.config.SMTP_URL) : null,
      failedAt: iso(Timestamp.fromMillis(expiresAt.toMillis() - retentionMs)),
    };
  });
  const last = docs.at(-1);
  const more = snap.docs.length > page.pageSize && last !== undefined;
  return { messages, nextPageToken: more ? encodeTimePageToken(last.get('expiresAt') as Timestamp, last.id) : null };
}

/** `adminListFailedMail({pageSize?, pageToken?})` → `{messages[], nextPageToken}`. Support or admin. */
export const adminListFailedMailSpec: SignedInCallableSpec<z.output<typeof input>, Awaited<ReturnType<typeof adminListFailedMail>>, z.input<typeof input>> = {
  auth: 'required',
  roles: ['support', 'admin'],
  input,
  handler: (deps, page) => adminListFailedMail(deps, page),
};
