import type { AccountDoc } from '../../src/accounts/model';
import { getDeps } from '../../src/deps';
import type { BlockingEvent } from '../../src/identity/event';
import { beforeCreate } from '../../src/identity/before-create';
import { beforeSignIn } from '../../src/identity/before-sign-in';

// The decisions themselves, with events as Identity Platform describes them (some of which the
// Auth emulator never produces, e.g. a client locale), against the real Firestore emulator.

let seq = 0;
function event(type: BlockingEvent['type'], overrides: Partial<BlockingEvent> = {}, user: Partial<BlockingEvent['user']> = {}): BlockingEvent {
  seq += 1;
  const uid = `usecase-${process.pid}-${Date.now()}-${seq}`;
  return {
    type,
    eventId: `evt-${seq}`,
    signInMethod: 'password',
    locale: null,
    ipAddress: null,
    userAgent: null,
    ...overrides,
    user: { uid, email: `${uid}@example.test`, emailVerified: false, displayName: null, providerIds: [], ...user },
  };
}

async function account(uid: string): Promise<AccountDoc | undefined> {
  return (await getDeps().db.collection('accounts').doc(uid).get()).data() as AccountDoc | undefined;
}

describe('beforeCreate', () => {
  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['zh-TW', 'zh-TW'],
    ['zh-Hant-TW', 'zh-TW'],
    ['ja', 'zh-TW'],
    [null, 'zh-TW'],
  ])('when Identity Platform reports the client locale %p, then the account locale is %p', async (locale, expected) => {
    const e = event('beforeCreate', { locale });
    await expect(beforeCreate(getDeps(), e)).resolves.toEqual({ kind: 'allow' });
    expect((await account(e.user.uid))?.locale).toBe(expected);
  });

  it('when a Facebook user also has a verified email, then both facts are kept and only allowed providers are listed', async () => {
    const e = event('beforeCreate', { signInMethod: 'facebook.com' }, { providerIds: ['facebook.com', 'google.com'], emailVerified: true, displayName: 'Wang' });
    await beforeCreate(getDeps(), e);
    expect(await account(e.user.uid)).toMatchObject({ providers: ['facebook.com'], emailVerified: true, displayName: 'Wang' });
  });

  it('when the method is refused, then the decision says why and nothing is read or written', async () => {
    const e = event('beforeCreate', { signInMethod: 'apple.com' });
    await expect(beforeCreate(getDeps(), e)).resolves.toMatchObject({ kind: 'block', reason: 'SIGN_IN_METHOD_NOT_ALLOWED' });
    expect(await account(e.user.uid)).toBeUndefined();
  });

  it('when two beforeCreate calls for the same uid race, then exactly one account and one activity entry exist', async () => {
    const e = event('beforeCreate');
    const results = await Promise.all([beforeCreate(getDeps(), e), beforeCreate(getDeps(), e), beforeCreate(getDeps(), e)]);
    expect(results).toEqual([{ kind: 'allow' }, { kind: 'allow' }, { kind: 'allow' }]);
    const entries = await getDeps().db.collection('accounts').doc(e.user.uid).collection('activity').get();
    expect(entries.size).toBe(1);
  });
});

describe('beforeSignIn', () => {
  it.each([
    ['active', 'allow'],
    ['terminating', 'allow'],
    ['suspended', 'block'],
    ['terminated', 'block'],
  ] as const)('when the account is %s, then the decision is %s', async (status, kind) => {
    const created = event('beforeCreate');
    await beforeCreate(getDeps(), created);
    await getDeps().db.collection('accounts').doc(created.user.uid).update({ status });
    const signIn = { ...created, type: 'beforeSignIn' as const };
    await expect(beforeSignIn(getDeps(), signIn)).resolves.toMatchObject({ kind });
  });
});
