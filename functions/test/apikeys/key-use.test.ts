import * as functions from '@google-cloud/functions-framework';
import { getAccountSpec } from '../../src/accounts/get-account';
import type { ActivityView } from '../../src/activity/list-activity';
import { authenticateApiKey } from '../../src/apikeys/authenticate';
import { createDeps, type Deps } from '../../src/deps';
import { callable } from '../../src/http/callable';
import { fixedClock } from '../../src/shared/clock';
import { rawCall } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { keyActivity, verifiedUser } from './helpers';

// Clause 5.8: use of a personal API key is on the record, once an hour per key. getAccount as
// production wires it (same spec, same callable wrapper, same key verifier), on a clock the test moves.

const clock = fixedClock(new Date());
const atTestClock = (deps: Deps): Deps =>
  createDeps(deps.config, { clock, db: deps.db, auth: deps.auth, mailer: deps.mailer, log: deps.log });
functions.http('getAccountAtTestClock', callable(
  'getAccountAtTestClock',
  { ...getAccountSpec, handler: (deps, input, context) => getAccountSpec.handler(atTestClock(deps), input, context) } satisfies typeof getAccountSpec,
  (deps, key, request) => authenticateApiKey(atTestClock(deps), key, request),
));

const local = useLocalFunctions(['getAccountAtTestClock']);
const MINUTE = 60_000;

/** getAccountAtTestClock with `Authorization: ApiKey`, from `ip` as the load balancer forwards it. */
async function useKey(key: string, ip: string): Promise<number> {
  const answer = await rawCall(`${local.server.baseUrl}/getAccountAtTestClock`, {
    body: JSON.stringify({ data: null }),
    headers: { Authorization: `ApiKey ${key}`, 'X-Forwarded-For': ip },
  });
  return answer.status;
}

const used = async (uid: string) => (await keyActivity(uid)).filter((e) => e.action === 'apiKey.used');

describe('API-key use on the record', () => {
  it('when a key is used, then apiKey.used (key id, client IP) is logged at most once an hour, and the owner sees it in listActivity', async () => {
    const { uid } = await verifiedUser(local.client, 'key-use');
    await local.client.call('getAccount');
    const { keyId, key } = await local.client.call<{ keyId: string; key: string }>('createApiKey', { label: 'pos' });
    const start = new Date();

    clock.set(start);
    expect(await useKey(key, '198.51.100.7')).toBe(200);
    clock.set(new Date(start.getTime() + 59 * MINUTE));
    expect(await useKey(key, '198.51.100.8')).toBe(200);
    expect((await used(uid)).map((e) => e.details)).toEqual([{ keyId, prefix: key.slice(0, 12), ip: '198.51.100.7' }]);

    clock.set(new Date(start.getTime() + 60 * MINUTE));
    expect(await useKey(key, '198.51.100.9')).toBe(200);
    expect((await used(uid)).map((e) => e.details.ip)).toEqual(['198.51.100.7', '198.51.100.9']);

    const { entries } = await local.client.call<{ entries: ActivityView[] }>('listActivity', {});
    expect(entries.filter((e) => e.action === 'apiKey.used').map((e) => [e.at, e.details.ip])).toEqual([
      [new Date(start.getTime() + 60 * MINUTE).toISOString(), '198.51.100.9'],
      [start.toISOString(), '198.51.100.7'],
    ]);
  });

  it('when the first calls of an hour arrive together, then one apiKey.used is logged', async () => {
    const { uid } = await verifiedUser(local.client, 'key-burst');
    await local.client.call('getAccount');
    const { key } = await local.client.call<{ key: string }>('createApiKey', { label: 'burst' });
    clock.set(new Date());
    const statuses = await Promise.all(Array.from({ length: 5 }, (_, i) => useKey(key, `198.51.100.${20 + i}`)));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(await used(uid)).toHaveLength(1);
  });

  it('when a refused key is presented (revoked), then nothing is logged', async () => {
    const { uid } = await verifiedUser(local.client, 'key-revoked');
    await local.client.call('getAccount');
    const { keyId, key } = await local.client.call<{ keyId: string; key: string }>('createApiKey', { label: 'old' });
    await local.client.call('revokeApiKey', { keyId });
    clock.set(new Date());
    expect(await useKey(key, '198.51.100.30')).toBe(401);
    expect(await used(uid)).toHaveLength(0);
  });
});
