import { FirebaseError } from 'firebase/app';
import { Timestamp } from 'firebase-admin/firestore';
import { getDeps } from '../../src/deps';
import type { ActivityView } from '../../src/activity/list-activity';
import { adminCreatedUser } from '../support/users';
import { useLocalFunctions } from '../support/local';

const local = useLocalFunctions();

type Page = { entries: ActivityView[]; nextPageToken: string | null };

async function seedActivity(uid: string, count: number) {
  const batch = getDeps().db.batch();
  const base = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < count; i += 1) {
    // Pairs share a timestamp, so pagination must break ties by id.
    batch.set(getDeps().db.collection(`accounts/${uid}/activity`).doc(), {
      at: Timestamp.fromMillis(base + Math.floor(i / 2) * 1000),
      actor: { uid, role: 'customer' },
      action: 'test.seeded',
      details: { i },
    });
  }
  await batch.commit();
}

describe('listActivity', () => {
  it('when the log has 25 entries, then pages of 10 return each exactly once, newest first', async () => {
    const { uid } = await adminCreatedUser(local.client);
    await seedActivity(uid, 25);
    const seen: ActivityView[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page: Page = await local.client.call<Page>('listActivity', token ? { pageSize: 10, pageToken: token } : { pageSize: 10 });
      seen.push(...page.entries);
      token = page.nextPageToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen.map((e) => e.id)).size).toBe(25);
    const times = seen.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(seen[0]).toMatchObject({ action: 'test.seeded', actor: { uid, role: 'customer' }, details: { i: 24 } });
  });

  it('when called without arguments, then the default page holds at most 20', async () => {
    const { uid } = await adminCreatedUser(local.client);
    await seedActivity(uid, 21);
    const page = await local.client.call<Page>('listActivity');
    expect(page.entries).toHaveLength(20);
    expect(page.nextPageToken).not.toBeNull();
  });

  it('when another customer lists, then they see none of this account', async () => {
    const first = await adminCreatedUser(local.client);
    await seedActivity(first.uid, 3);
    await adminCreatedUser(local.client);
    const page = await local.client.call<Page>('listActivity');
    expect(page.entries.filter((e) => e.actor.uid === first.uid)).toEqual([]);
  });

  it.each([
    [{ pageSize: 0 }],
    [{ pageSize: 101 }],
    [{ pageSize: '10' }],
    [{ pageToken: 'garbage' }],
    [{ pageToken: Buffer.from('[1,2,"../../x"]').toString('base64url') }],
    [{ uid: 'other' }],
  ])('when called with %j, then INVALID_ARGUMENT', async (data) => {
    await adminCreatedUser(local.client);
    const error = await local.client.call('listActivity', data).catch((e: FirebaseError) => e);
    expect((error as FirebaseError).code).toBe('functions/invalid-argument');
  });
});
