import { Timestamp } from 'firebase-admin/firestore';
import { getDeps } from '../../src/deps';
import { get, lines } from '../content/helpers';
import { call, staffUser, verifiedUser } from '../incidents/helpers';
import type { TestClient } from '../support/client';

const db = () => getDeps().db;

/** One line of a records download. */
export interface RecordLine {
  type: string;
  path: string;
  data: Record<string, unknown>;
}

/** A signed-in customer with an account, and their ID token. */
export async function owner(client: TestClient, tag: string): Promise<{ uid: string; email: string; token: string }> {
  const user = await verifiedUser(client, tag);
  await client.call('getAccount');
  return user;
}

/** A support (or admin) staff member's ID token, signed in on a client of its own. */
export async function staff(client: TestClient, role: 'support' | 'admin' = 'support'): Promise<{ uid: string; token: string }> {
  return staffUser(client, role);
}

/** Calls `name` over plain HTTP with `token`; the callable answer. */
export async function callAs(baseUrl: string, token: string, name: string, data: unknown) {
  return call(baseUrl, name, data, { token });
}

/** `requestRecords` as the owner: the new reference. */
export async function requestRecordsAs(baseUrl: string, token: string, data: Record<string, unknown>): Promise<string> {
  const answer = await callAs(baseUrl, token, 'requestRecords', data);
  const result = answer.json?.result as { reference?: string } | undefined;
  if (!result?.reference) throw new Error(`requestRecords failed: ${answer.text}`);
  return result.reference;
}

/** `GET exportRecords?reference=…` with `token` (raw: status, headers, body). */
export function download(baseUrl: string, reference: string | null, token?: string) {
  const query = reference === null ? '' : `?reference=${encodeURIComponent(reference)}`;
  return get(`${baseUrl}/exportRecords${query}`, token ? { Authorization: `Bearer ${token}` } : {});
}

/** The parsed lines of a download's body. */
export function recordLines(body: Buffer): RecordLine[] {
  return lines(body) as RecordLine[];
}

/** Appends an activity entry as the log writer does (accounts/activity-log.ts), at `at`. */
export async function seedActivity(uid: string, action: string, at: Date, details: Record<string, unknown> = {}): Promise<string> {
  const ref = db().collection('accounts').doc(uid).collection('activity').doc();
  await ref.set({ at: Timestamp.fromDate(at), actor: { uid, role: 'customer' }, action, details });
  return ref.id;
}

/** The stored records request. */
export async function storedRequest(reference: string): Promise<Record<string, unknown>> {
  return (await db().collection('recordRequests').doc(reference).get()).data() ?? {};
}
