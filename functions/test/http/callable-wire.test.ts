import * as functions from '@google-cloud/functions-framework';
import { z } from 'zod';
import { callable } from '../../src/http/callable';
import { INT64_TYPE, UINT64_TYPE } from '../../src/http/wire';
import { callError, createClient, rawCall, type TestClient } from '../support/client';
import { startFunctionsServer, type RunningServer } from '../support/server';

// What each probe's handler received: "nothing ran" is checked against it.
const received: unknown[] = [];

functions.http(
  'wireEcho',
  callable('wireEcho', {
    auth: 'none',
    input: z.unknown(),
    handler: async (_deps, input) => {
      received.push(input);
      return input;
    },
  }),
);
functions.http(
  'wireUndefined',
  callable('wireUndefined', {
    auth: 'none',
    input: z.null(),
    handler: async () => ({ gone: undefined, nested: { gone: undefined, at: new Date('2025-01-02T03:04:05.000Z') }, list: [undefined, 1] }),
  }),
);

let server: RunningServer;
let client: TestClient;
beforeAll(async () => {
  server = await startFunctionsServer(['wireEcho', 'wireUndefined']);
  client = createClient(server.port);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

describe('64-bit integers as the mobile SDKs send them', () => {
  it('when Int64Value and UInt64Value wrappers arrive at any depth, then the handler receives the numbers they hold', async () => {
    const data = {
      count: { '@type': INT64_TYPE, value: '123' },
      list: [{ '@type': UINT64_TYPE, value: '9007199254740991' }, { '@type': INT64_TYPE, value: '-7' }, 'text'],
      deep: { n: { '@type': INT64_TYPE, value: 42 }, plain: true },
    };
    const expected = { count: 123, list: [9007199254740991, -7, 'text'], deep: { n: 42, plain: true } };
    await expect(client.call('wireEcho', data)).resolves.toStrictEqual(expected);
    expect(received.at(-1)).toStrictEqual(expected);
  });

  it.each([
    ['another @type', { '@type': 'type.googleapis.com/google.protobuf.StringValue', value: 'x' }],
    ['an Int64Value that is not an integer', { '@type': INT64_TYPE, value: '12abc' }],
    ['a negative UInt64Value', { '@type': UINT64_TYPE, value: '-1' }],
    ['an Int64Value JavaScript cannot hold exactly', { '@type': INT64_TYPE, value: '9007199254740993' }],
  ])('when the data holds %s, then INVALID_ARGUMENT names its path and nothing runs', async (_case, wrapper) => {
    const before = received.length;
    const error = await callError(() => client.call('wireEcho', { nested: [wrapper] }));
    expect([error.code, error.details?.reason, error.details?.issues]).toEqual([
      'functions/invalid-argument',
      'INVALID_ARGUMENT',
      [expect.objectContaining({ path: 'data.nested.0' })],
    ]);
    expect(received).toHaveLength(before);
  });
});

describe('results as the official onCall encodes them', () => {
  it('when a result holds undefined fields, then the client reads them as null, dates still ISO strings', async () => {
    await expect(client.call('wireUndefined', null)).resolves.toStrictEqual({
      gone: null,
      nested: { gone: null, at: '2025-01-02T03:04:05.000Z' },
      list: [null, 1],
    });
  });
});

describe('CORS preflights with the headers a client asks for', () => {
  const asked = 'authorization, content-type, x-firebase-appcheck, x-request-trace';

  function preflight(name: string, origin: string, method: string) {
    return rawCall(`${server.baseUrl}/${name}`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': asked },
    });
  }

  it.each([
    ['wireEcho', 'POST'],
    ['exportContent', 'GET'],
  ])('when an allowed origin asks for custom headers before a %s, then 204 grants them and varies on origin and headers', async (name, method) => {
    const answer = await preflight(name, 'https://app.orderpally.test', method);
    expect({
      status: answer.status,
      origin: answer.headers.get('access-control-allow-origin'),
      headers: answer.headers.get('access-control-allow-headers'),
      methods: answer.headers.get('access-control-allow-methods'),
      vary: answer.headers.get('vary')?.split(/,\s*/).sort(),
    }).toEqual({ status: 204, origin: 'https://app.orderpally.test', headers: asked, methods: `${method}, OPTIONS`, vary: ['Access-Control-Request-Headers', 'Origin'] });
  });

  it.each(['wireEcho', 'exportContent'])('when another origin asks for the same before %s, then 403 grants nothing', async (name) => {
    const answer = await preflight(name, 'https://evil.example', 'POST');
    expect({
      status: answer.status,
      origin: answer.headers.get('access-control-allow-origin'),
      headers: answer.headers.get('access-control-allow-headers'),
      reason: answer.json?.error?.details?.reason,
    }).toEqual({ status: 403, origin: null, headers: null, reason: 'ORIGIN_NOT_ALLOWED' });
  });
});
