/** A message as MailDev's REST API (`GET /api/email`) returns it, unsanitised. */
export interface CapturedMail {
  id: string;
  subject: string;
  from: Array<{ address: string; name: string }>;
  to: Array<{ address: string; name: string }>;
  cc?: Array<{ address: string; name: string }>;
  bcc?: Array<{ address: string; name: string }>;
  html: string;
  text: string;
  /** The SMTP envelope: who the message was really delivered to (RCPT TO), whatever the headers say. */
  envelope: { from: { address: string }; to: Array<{ address: string }> };
  /** mailparser's parsed headers, by lower-case name. */
  headers: Record<string, unknown>;
}

function maildevUrl(): string {
  const url = process.env.MAILDEV_URL;
  if (!url) throw new Error('MAILDEV_URL is not set: the jest global setup starts MailDev');
  return url;
}

/** Every message MailDev holds, in arrival order. */
export async function allMail(): Promise<CapturedMail[]> {
  const response = await fetch(`${maildevUrl()}/api/email`);
  if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
  return (await response.json()) as CapturedMail[];
}

/** The raw RFC 5322 source of one message, headers included, as it crossed SMTP. */
export async function mailSource(id: string): Promise<string> {
  const response = await fetch(`${maildevUrl()}/api/email/${encodeURIComponent(id)}/source`);
  if (!response.ok) throw new Error(`MailDev answered ${response.status} for the source of ${id}`);
  return response.text();
}

/**
 * Polls MailDev until at least `count` messages match `predicate` (default: one), or fails after
 * `timeoutMs` saying how many arrived.
 */
export async function waitForMail(
  predicate: (mail: CapturedMail) => boolean,
  { count = 1, timeoutMs = 30_000 }: { count?: number; timeoutMs?: number } = {},
): Promise<CapturedMail[]> {
  const deadline = Date.now() + timeoutMs;
  let found: CapturedMail[] = [];
  for (;;) {
    found = (await allMail()).filter(predicate);
    if (found.length >= count || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (found.length < count) throw new Error(`expected ${count} matching message(s) in MailDev within ${timeoutMs} ms, found ${found.length}`);
  return found;
}

/** True when the message was addressed to `address` (case-insensitive). */
export function sentTo(mail: CapturedMail, address: string): boolean {
  return mail.to.some((t) => t.address.toLowerCase() === address.toLowerCase());
}

/** The header block of a message's raw source, folded lines joined, as `[name, value]` pairs. */
export async function rawHeaders(id: string): Promise<Array<[string, string]>> {
  const source = await mailSource(id);
  const block = source.slice(0, source.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
  return block.split(/\r?\n/).map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  });
}

/**
 * The addresses of a message's Reply-To header, lower-cased (empty when it has none). Read from
 * the raw source: MailDev's parsed `headers` leave the address headers out.
 */
export async function replyToOf(mail: CapturedMail): Promise<string[]> {
  const values = (await rawHeaders(mail.id)).filter(([name]) => name === 'reply-to').map(([, value]) => value);
  return values.flatMap((v) => [...v.matchAll(/[^\s<>,"]+@[^\s<>,"]+/g)].map((m) => m[0].toLowerCase()));
}
