import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Timestamp } from 'firebase-admin/firestore';
import { loadConfig } from '../../src/config';
import { createDeps, type Deps } from '../../src/deps';
import type { MailDoc } from '../../src/mail/model';
import { enqueueMail, type OutgoingMail } from '../../src/mail/outbox';
import { fixedClock } from '../../src/shared/clock';
import type { Logger, Severity } from '../../src/shared/log';

/** A message as MailDev's REST API lists it. */
export interface InboxMail {
  id: string;
  subject: string;
  messageId?: string;
  to: Array<{ address: string }>;
  headers: Record<string, string | undefined>;
}

/** The RFC 5322 Message-ID a MailDev message arrived with. */
export function messageIdOf(mail: InboxMail): string | undefined {
  const raw = mail.messageId ?? mail.headers['message-id'];
  if (!raw) return undefined;
  return raw.startsWith('<') ? raw : `<${raw}>`;
}

/** Every message in a MailDev inbox (the shared one by default). */
export async function inbox(webUrl = process.env.MAILDEV_URL): Promise<InboxMail[]> {
  const response = await fetch(`${webUrl}/api/email`);
  if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
  return (await response.json()) as InboxMail[];
}

/** Removes our own messages from a MailDev inbox, leaving other test files' mail alone. */
export async function deleteFromInbox(match: (m: InboxMail) => boolean, webUrl = process.env.MAILDEV_URL): Promise<void> {
  const mine = (await inbox(webUrl)).filter(match);
  await Promise.all(mine.map((m) => fetch(`${webUrl}/api/email/${m.id}`, { method: 'DELETE' })));
}

/** Polls the inbox until `match` finds `count` messages (or throws after `timeoutMs`). */
export async function waitForInbox(match: (m: InboxMail) => boolean, count = 1, { timeoutMs = 10_000, webUrl = process.env.MAILDEV_URL } = {}): Promise<InboxMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await inbox(webUrl)).filter(match);
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A free TCP port on 127.0.0.1 that nothing listens on (when this returns). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Our own MailDev (a real SMTP server), which a test can start and stop. */
export interface OwnMaildev {
  readonly smtpUrl: string;
  readonly webUrl: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A MailDev on fixed free ports, not started yet: SMTP to it is refused until `start()`.
 * (Same command as startMaildev in scripts/lib/stack.mjs, which jest cannot import as ESM.)
 */
export async function ownMaildev(): Promise<OwnMaildev> {
  const [smtpPort, webPort] = [await freePort(), await freePort()];
  const webUrl = `http://127.0.0.1:${webPort}`;
  let child: ChildProcess | undefined;
  const bin = path.resolve(__dirname, '..', '..', '..', 'node_modules', '.bin', 'maildev');
  const logDir = process.env.ORDERPALLY_TEST_LOGS ?? os.tmpdir();
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    webUrl,
    async start() {
      const fd = openSync(path.join(logDir, `maildev-${smtpPort}.log`), 'a');
      const args = ['--ip', '127.0.0.1', '--smtp', String(smtpPort), '--web-ip', '127.0.0.1', '--web', String(webPort)];
      child = spawn(bin, args, { stdio: ['ignore', fd, fd], detached: true });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`MailDev exited with ${child.exitCode}`);
        try {
          if ((await fetch(`${webUrl}/api/email`)).ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('MailDev did not start');
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      try {
        process.kill(-(c.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    },
  };
}

/** Deps with a fixed clock and, optionally, another SMTP server (a closed port for "SMTP down"). */
export function testDeps(start: Date, smtpUrl = process.env.SMTP_URL, log?: Logger): { deps: Deps; clock: ReturnType<typeof fixedClock> } {
  const clock = fixedClock(start);
  // Quiet by default: the expected mail.retry / mail.failed events would only clutter the output.
  const deps = createDeps(loadConfig({ ...process.env, SMTP_URL: smtpUrl }), { clock, log: log ?? memoryLogger() });
  return { deps, clock };
}

/** A logger that keeps every event, for assertions. */
export function memoryLogger(): Logger & { events: Array<{ severity: Severity; event: string; fields: Record<string, unknown> }> } {
  const events: Array<{ severity: Severity; event: string; fields: Record<string, unknown> }> = [];
  return { events, log: (severity, event, fields = {}) => events.push({ severity, event, fields }) };
}

let counter = 0;

/** A unique subject tag, so a test finds its own messages in the shared inbox. */
export function tag(name: string): string {
  counter += 1;
  return `[mail-test ${process.pid}-${Date.now()}-${counter}] ${name}`;
}

/** Enqueues messages in one transaction, at the deps' clock time, the way a use case does. */
export async function enqueue(deps: Deps, mails: readonly Partial<OutgoingMail>[]): Promise<string[]> {
  return deps.db.runTransaction(async (tx) => {
    const at = deps.clock.now();
    return mails.map((m, i) =>
      enqueueMail(tx, deps.db, at, {
        kind: 'test.mail',
        to: 'customer@example.test',
        subject: `test ${i}`,
        text: 'Hello.',
        html: '<p>Hello.</p>',
        ...m,
      }),
    );
  });
}

export async function mailDoc(deps: Deps, id: string): Promise<MailDoc> {
  const snap = await deps.db.collection('mail').doc(id).get();
  if (!snap.exists) throw new Error(`mail/${id} does not exist`);
  return snap.data() as MailDoc;
}

/**
 * Deletes the outbox documents created at or before `before` (our tests run their clocks in the
 * past, far from every other test file's messages), so no sweep ever finds them again.
 */
export async function deleteOldMail(deps: Deps, before: Date): Promise<void> {
  const snap = await deps.db.collection('mail').where('createdAt', '<=', Timestamp.fromDate(before)).get();
  await Promise.all(snap.docs.map((d) => d.ref.delete()));
}

/** A scripted SMTP server: real TCP and SMTP, with a chosen reply to each RCPT TO. */
export interface ScriptedSmtp {
  readonly url: string;
  /** Message-IDs of the messages it accepted. */
  readonly received: string[];
  close(): Promise<void>;
}

/**
 * Starts a minimal SMTP server answering RCPT TO with `rcptReply(address)` (e.g. `550 5.1.1 No
 * such user`) and accepting everything else: the only way to get real 4xx/5xx refusals out of a
 * server, which MailDev never sends. `silent` answers nothing at all (a stalled server).
 */
export async function scriptedSmtp(options: { rcptReply?: (address: string) => string; silent?: boolean } = {}): Promise<ScriptedSmtp> {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (options.silent) return;
    const say = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let data: string | null = null;
    let accepted = 0;
    say('220 scripted.test ESMTP');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (data !== null) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          data += buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          received.push(/^message-id:\s*(\S+)/im.exec(data)?.[1] ?? '');
          data = null;
          say('250 2.0.0 Ok: queued as SCRIPTED');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol === -1) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') say('250 scripted.test');
        else if (verb === 'MAIL') {
          accepted = 0;
          say('250 2.1.0 Ok');
        } else if (verb === 'RCPT') {
          const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
          const reply = options.rcptReply?.(address) ?? '250 2.1.5 Ok';
          if (reply.startsWith('2')) accepted += 1;
          say(reply);
        } else if (verb === 'DATA') {
          if (accepted === 0) say('554 5.5.1 No valid recipients');
          else {
            data = '';
            say('354 End data with <CR><LF>.<CR><LF>');
          }
        } else if (verb === 'RSET' || verb === 'NOOP') say('250 2.0.0 Ok');
        else if (verb === 'QUIT') {
          say('221 2.0.0 Bye');
          socket.end();
        } else say('502 5.5.2 Command not recognized');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
