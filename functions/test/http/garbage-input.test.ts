import fc from 'fast-check';
import { getDeps } from '../../src/deps';
import { rawCall } from '../support/client';
import { accountFingerprint } from '../support/fingerprint';
import { describeGarbageInput, nearMiss } from '../support/garbage-input';
import { useLocalFunctions } from '../support/local';
import { emulatorBlockingToken } from '../support/blocking';
import { adminCreatedUser } from '../support/users';

/**
 * Property: whatever a signed-in customer sends to their own callable functions, and whatever
 * reaches the blocking functions, the HTTP layer answers a well-formed 4xx or result, never a 500,
 * and a refused call writes nothing. (Staff, billing, incident and termination functions get the
 * same property in their own folders.)
 */
const RUNS = 60;
const local = useLocalFunctions();
let customer: { uid: string; token: string };

beforeAll(async () => {
  customer = await adminCreatedUser(local.client);
  await local.client.call('getAccount');
});

const accountsCount = async () => (await getDeps().db.collection('accounts').count().get()).data().count;

describeGarbageInput({
  names: ['getAccount', 'listActivity', 'createApiKey', 'listApiKeys', 'revokeApiKey'],
  baseUrl: () => local.server.baseUrl,
  data: () =>
    nearMiss({
      label: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.string({ minLength: 61, maxLength: 80 })),
      keyId: fc.oneof(fc.string(), fc.constant('../../x'), fc.integer()),
      pageSize: fc.oneof(fc.integer(), fc.double(), fc.string()),
      pageToken: fc.oneof(fc.string(), fc.base64String()),
      uid: fc.string(),
    }),
  token: () => customer.token,
  // The key index too: a refused createApiKey must not leave a key behind.
  fingerprint: async () =>
    accountFingerprint(customer.uid, `apiKeyIndex:${(await getDeps().db.collection('apiKeyIndex').count().get()).data().count}`),
  runs: RUNS,
});

describe.each(['beforeCreate', 'beforeSignIn'] as const)('%s with arbitrary tokens', (name) => {
  it('when the body or the token claims are arbitrary, then a 4xx, never a 500, and no account appears', async () => {
    const url = `${local.server.baseUrl}/${name}`;
    // Well-formed emulator tokens whose claims are arbitrary, plus plain garbage in place of the token.
    const claims = fc.record({
      event_type: fc.oneof(fc.constant(name), fc.string()),
      sub: fc.oneof(fc.string(), fc.constant('')),
      // Never an allowed method: an allowed one with a consistent record is a legitimate sign-up.
      sign_in_method: fc
        .oneof(fc.constantFrom('google.com', 'anonymous', 'phone', 'custom', 'emailLink'), fc.string())
        .filter((m) => m !== 'password' && m !== 'facebook.com'),
      user_record: fc.oneof(fc.jsonValue(), fc.record({ uid: fc.string(), email: fc.jsonValue() })),
    });
    const body = fc.oneof(
      claims.map((c) => JSON.stringify({ data: { jwt: emulatorBlockingToken(url, { ...c, user_record: c.user_record as never }) } })),
      fc.jsonValue().map((jwt) => JSON.stringify({ data: { jwt } })),
      fc.jsonValue().map((data) => JSON.stringify({ data })),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const before = await accountsCount();
        const response = await rawCall(url, { body: raw });
        const created = (await accountsCount()) - before;
        expect({ raw, status: response.status >= 400 && response.status < 500, created }).toEqual({ raw, status: true, created: 0 });
      }),
      { numRuns: RUNS },
    );
  });
});
