import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GeoPoint, Timestamp, type Firestore } from 'firebase-admin/firestore';
import { openCopyDatabase, openRestoreSource, scratchProject } from '../../src/backups/copy-source';
import { runBackup } from '../../src/backups/run-backup';
import { restoreAccountContent } from '../../src/content/restore-account';
import type { Deps } from '../../src/deps';
import { backupDeps, PROJECT_ID, ROOT, tempBackupDir, useOwnFirestore, wipe } from './helpers';

// One seller's content comes back from a backup; the neighbour's content, every record and the
// account documents stay exactly as they are (same fields, same update time: not even rewritten).
const firestore = useOwnFirestore();
const localDir = tempBackupDir();
const env = () => ({ FIRESTORE_EMULATOR_HOST: firestore.host, BACKUP_LOCAL_DIR: localDir });
const depsNow = (): Deps => backupDeps(env()).deps;
const STAFF = 'ops@orderpally.test';
const RECORDS = ['invoices', 'breaches', 'activity', 'apiKeys', 'recordRequests'];

interface Stored {
  fields: unknown;
  updateTime: string;
}

/** Every document of the database (or of a named database) as path → typed REST fields and update time. */
async function dump(database = '(default)', project = PROJECT_ID): Promise<Map<string, Stored>> {
  const response = await fetch(`http://${firestore.host}/v1/projects/${project}/databases/${database}/documents:runQuery`, {
    method: 'POST',
    headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' },
    body: JSON.stringify({ structuredQuery: { from: [{ allDescendants: true }] } }),
  });
  const rows = (await response.json()) as Array<{ document?: { name: string; fields?: unknown; updateTime: string } }>;
  const out = new Map<string, Stored>();
  for (const row of rows) if (row.document) out.set(row.document.name.split('/documents/')[1] ?? '', { fields: row.document.fields ?? {}, updateTime: row.document.updateTime });
  return out;
}

/** Whether `p` is a content document of `uid` (under a first-level collection that is not a record). */
const isContentOf = (uid: string, p: string) => {
  const parts = p.split('/');
  return parts[0] === 'accounts' && parts[1] === uid && parts.length > 3 && !RECORDS.includes(parts[2] ?? '');
};
const fieldsOf = (m: Map<string, Stored>, keep: (p: string) => boolean) => new Map([...m].filter(([p]) => keep(p)).map(([p, d]) => [p, d.fields]));

function account(uid: string, overrides: Record<string, unknown> = {}) {
  return {
    uid,
    email: `${uid}@example.test`,
    status: 'active',
    termination: null,
    suspension: null,
    contract: { startsAt: Timestamp.fromMillis(1_700_000_000_000), endsAt: null },
    ...overrides,
  };
}

/** Two sellers with content five levels deep (a nested `invoices` is content) and every kind of record. */
async function seed(db: Firestore): Promise<void> {
  const batch = db.batch();
  for (const uid of ['seller-a', 'seller-b']) {
    const home = db.collection('accounts').doc(uid);
    batch.set(home, account(uid));
    batch.set(home.collection('stores').doc('s1'), {
      name: `${uid} 的直播小舖`,
      opened: new Timestamp(1_700_000_000, 123_456_000),
      place: new GeoPoint(25.03, 121.56),
      logo: Buffer.from(`logo-${uid}`),
      next: db.doc(`accounts/${uid}/stores/s2`),
      tags: ['live', 1, { nested: [true, 1.5] }],
    });
    batch.set(home.collection('stores').doc('s2'), { name: 'second' });
    for (const p of ['p1', 'p2', 'p3']) batch.set(home.collection('stores').doc('s1').collection('products').doc(p), { price: 100, sku: `${uid}-${p}` });
    batch.set(home.collection('stores').doc('s1').collection('products').doc('p1').collection('variants').doc('v1').collection('stock').doc('tw'), { qty: 7 });
    batch.set(home.collection('stores').doc('s1').collection('invoices').doc('i1'), { buyer: 'content, not a record' });
    for (let i = 1; i <= 5; i += 1) batch.set(home.collection('orders').doc(`o${i}`), { total: i * 10 });
    for (const record of RECORDS) batch.set(home.collection(record).doc('r1'), { record, at: Timestamp.fromMillis(1_700_000_000_000) });
  }
  batch.set(db.collection('counters').doc('INC-2026'), { last: 3 });
  await batch.commit();
}

/** What happened to both sellers after the backup: edits, deletions, a new order, changed records. */
async function changeAfterBackup(db: Firestore): Promise<void> {
  for (const uid of ['seller-a', 'seller-b']) {
    const home = db.collection('accounts').doc(uid);
    await home.collection('stores').doc('s1').update({ name: 'renamed', tags: [] });
    await home.collection('stores').doc('s1').collection('products').doc('p2').delete();
    await home.collection('stores').doc('s1').collection('products').doc('p1').collection('variants').doc('v1').collection('stock').doc('tw').delete();
    await home.collection('orders').doc('o6').set({ total: 60 });
    await home.collection('invoices').doc('r1').update({ status: 'paid' });
    await home.update({ displayName: `${uid} after the backup` });
  }
}

let backupId = '';
let atBackup = new Map<string, Stored>();

beforeAll(async () => {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  await wipe(firestore.host);
  await seed(depsNow().db);
  atBackup = await dump();
  const backup = await runBackup(depsNow());
  if (backup.status !== 'succeeded') throw new Error(`the backup failed: ${JSON.stringify(backup)}`);
  backupId = backup.backupId;
}, 180_000);

/** Restores seller A from the local backup. */
async function restoreA(write: boolean) {
  const deps = depsNow();
  const source = await openRestoreSource(deps, { backup: backupId });
  return restoreAccountContent(deps, source, { uid: 'seller-a', by: STAFF, write }).finally(() => source.close());
}

describe('restoring one seller\'s content from a local backup', () => {
  beforeAll(() => changeAfterBackup(depsNow().db));

  it('when the restore is a dry run, then it counts what it would create and overwrite and writes nothing', async () => {
    const before = await dump();
    const summary = await restoreA(false);
    expect(summary).toMatchObject({ dryRun: true, complete: true, backupId, documents: 12, created: 2, overwritten: 1, unchanged: 9 });
    expect(summary.collections).toEqual({
      orders: { documents: 5, created: 0, overwritten: 0, unchanged: 5, wholeDoubles: 0 },
      stores: { documents: 7, created: 2, overwritten: 1, unchanged: 4, wholeDoubles: 0 },
    });
    expect(await dump()).toEqual(before);
  }, 60_000);

  it('when seller A is restored, then A\'s content is as in the backup and B\'s content, every record and both accounts are untouched', async () => {
    const deps = depsNow();
    const before = await dump();
    const summary = await restoreA(true);
    expect(summary).toMatchObject({ dryRun: false, complete: true, documents: 12, created: 2, overwritten: 1, unchanged: 9 });

    const after = await dump();
    // A's content: every document of the backup is back, field for field (the reference names the live database).
    const restored = fieldsOf(after, (p) => isContentOf('seller-a', p) && p !== 'accounts/seller-a/orders/o6');
    expect(restored).toEqual(fieldsOf(atBackup, (p) => isContentOf('seller-a', p)));
    expect(after.get('accounts/seller-a/orders/o6')).toEqual(before.get('accounts/seller-a/orders/o6'));
    // Everything else, byte for byte and not even rewritten: one new activity entry on A is all.
    const [entry, ...more] = [...after.keys()].filter((p) => !before.has(p) && !isContentOf('seller-a', p));
    expect(more).toEqual([]);
    expect(entry).toMatch(/^accounts\/seller-a\/activity\//);
    const untouched = (p: string) => !isContentOf('seller-a', p) && p !== entry;
    expect(new Map([...after].filter(([p]) => untouched(p)))).toEqual(new Map([...before].filter(([p]) => untouched(p))));

    const activity = (await deps.db.doc(entry ?? '').get()).data();
    expect(activity).toMatchObject({
      action: 'content.restored',
      actor: { uid: null, role: 'admin' },
      details: { by: STAFF, backupId, complete: true, documents: 12, created: 2, overwritten: 1, unchanged: 9, collections: { orders: { documents: 5 }, stores: { documents: 7 } } },
    });
    // The scratch copy the backup went into is emptied again.
    expect((await dump('(default)', scratchProject(PROJECT_ID))).size).toBe(0);
  }, 60_000);

  it('when the restore runs again, then it finds every document already restored and writes nothing', async () => {
    await restoreA(true);
    const before = await dump();
    const summary = await restoreA(true);
    expect(summary).toMatchObject({ complete: true, documents: 12, created: 0, overwritten: 0, unchanged: 12 });
    const after = await dump();
    // Only the new activity entry: no content document was rewritten (same update times).
    expect([...after.keys()].filter((p) => !before.has(p))).toEqual([expect.stringMatching(/^accounts\/seller-a\/activity\//)]);
    for (const [p, d] of before) expect(after.get(p)).toEqual(d);
  }, 60_000);
});

describe('a one-account restore refused', () => {
  const attempt = async (uid: string, by = STAFF) => {
    const deps = depsNow();
    const before = await dump();
    const source = await openRestoreSource(deps, { backup: backupId });
    const outcome = await restoreAccountContent(deps, source, { uid, by, write: true }).then(
      () => 'written',
      (error: { reason?: string }) => error.reason,
    ).finally(() => source.close());
    expect(await dump()).toEqual(before);
    return outcome;
  };

  it('when the account is terminated, or its termination date has passed, then ACCOUNT_TERMINATED and nothing is written', async () => {
    const db = depsNow().db;
    await db.doc('accounts/seller-b').update({ status: 'terminated' });
    expect(await attempt('seller-b')).toBe('ACCOUNT_TERMINATED');
    // Still `terminating` in the database, but its date has come (processLifecycle has not run yet).
    const past = Timestamp.fromMillis(Date.now() - 60_000);
    await db.doc('accounts/seller-b').update({ status: 'terminating', termination: { kind: 'convenience', initiatedBy: 'customer', reason: 'closing', noticeAt: past, effectiveAt: past, contentDestroyedAt: null } });
    expect(await attempt('seller-b')).toBe('ACCOUNT_TERMINATED');
    await db.doc('accounts/seller-b').update({ status: 'active', termination: null });
  }, 60_000);

  it('when the account is not in the live database, then ACCOUNT_NOT_FOUND and nothing is written', async () => {
    expect(await attempt('no-such-seller')).toBe('ACCOUNT_NOT_FOUND');
  }, 60_000);

  it('when the uid is no document id or the staff member is blank, then INVALID_ARGUMENT and nothing is written', async () => {
    expect(await attempt('accounts/seller-a')).toBe('INVALID_ARGUMENT');
    expect(await attempt('seller-a', '   ')).toBe('INVALID_ARGUMENT');
    expect(await attempt('seller-a', 'ops\n@orderpally.test')).toBe('INVALID_ARGUMENT');
  }, 60_000);

  it('when the copy named is the live (default) database, then DATABASE_ID_INVALID', () => {
    let reason: string | undefined;
    try {
      openCopyDatabase(depsNow(), '(default)');
    } catch (error) {
      reason = (error as { reason?: string }).reason;
    }
    expect(reason).toBe('DATABASE_ID_INVALID');
  });
});

describe('restoring from a restored copy database (--from-database, as in production)', () => {
  const COPY = 'restore-20260101-000000';

  /** Typed values the JavaScript SDK cannot write: a double with a whole value, an int64 beyond 2^53. */
  async function restPatch(database: string, docPath: string, fields: Record<string, unknown>): Promise<void> {
    const response = await fetch(`http://${firestore.host}/v1/projects/${PROJECT_ID}/databases/${database}/documents/${docPath}`, {
      method: 'PATCH',
      headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' },
      body: JSON.stringify({ fields }),
    });
    expect(response.status).toBe(200);
  }

  it('when A is restored from a copy database, then its content matches the copy exactly (large integers too), references point at the live database', async () => {
    const deps = depsNow();
    const copy = openCopyDatabase(deps, COPY, 'backup-in-a-copy');
    await seed(copy.db);
    const exact = { big: { integerValue: '9007199254740993' }, whole: { doubleValue: 10 }, half: { doubleValue: 2.5 } };
    await restPatch(COPY, 'accounts/seller-a/ledger/l1', exact);
    await depsNow().db.doc('accounts/seller-a/stores/s1').update({ name: 'changed again' });
    const before = await dump();

    const summary = await restoreAccountContent(deps, copy, { uid: 'seller-a', by: 'support-uid-42', write: true }).finally(() => copy.close());
    expect(summary).toMatchObject({ complete: true, backupId: 'backup-in-a-copy', source: `database ${COPY} of ${PROJECT_ID}`, created: 1, overwritten: 1, wholeDoubles: 1 });
    const after = await dump();
    const fields = (p: string) => after.get(p)?.fields;
    // BigInt reads keep the int64 exact; a whole double comes back as the integer of the same value.
    expect(fields('accounts/seller-a/ledger/l1')).toEqual({ big: { integerValue: '9007199254740993' }, whole: { integerValue: '10' }, half: { doubleValue: 2.5 } });
    expect(fields('accounts/seller-a/stores/s1')).toEqual(atBackup.get('accounts/seller-a/stores/s1')?.fields);
    expect(JSON.stringify(fields('accounts/seller-a/stores/s1'))).toContain(`projects/${PROJECT_ID}/databases/(default)/documents/accounts/seller-a/stores/s2`);
    const others = (m: Map<string, Stored>) => new Map([...m].filter(([p]) => !isContentOf('seller-a', p) && !p.startsWith('accounts/seller-a/activity/')));
    expect(others(after)).toEqual(others(before));
  }, 60_000);
});

describe('npm run restore -- --account (the script)', () => {
  const script = (args: string[], extraEnv: Record<string, string> = {}) =>
    spawnSync(process.execPath, [path.join(ROOT, 'scripts/restore.mjs'), ...args, '--no-build'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env(), ...extraEnv },
      timeout: 90_000,
    });

  it('when run without --yes, then it prints the counts of a dry run and writes nothing; with --yes it restores and says so', async () => {
    const db = depsNow().db;
    await db.doc('accounts/seller-a/orders/o1').delete();
    await db.doc('accounts/seller-b/orders/o1').delete();
    const before = await dump();
    const dry = script(['--account', 'seller-a', backupId, '--by', STAFF]);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('DRY RUN');
    expect(dry.stdout).toContain('  orders: 5 documents (1 to create, 0 to overwrite, 4 unchanged)');
    expect(dry.stdout).toMatch(/in total: \d+ documents \(1 to create, \d+ to overwrite/);
    expect(await dump()).toEqual(before);

    const wet = script(['--account', 'seller-a', backupId, '--by', STAFF, '--yes']);
    expect(wet.stderr).toBe('');
    expect(wet.status).toBe(0);
    expect(wet.stdout).toContain('  orders: 5 documents (1 created, 0 overwritten, 4 unchanged)');
    expect(wet.stdout).toContain(`content.restored by ${STAFF}`);
    expect((await db.doc('accounts/seller-a/orders/o1').get()).data()).toEqual({ total: 10 });
    expect((await db.doc('accounts/seller-b/orders/o1').get()).exists).toBe(false);
  }, 120_000);

  it('when no staff member is named and gcloud has no account, or the account is unknown, then it refuses and writes nothing', async () => {
    const before = await dump();
    const anonymous = script(['--account', 'seller-a', backupId, '--yes'], { CLOUDSDK_CONFIG: mkdtempSync(path.join(os.tmpdir(), 'no-gcloud-')) });
    expect(anonymous.status).toBe(1);
    expect(anonymous.stderr).toContain('--by');
    const unknown = script(['--account', 'no-such-seller', backupId, '--by', STAFF, '--yes']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No account no-such-seller');
    expect(await dump()).toEqual(before);
  }, 120_000);
});
