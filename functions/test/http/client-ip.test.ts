import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientIp } from '../../src/http/client-ip';
import { envVars, isFunctionDeploy } from '../../../scripts/deploy/function-compare';
import { buildPlan } from '../../../scripts/deploy/plan';
import { sampleOptions } from '../deploy/sample';

// Documentation addresses (RFC 5737, RFC 3849) only.
const CLIENT = '203.0.113.7';
const LB = '198.51.100.10';
const CLIENT6 = '2001:db8:85a3::8a2e:370:7334';
const LB6 = '2600:1901:0:a7aa::';

let server: Server;
let port: number;

beforeAll(async () => {
  // Answers with the address clientIp picks, for the hop count in ?hops=.
  server = createServer((req, res) => {
    const hops = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('hops'));
    res.end(clientIp(req, hops));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  ({ port } = server.address() as AddressInfo);
});
afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
});

/** What the server reads as the client for these X-Forwarded-For lines (several lines = several headers). */
function ipFor(hops: number, ...lines: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const headers = lines.length === 0 ? {} : { 'X-Forwarded-For': lines.length === 1 ? lines[0] : lines };
    const req = request({ host: '127.0.0.1', port, path: `/?hops=${hops}`, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => done(body));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('client address from X-Forwarded-For', () => {
  it.each([
    ['the client sent no header: the load balancer wrote both entries', `${CLIENT},${LB}`, CLIENT],
    ['the client sent an address of its choosing', `10.0.0.1,${CLIENT},${LB}`, CLIENT],
    ['the client sent several, with spaces', `1.1.1.1, 8.8.8.8 ,${CLIENT}, ${LB}`, CLIENT],
    ['the client sent junk that is not an address', `<script>, unknown,${CLIENT},${LB}`, CLIENT],
    ['the client connected over IPv6', `${CLIENT6},${LB6}`, CLIENT6],
    ['an IPv4 client reached an IPv6 address of the load balancer', `8.8.4.4,${CLIENT},${LB6}`, CLIENT],
  ])('when behind the HTTPS load balancer (2 hops) and %s, then it is the entry the load balancer added for the client', async (_case, header, expected) => {
    await expect(ipFor(2, header)).resolves.toBe(expected);
  });

  it('when the client sends its own X-Forwarded-For line besides the one the load balancer extended, then the lines are read as one list', async () => {
    // Node joins repeated lines with ", " in arrival order; the proxies' entries stay at the end.
    await expect(ipFor(2, '1.1.1.1', `9.9.9.9,${CLIENT},${LB}`)).resolves.toBe(CLIENT);
  });

  it('when called on run.app directly (1 hop), then it is the last entry, the one Google\'s front end added', async () => {
    await expect(ipFor(1, `1.1.1.1, ${CLIENT}`)).resolves.toBe(CLIENT);
    await expect(ipFor(1, CLIENT6)).resolves.toBe(CLIENT6);
  });

  it('when the header has fewer entries than hops, then the leftmost entry, as the outermost proxy there was saw it', async () => {
    await expect(ipFor(2, CLIENT)).resolves.toBe(CLIENT);
  });

  it.each([
    ['absent', []],
    ['empty', ['']],
    ['only commas and spaces', [' , ,']],
  ])('when the header is %s, then the TCP peer', async (_case, lines) => {
    await expect(ipFor(2, ...lines)).resolves.toBe('127.0.0.1');
  });

  it.each([
    ['the trusted position holds a word', 1, `${CLIENT}, unknown`],
    ['the only entry is junk and there are fewer than hops', 2, 'evil-key'],
    ['the trusted position holds an address with a port', 2, `${CLIENT}:443,${LB}`],
  ])('when %s, then the TCP peer, so a caller cannot choose its rate-limit key', async (_case, hops, header) => {
    await expect(ipFor(hops, header)).resolves.toBe('127.0.0.1');
  });

  it('when the deploy sets TRUSTED_PROXY_HOPS, then a header as the load balancer builds it yields the client, not a spoofed entry or the load balancer', async () => {
    const deploys = buildPlan(sampleOptions('--only', 'functions')).filter(isFunctionDeploy);
    const hops = new Set(deploys.map((s) => envVars(s.create)?.TRUSTED_PROXY_HOPS));
    expect(hops).toEqual(new Set(['2']));
    await expect(ipFor(Number([...hops][0]), `6.6.6.6,${CLIENT},${LB}`)).resolves.toBe(CLIENT);
  });
});
