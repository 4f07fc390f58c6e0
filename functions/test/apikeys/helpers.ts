import { getDeps } from '../../src/deps';
import { rawCall, uniqueEmail, type TestClient } from '../support/client';

export const PASSWORD = 'correct horse battery';

/** A verified email+password user made with the Admin SDK, signed in on `client`. */
export async function verifiedUser(client: TestClient, tag = 'keys'): Promise<{ uid: string; email: string; token: string }> {
  const email = uniqueEmail(tag);
  await getDeps().auth.createUser({ email, password: PASSWORD, emailVerified: true });
  const { uid, token } = await client.signIn(email, PASSWORD);
  return { uid, email, token };
}


/** Calls `name` with `Authorization: ApiKey <key>` over plain HTTP, as a server integration would. */
export function callWithKey(baseUrl: string, name: string, key: string, data: unknown = null) {
  return rawCall(`${baseUrl}/${name}`, { body: JSON.stringify({ data }), headers: { Authorization: `ApiKey ${key}` } });
}

/** The account's stored apiKeys documents, by id. */
export async function storedKeys(uid: string): Promise<Map<string, Record<string, unknown>>> {
  const snap = await getDeps().db.collection('accounts').doc(uid).collection('apiKeys').get();
  return new Map(snap.docs.map((d) => [d.id, d.data()]));
}

/** The account's activity entries whose action starts with `apiKey.`, oldest first. */
export async function keyActivity(uid: string): Promise<Array<{ action: string; actor: unknown; details: Record<string, unknown> }>> {
  const snap = await getDeps().db.collection('accounts').doc(uid).collection('activity').orderBy('at', 'asc').get();
  return snap.docs
    .map((d) => d.data() as { action: string; actor: unknown; details: Record<string, unknown> })
    .filter((e) => e.action.startsWith('apiKey.'));
}

/** `apiKeyIndex` entries pointing at the account. */
export async function indexEntries(uid: string): Promise<Array<{ id: string; uid: string; keyId: string }>> {
  const snap = await getDeps().db.collection('apiKeyIndex').where('uid', '==', uid).get();
  return snap.docs.map((d) => ({ id: d.id, ...(d.data() as { uid: string; keyId: string }) }));
}

/** Sets the stored account status with the Admin SDK, as a staff action would. */
export async function setAccountStatus(uid: string, status: string): Promise<void> {
  await getDeps().db.collection('accounts').doc(uid).update({ status });
}

export { callError } from '../support/client';
