import { createHash } from 'node:crypto';
import { Timestamp } from 'firebase-admin/firestore';
import type { CreatedApiKey } from '../../src/apikeys/create-api-key';
import { LISTED_REVOKED_KEYS, type ApiKeyView } from '../../src/apikeys/list-api-keys';
import { getDeps } from '../../src/deps';
import { rawCall } from '../support/client';
import { callError, callWithKey, indexEntries, keyActivity, setAccountStatus, storedKeys, verifiedUser } from './helpers';
import { useLocalFunctions } from '../support/local';

const local = useLocalFunctions();

const create = (label: string) => local.client.call<CreatedApiKey>('createApiKey', { label });
const list = () => local.client.call<{ keys: ApiKeyView[] }>('listApiKeys', null);
const revoke = (keyId: string) => local.client.call<ApiKeyView>('revokeApiKey', { keyId });
// Asymmetric matchers are typed `any`; held as unknown so the lint's no-unsafe-assignment stays on.
const anyString: unknown = expect.any(String);
const isoString: unknown = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('createApiKey', () => {
  it('when a verified user creates a key, then it is returned once and authenticates getAccount as its owner', async () => {
    const { uid, email } = await verifiedUser(local.client);
    const created = await create('  billing export  ');
    const keyShape: unknown = expect.stringMatching(/^opk_[A-Za-z0-9_-]{43}$/);
    expect(created).toEqual({ keyId: anyString, key: keyShape, label: 'billing export', createdAt: isoString });
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);
    expect(Buffer.from(created.key.slice(4), 'base64url')).toHaveLength(32); // 256 random bits

    const raw = await callWithKey(local.server.baseUrl, 'getAccount', created.key);
    expect(raw.status).toBe(200);
    expect(raw.json?.result).toMatchObject({ uid, email, status: 'active' });

    // Never shown again: the listing has the prefix, not the key.
    const { keys } = await list();
    expect(keys).toEqual([
      { keyId: created.keyId, label: 'billing export', prefix: created.key.slice(0, 12), createdAt: created.createdAt, lastUsedAt: isoString, revokedAt: null },
    ]);
  });

  it('when a key is stored, then only its sha256 hash and a 12-character prefix are kept, plus the index entry', async () => {
    const { uid } = await verifiedUser(local.client);
    const { keyId, key } = await create('ci');
    const stored = (await storedKeys(uid)).get(keyId);
    expect(stored).toBeDefined();
    expect(Object.keys(stored ?? {}).sort()).toEqual(['createdAt', 'hash', 'label', 'lastUsedAt', 'prefix', 'revokedAt']);
    expect(stored).toMatchObject({ label: 'ci', hash: sha256(key), prefix: key.slice(0, 12), lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(JSON.stringify(stored)).not.toContain(key.slice(12));
    await expect(indexEntries(uid)).resolves.toEqual([{ id: sha256(key), uid, keyId }]);
  });

  it('when a key is created, then apiKey.created is in the activity log with keyId, label and prefix, never the key', async () => {
    const { uid } = await verifiedUser(local.client);
    const { keyId, key } = await create('pos sync');
    const entries = await keyActivity(uid);
    expect(entries).toEqual([
      expect.objectContaining({ action: 'apiKey.created', actor: { uid, role: 'customer' }, details: { keyId, label: 'pos sync', prefix: key.slice(0, 12) } }),
    ]);
    expect(JSON.stringify(entries)).not.toContain(key);
  });

  it('when an admin-made user calls createApiKey before ever calling getAccount, then the account is provisioned and the key issued', async () => {
    const { uid } = await verifiedUser(local.client);
    const { key } = await create('first call');
    const account = await getDeps().db.collection('accounts').doc(uid).get();
    expect(account.get('status')).toBe('active');
    expect((await callWithKey(local.server.baseUrl, 'getAccount', key)).status).toBe(200);
  });

  it.each([
    ['an empty label', ''],
    ['a blank label', '   '],
    ['a 61-character label', 'x'.repeat(61)],
    ['a NUL character', 'a\u0000b'],
    ['a tab', 'tab\there'],
    ['a newline', 'two\nlines'],
    ['a bidi override', 'safe\u202Eexe.txt'],
    ['a number', 42],
    ['null', null],
  ])('when the label is %s, then INVALID_ARGUMENT and nothing is written', async (_case, label) => {
    const { uid } = await verifiedUser(local.client);
    await local.client.call('getAccount', null); // the account exists, so any write would show
    const error = await callError(() => local.client.call('createApiKey', { label }));
    expect(error.code).toBe('functions/invalid-argument');
    expect(error.message).toMatch(/data\.label/);
    expect((await storedKeys(uid)).size).toBe(0);
    await expect(indexEntries(uid)).resolves.toEqual([]);
    await expect(keyActivity(uid)).resolves.toEqual([]);
  });

  it.each([
    ['no label', {}],
    ['an unknown field', { label: 'ok', scope: 'admin' }],
    ['no data', null],
  ])('when the input has %s, then INVALID_ARGUMENT', async (_case, data) => {
    const { uid } = await verifiedUser(local.client);
    const error = await callError(() => local.client.call('createApiKey', data));
    expect(error.code).toBe('functions/invalid-argument');
    expect((await storedKeys(uid)).size).toBe(0);
  });

  it('when the label is exactly 60 characters (emoji count once), then it is accepted', async () => {
    await verifiedUser(local.client);
    await expect(create('x'.repeat(60))).resolves.toMatchObject({ label: 'x'.repeat(60) });
    await expect(create('🔑'.repeat(60))).resolves.toMatchObject({ label: '🔑'.repeat(60) });
  });
});

describe('the live-key limit', () => {
  it('when the account holds 10 live keys, then the 11th is RESOURCE_EXHAUSTED API_KEY_LIMIT until one is revoked', async () => {
    const { uid } = await verifiedUser(local.client);
    const made: CreatedApiKey[] = [];
    for (let i = 0; i < 10; i += 1) made.push(await create(`key ${i}`));
    const error = await callError(() => create('eleventh'));
    expect(error.code).toBe('functions/resource-exhausted');
    expect(error.details).toMatchObject({ reason: 'API_KEY_LIMIT', limit: 10 });
    expect((await storedKeys(uid)).size).toBe(10);

    await revoke(made[0]?.keyId ?? '');
    await expect(create('replacement')).resolves.toMatchObject({ label: 'replacement' });
    const error2 = await callError(() => create('twelfth'));
    expect(error2.details?.reason).toBe('API_KEY_LIMIT');
    expect((await storedKeys(uid)).size).toBe(11); // 10 live + 1 revoked
  });

  it('when several creates race at 9 live keys, then exactly one wins and the account ends with 10 live keys', async () => {
    const { uid } = await verifiedUser(local.client);
    for (let i = 0; i < 9; i += 1) await create(`key ${i}`);
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => create(`racer ${i}`)));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(4);
    for (const r of lost) {
      expect((r.reason as { code: string }).code).toBe('functions/resource-exhausted');
      expect((r.reason as { details: { reason: string } }).details.reason).toBe('API_KEY_LIMIT');
    }
    const stored = [...(await storedKeys(uid)).values()];
    expect(stored.filter((k) => k.revokedAt === null)).toHaveLength(10);
    await expect(indexEntries(uid)).resolves.toHaveLength(10);
    await expect(keyActivity(uid)).resolves.toHaveLength(10);
  });
});

describe('listApiKeys', () => {
  it('when the owner lists keys, then newest first with ISO times and neither key nor hash anywhere in the response', async () => {
    const { token } = await verifiedUser(local.client);
    const first = await create('first');
    const second = await create('second');
    const third = await create('third');
    await revoke(second.keyId);
    const raw = await rawCall(`${local.server.baseUrl}/listApiKeys`, { body: JSON.stringify({ data: null }), headers: { Authorization: `Bearer ${token}` } });
    expect(raw.status).toBe(200);
    for (const { key } of [first, second, third]) {
      expect(raw.text).not.toContain(key);
      expect(raw.text).not.toContain(key.slice(12));
      expect(raw.text).not.toContain(sha256(key));
    }
    expect(raw.text).not.toMatch(/"hash"|"key"/);
    const { keys } = raw.json?.result as { keys: ApiKeyView[] };
    expect(keys.map((k) => k.keyId)).toEqual([third.keyId, second.keyId, first.keyId]);
    expect(keys.map((k) => Object.keys(k).sort())).toEqual(
      Array(3).fill(['createdAt', 'keyId', 'label', 'lastUsedAt', 'prefix', 'revokedAt']),
    );
    expect(keys[1]).toMatchObject({ label: 'second', prefix: second.key.slice(0, 12), revokedAt: isoString, lastUsedAt: null });
    expect(keys[0]?.revokedAt).toBeNull();
  });

  it('when a key is used, then its listing shows lastUsedAt', async () => {
    await verifiedUser(local.client);
    const { key } = await create('used');
    await expect(list()).resolves.toMatchObject({ keys: [{ lastUsedAt: null }] });
    await callWithKey(local.server.baseUrl, 'getAccount', key);
    const { keys } = await list();
    expect(new Date(keys[0]?.lastUsedAt ?? 0).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('when an account has rotated through 25 revoked keys, then the list holds every live key and only the 20 most recently revoked, newest first', async () => {
    const { uid } = await verifiedUser(local.client);
    const live = [await create('live one'), await create('live two')];
    // Revoked long ago, seeded as earlier rotations left them: created in one order, revoked in the other.
    const base = Date.UTC(2025, 0, 1);
    const keys = getDeps().db.collection('accounts').doc(uid).collection('apiKeys');
    const revoked = Array.from({ length: 25 }, (_, i) => ({ id: `revoked${String(i).padStart(2, '0')}`, i }));
    await Promise.all(revoked.map(({ id, i }) => keys.doc(id).set({
      label: `rotation ${i}`,
      hash: sha256(`${uid}/${id}`),
      prefix: `opk_rot${String(i).padStart(2, '0')}xyz`,
      createdAt: Timestamp.fromMillis(base + i * 60_000),
      lastUsedAt: null,
      revokedAt: Timestamp.fromMillis(base + (100 - i) * 60_000),
    })));

    const { keys: listed } = await list();
    expect(LISTED_REVOKED_KEYS).toBe(20);
    // Revoked most recently: the smallest i; listed by creation, newest first, after the live keys.
    const expectedRevoked = revoked.filter(({ i }) => i < 20).reverse().map(({ id }) => id);
    expect(listed.map((k) => k.keyId)).toEqual([live[1]?.keyId, live[0]?.keyId, ...expectedRevoked]);
    expect(listed.filter((k) => k.revokedAt === null)).toHaveLength(2);

    // Revoking one more pushes the oldest revocation out of the list; live keys all stay.
    await revoke(live[0]?.keyId ?? '');
    const after = (await list()).keys.map((k) => k.keyId);
    expect(after).toHaveLength(1 + LISTED_REVOKED_KEYS);
    expect(after).toContain(live[0]?.keyId);
    expect(after).toContain(live[1]?.keyId);
    expect(after).not.toContain('revoked19');
  });

  it('when a user has no keys, then the list is empty and other users\' keys never show', async () => {
    await verifiedUser(local.client);
    await create('someone else');
    await verifiedUser(local.client);
    await expect(list()).resolves.toEqual({ keys: [] });
  });
});

describe('revokeApiKey', () => {
  it('when a key is revoked, then it is refused with 401 API_KEY_REVOKED and the log records it once, even when revoked twice', async () => {
    const { uid } = await verifiedUser(local.client);
    const { keyId, key } = await create('old integration');
    const other = await create('still in use');
    const first = await revoke(keyId);
    expect(first).toEqual({ keyId, label: 'old integration', prefix: key.slice(0, 12), createdAt: isoString, lastUsedAt: null, revokedAt: isoString });

    const raw = await callWithKey(local.server.baseUrl, 'getAccount', key);
    expect(raw.status).toBe(401);
    expect(raw.json?.error).toMatchObject({ status: 'UNAUTHENTICATED', details: { reason: 'API_KEY_REVOKED' } });
    expect((await callWithKey(local.server.baseUrl, 'getAccount', other.key)).status).toBe(200);

    await expect(revoke(keyId)).resolves.toEqual(first);
    const revocations = (await keyActivity(uid)).filter((e) => e.action === 'apiKey.revoked');
    expect(revocations).toEqual([
      expect.objectContaining({ actor: { uid, role: 'customer' }, details: { keyId, label: 'old integration', prefix: key.slice(0, 12) } }),
    ]);
    expect(JSON.stringify(revocations)).not.toContain(key);
  });

  it('when the key id is unknown, then NOT_FOUND', async () => {
    await verifiedUser(local.client);
    const error = await callError(() => revoke('AAAAAAAAAAAAAAAAAAAA'));
    expect(error.code).toBe('functions/not-found');
    expect(error.details?.reason).toBe('API_KEY_NOT_FOUND');
  });

  it('when the key id belongs to another user, then NOT_FOUND and their key keeps working', async () => {
    const owner = await verifiedUser(local.client);
    const { keyId, key } = await create('owner key');
    const intruder = await verifiedUser(local.client);
    const error = await callError(() => revoke(keyId));
    expect(error.code).toBe('functions/not-found');
    expect((await storedKeys(owner.uid)).get(keyId)?.revokedAt).toBeNull();
    await expect(keyActivity(intruder.uid)).resolves.toEqual([]);
    const raw = await callWithKey(local.server.baseUrl, 'getAccount', key);
    expect(raw.json?.result).toMatchObject({ uid: owner.uid });
  });

  it.each([
    ['a path', 'a/b'],
    ['empty', ''],
    ['a number', 7],
  ])('when the key id is %s, then INVALID_ARGUMENT', async (_case, keyId) => {
    await verifiedUser(local.client);
    const error = await callError(() => local.client.call('revokeApiKey', { keyId }));
    expect(error.code).toBe('functions/invalid-argument');
  });
});

describe('API key authentication', () => {
  it.each([
    ['garbage', 'not-a-key'],
    ['well-formed but never issued', `opk_${'A'.repeat(43)}`],
  ])('when the key is %s, then 401 API_KEY_INVALID', async (_case, key) => {
    const raw = await callWithKey(local.server.baseUrl, 'getAccount', key);
    expect(raw.status).toBe(401);
    expect(raw.json?.error).toMatchObject({ status: 'UNAUTHENTICATED', details: { reason: 'API_KEY_INVALID' } });
  });

  it.each(['suspended', 'terminated'])('when the account is %s, then its keys are refused with API_KEY_ACCOUNT_INACTIVE', async (status) => {
    const { uid } = await verifiedUser(local.client);
    const { key } = await create('integration');
    expect((await callWithKey(local.server.baseUrl, 'getAccount', key)).status).toBe(200);
    await setAccountStatus(uid, status);
    const raw = await callWithKey(local.server.baseUrl, 'getAccount', key);
    expect(raw.status).toBe(401);
    expect(raw.json?.error?.details?.reason).toBe('API_KEY_ACCOUNT_INACTIVE');
  });

  it('when a terminating account still has its rights, then its keys keep working', async () => {
    const { uid } = await verifiedUser(local.client);
    const { key } = await create('integration');
    await setAccountStatus(uid, 'terminating');
    expect((await callWithKey(local.server.baseUrl, 'getAccount', key)).status).toBe(200);
  });

  it.each(['createApiKey', 'listApiKeys', 'revokeApiKey'])('when %s is called with an API key, then 401 API_KEY_NOT_ACCEPTED and nothing changes', async (name) => {
    const { uid } = await verifiedUser(local.client);
    const { keyId, key } = await create('integration');
    const data = name === 'createApiKey' ? { label: 'minted by a key' } : name === 'revokeApiKey' ? { keyId } : null;
    const raw = await callWithKey(local.server.baseUrl, name, key, data);
    expect(raw.status).toBe(401);
    expect(raw.json?.error).toMatchObject({ status: 'UNAUTHENTICATED', details: { reason: 'API_KEY_NOT_ACCEPTED' } });
    const stored = await storedKeys(uid);
    expect(stored.size).toBe(1);
    expect(stored.get(keyId)?.revokedAt).toBeNull();
  });
});

describe('who may manage keys', () => {
  it.each(['createApiKey', 'listApiKeys', 'revokeApiKey'])('when an email user has not verified their address, then %s is FAILED_PRECONDITION EMAIL_NOT_VERIFIED', async (name) => {
    await local.client.signUp();
    const data = name === 'createApiKey' ? { label: 'x' } : name === 'revokeApiKey' ? { keyId: 'AAAAAAAAAAAAAAAAAAAA' } : null;
    const error = await callError(() => local.client.call(name, data));
    expect(error.code).toBe('functions/failed-precondition');
    expect(error.details?.reason).toBe('EMAIL_NOT_VERIFIED');
  });

  it('when nobody is signed in, then UNAUTHENTICATED', async () => {
    await local.client.signOut();
    const error = await callError(() => list());
    expect(error.code).toBe('functions/unauthenticated');
  });

  it.each([
    ['suspended', 'ACCOUNT_SUSPENDED'],
    ['terminated', 'ACCOUNT_TERMINATED'],
  ])('when the account is %s, then key management is PERMISSION_DENIED %s and no key is minted', async (status, reason) => {
    const { uid } = await verifiedUser(local.client);
    const { keyId } = await create('before');
    await setAccountStatus(uid, status);
    for (const call of [() => create('after'), () => list(), () => revoke(keyId)]) {
      const error = await callError(call);
      expect(error.code).toBe('functions/permission-denied');
      expect(error.details?.reason).toBe(reason);
    }
    const stored = await storedKeys(uid);
    expect(stored.size).toBe(1);
    expect(stored.get(keyId)?.revokedAt).toBeNull();
  });
});
