import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * The client address as the nearest trusted proxy saw it, for rate limits (never for identity).
 *
 * `X-Forwarded-For` is a list each proxy appends to, so only the last `hops` entries were written
 * by proxies we run behind; anything further left is whatever the client sent. In production the
 * client-facing functions take traffic only through the global external Application Load Balancer
 * (ingress `internal-and-gclb`, clause 5.3). Google documents that load balancer's header as
 * `[<supplied-value>,]<client-ip>,<load-balancer-ip>`: it appends two entries, the address that
 * opened the TCP connection to it and its own forwarding-rule address. Cloud Run behind a
 * serverless NEG appends nothing after them, so the client is 2 entries from the end
 * (`TRUSTED_PROXY_HOPS=2`, what the deploy sets). Called directly on its run.app URL, Cloud Run's
 * front end appends only `<client-ip>`: 1 entry (the default, also right for local tests).
 *
 * Fewer entries than `hops` means the request skipped a proxy we expect (local runs, a direct
 * call): the leftmost entry is then the outermost proxy's view. A chosen entry that is not an IP
 * address was not written by a Google proxy; the TCP peer is used instead, so a caller cannot pick
 * an arbitrary rate-limit key.
 */
export function clientIp(req: Pick<IncomingMessage, 'headers' | 'socket'>, hops: number): string {
  const header = req.headers['x-forwarded-for'];
  // Node joins repeated X-Forwarded-For lines with ", ": a client can send several.
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  const forwarded = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const chosen = forwarded.length >= hops ? forwarded[forwarded.length - hops] : forwarded[0];
  const peer = req.socket.remoteAddress ?? '';
  return chosen !== undefined && isIP(chosen) !== 0 ? chosen : peer;
}
