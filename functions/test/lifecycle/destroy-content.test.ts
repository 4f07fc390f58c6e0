import type { Firestore } from 'firebase-admin/firestore';
import { destroyContent } from '../../src/lifecycle/destroy-content';
import { finaliseAccount } from '../../src/lifecycle/finalise';
import { refusingFirestore } from '../support/refusing-firestore';
import { DAY, MINUTE, T0, accountOf, depsAt, isolatedDb, plus, seedAccount, termination } from './helpers';

/*
 * Content and records interleaved in key order, so the walk meets records before, between and after
 * content: `a` < `activity` < `apiKeys` < `b` < `invoices` < `invoicesX` < `zz`. Records hold more
 * documents than a small page, with subcollections of their own; `invoicesX` starts right after
 * the bound that steps over `invoices`; `zz` lies under an ancestor that does not exist.
 */
const CONTENT = ['a/1', 'a/2', 'a/2/invoices/copy', 'b/1/c/1/d/1', 'invoicesX/1', 'zz/ghost/y/1'];
const RECORDS = [
  ...Array.from({ length: 7 }, (_, i) => `activity/e${i}`),
  'activity/e1/notes/n1',
  'apiKeys/k1',
  'apiKeys/k2',
  ...Array.from({ length: 5 }, (_, i) => `invoices/inv${i}`),
  'invoices/inv0/lines/l1',
];

async function seed(db: Firestore, uid: string, paths: readonly string[]): Promise<void> {
  const writer = db.bulkWriter({ throttling: false });
  for (const path of paths) void writer.set(db.doc(`accounts/${uid}/${path}`), { path });
  await writer.close();
}

/**
 * Every document below `accounts/{uid}` under the names seeded here, relative paths, sorted (a
 * collection-group walk); activity the code under test writes is left out.
 */
async function left(db: Firestore, uid: string): Promise<string[]> {
  const all = await Promise.all([...new Set([...CONTENT, ...RECORDS].flatMap((p) => p.split('/').filter((_, i) => i % 2 === 0)))].map((id) => db.collectionGroup(id).get()));
  const prefix = `accounts/${uid}/`;
  const paths = all.flatMap((snap) => snap.docs.map((d) => d.ref.path)).filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
  return paths.filter((p) => !p.startsWith('activity/') || RECORDS.includes(p)).sort();
}

describe('destroying an account’s content in one walk', () => {
  it.each([1, 2, 3, 5_000])('when pages hold %i name(s), then every content document goes, every record stays, and the neighbour is untouched', async (pageSize) => {
    const db = isolatedDb();
    const deps = depsAt(db, T0);
    await Promise.all([seed(db, 'u1', [...CONTENT, ...RECORDS]), seed(db, 'u1x', CONTENT), seed(db, 'u0', CONTENT)]);

    const destruction = await destroyContent(deps, 'u1', { pageSize });

    expect(destruction).toEqual({ collections: ['a', 'b', 'invoicesX', 'zz'], deleted: CONTENT.length, records: ['activity', 'apiKeys', 'invoices'] });
    expect(await left(db, 'u1')).toEqual([...RECORDS].sort());
    expect(await left(db, 'u1x')).toEqual([...CONTENT].sort());
    expect(await left(db, 'u0')).toEqual([...CONTENT].sort());
    // Done is done: a second walk finds nothing to delete.
    expect(await destroyContent(deps, 'u1', { pageSize })).toEqual({ collections: [], deleted: 0, records: ['activity', 'apiKeys', 'invoices'] });
  });

  it('when the step it waits for fails (sign-in could not be ended), then it deletes nothing and reports that failure', async () => {
    const db = isolatedDb();
    await seed(db, 'u1', [...CONTENT, ...RECORDS]);
    const refused = new Error('auth unavailable');

    await expect(destroyContent(depsAt(db, T0), 'u1', { ready: Promise.reject(refused) })).rejects.toBe(refused);

    expect(await left(db, 'u1')).toEqual([...CONTENT, ...RECORDS].sort());
  });

  it('when the account has no subcollections, then there is nothing to do', async () => {
    const db = isolatedDb();
    await db.doc('accounts/empty').set({ status: 'terminated' });
    expect(await destroyContent(depsAt(db, T0), 'empty')).toEqual({ collections: [], deleted: 0, records: [] });
    expect((await db.doc('accounts/empty').get()).exists).toBe(true);
  });

  it('when the database refuses the deletes, then finalisation fails without recording a destruction or holding the lease, and the next run finishes it', async () => {
    const db = isolatedDb();
    const effective = plus(T0, DAY);
    const { uid } = await seedAccount(db, { status: 'terminating', termination: termination(effective) });
    await seed(db, uid, [...CONTENT, ...RECORDS]);
    // BulkWriter's deletes are batched writes; the walk's queries and the claim pass.
    const refusing = await refusingFirestore(db, (method) => method === 'BatchWrite');
    try {
      await expect(finaliseAccount(depsAt(refusing.db, plus(effective, MINUTE)), uid)).rejects.toMatchObject({ code: 7 });
    } finally {
      await refusing.close();
    }

    expect(refusing.refused()).toBeGreaterThan(0);
    expect(await left(db, uid)).toEqual([...CONTENT, ...RECORDS].sort());
    const failed = await accountOf(db, uid);
    expect(failed).toMatchObject({ status: 'terminated', finaliseLease: null });
    expect(failed.termination?.contentDestroyedAt ?? null).toBeNull();

    expect(await finaliseAccount(depsAt(db, plus(effective, 2 * MINUTE)), uid)).toMatchObject({ outcome: 'resumed', deleted: CONTENT.length });
    expect(await left(db, uid)).toEqual([...RECORDS].sort());
    expect((await accountOf(db, uid)).termination?.contentDestroyedAt?.toMillis()).toBe(plus(effective, 2 * MINUTE).getTime());
  });
});
