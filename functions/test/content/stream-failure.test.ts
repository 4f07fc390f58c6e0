import * as http from 'node:http';
import { constants, gunzipSync } from 'node:zlib';
import * as functions from '@google-cloud/functions-framework';
import { authenticatedGet, ClientGoneError } from '../../src/http/authenticated-get';
import { loggedLines } from '../support/captured-logs';
import { useLocalFunctions } from '../support/local';
import { customer } from '../billing/helpers';
import { get, lines } from './helpers';
import { AppError } from '../../src/shared/errors';

// Probe functions built with the same wrapper as exportContent, whose producers fail on purpose.
const line = (i: number) => `${JSON.stringify({ path: `accounts/u/things/t${i}`, data: { i } })}\n`;

functions.http(
  'probeStreamBreaks',
  authenticatedGet('probeStreamBreaks', {
    open: async () => ({
      filename: 'probe.ndjson',
      pipeTo: async (write) => {
        for (let i = 0; i < 3; i += 1) await write(line(i));
        throw new Error('db password is hunter2');
      },
    }),
  }),
);
functions.http(
  'probeStreamRefuses',
  authenticatedGet('probeStreamRefuses', {
    open: async () => {
      throw new AppError('AMOUNTS_DUE', 'pay first', { amountDue: 1 });
    },
  }),
);
functions.http(
  'probeStreamFailsFirst',
  authenticatedGet('probeStreamFailsFirst', {
    open: async () => ({
      filename: 'probe.ndjson',
      pipeTo: async () => {
        throw new Error('listCollections failed: secret detail');
      },
    }),
  }),
);

/** What the endless producer has done so far, for the back-pressure test to watch. */
const endless = { written: 0, stoppedBy: null as unknown, done: Promise.resolve() };
functions.http(
  'probeStreamEndless',
  authenticatedGet('probeStreamEndless', {
    open: async () => ({
      filename: 'probe.ndjson',
      pipeTo: async (write) => {
        endless.written = 0;
        endless.stoppedBy = null;
        let finished = (): void => undefined;
        endless.done = new Promise<void>((resolve) => (finished = resolve));
        const chunk = `${JSON.stringify({ pad: 'x'.repeat(64 * 1024) })}\n`;
        try {
          for (;;) {
            await write(chunk);
            endless.written += chunk.length;
          }
        } catch (error) {
          endless.stoppedBy = error;
          throw error;
        } finally {
          finished();
        }
      },
    }),
  }),
);

const local = useLocalFunctions(['probeStreamBreaks', 'probeStreamRefuses', 'probeStreamFailsFirst', 'probeStreamEndless']);
let token: string;
beforeAll(async () => {
  ({ token } = await customer(local.server.baseUrl, 'stream'));
});
const probe = (name: string, headers: Record<string, string> = {}) => get(`${local.server.baseUrl}/${name}`, { Authorization: `Bearer ${token}`, ...headers });
// Unref: the race below must not keep the process alive once the producer has stopped.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

describe('streamed GET: failures', () => {
  it('when the producer fails after lines were sent, then the last line is an error and the response is cut short', async () => {
    const answer = await probe('probeStreamBreaks');
    expect(answer.status).toBe(200);
    expect(answer.complete).toBe(false);
    const got = lines(answer.body);
    expect(got.slice(0, 3)).toEqual([0, 1, 2].map((i) => JSON.parse(line(i)) as unknown));
    expect(got[3]).toEqual({ error: { status: 'INTERNAL', message: expect.stringContaining('incomplete') as unknown, details: { reason: 'STREAM_INCOMPLETE' } } });
    expect(got).toHaveLength(4);
    expect(answer.body.toString('utf8')).not.toContain('hunter2');
    // The cause goes to the log, for ops, instead of to the client.
    expect(loggedLines('stream.failed')).toContainEqual(expect.objectContaining({ severity: 'ERROR', function: 'probeStreamBreaks' }));
  });

  it('when a gzip stream fails part-way, then the error line arrives compressed but the gzip stream has no end', async () => {
    const answer = await probe('probeStreamBreaks', { 'Accept-Encoding': 'gzip' });
    expect(answer.headers['content-encoding']).toBe('gzip');
    expect(answer.complete).toBe(false);
    expect(() => gunzipSync(answer.body)).toThrow(/unexpected end of file/);
    const got = lines(gunzipSync(answer.body, { finishFlush: constants.Z_SYNC_FLUSH }));
    expect(got).toHaveLength(4);
    expect(got[3]).toMatchObject({ error: { details: { reason: 'STREAM_INCOMPLETE' } } });
  });

  it('when the answer is refused before the first byte, then it is an ordinary JSON error with its own status', async () => {
    const answer = await probe('probeStreamRefuses', { 'Accept-Encoding': 'gzip' });
    expect([answer.status, answer.complete, answer.headers['content-encoding']]).toEqual([402, true, undefined]);
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({ error: { status: 'FAILED_PRECONDITION', message: 'pay first', details: { reason: 'AMOUNTS_DUE', amountDue: 1 } } });
  });

  it('when the producer fails before writing anything, then a generic 500 JSON error, no details leaked', async () => {
    const answer = await probe('probeStreamFailsFirst');
    expect(answer.status).toBe(500);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.body.toString('utf8')).not.toContain('secret');
    expect(loggedLines('callable.failed')).toContainEqual(
      expect.objectContaining({ severity: 'ERROR', function: 'probeStreamFailsFirst', error: expect.objectContaining({ message: 'listCollections failed: secret detail' }) as unknown }),
    );
  });
});

describe('streamed GET: back-pressure and disconnects', () => {
  it('when the client stops reading, then the producer waits; when it disconnects, then the producer is stopped with ClientGoneError', async () => {
    const request = http.request(`${local.server.baseUrl}/probeStreamEndless`, { headers: { Authorization: `Bearer ${token}` } });
    const response = await new Promise<http.IncomingMessage>((resolve) => {
      request.on('response', resolve);
      request.end();
    });
    response.on('error', () => undefined);
    response.pause(); // reads nothing more: TCP and stream buffers fill, then the producer must wait
    await sleep(1500);
    const stalledAt = endless.written;
    await sleep(1000);
    expect(endless.written).toBe(stalledAt);
    expect(endless.written).toBeLessThan(32 * 1024 * 1024); // buffers only, not an unbounded queue
    expect(endless.stoppedBy).toBeNull();

    request.destroy();
    await Promise.race([endless.done, sleep(5000)]);
    expect(endless.stoppedBy).toBeInstanceOf(ClientGoneError);
  });
});
