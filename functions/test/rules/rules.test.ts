// The complete Firestore rules matrix (DESIGN §3 "Rules", agreement clauses 1.1(b) and 3.2(b)):
// every collection × every principal × {get, list, create, update, delete} × every account state,
// each cell asserted against the real Firestore emulator with @firebase/rules-unit-testing.
//
// The expected outcome of every cell is written down as data (`expected` below), not derived from the
// rules. One `it` per (collection, state) runs all principal × operation cells and reports every
// mismatch by name, so a failure reads e.g. "content (stores) × terminating-unpaid × owner × get:
// expected allowed, was refused".
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
  type TokenOptions,
} from '@firebase/rules-unit-testing';
import {
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  query,
  setDoc,
  setLogLevel,
  Timestamp,
  updateDoc,
  where,
  writeBatch,
  type DocumentData,
  type Firestore,
} from 'firebase/firestore';

setLogLevel('silent'); // refusals are the expected outcome here, not warnings

const PROJECT_ID = 'demo-orderpally';
const DAY_MS = 24 * 60 * 60 * 1000;
// The emulator is shared with other test files (single project mode): every id this file writes
// carries a per-run prefix, and everything written is removed again in afterAll.
const RUN = `rules-${Date.now().toString(36)}`;

// ---- the dimensions ------------------------------------------------------------------------------

const OPS = ['get', 'list', 'create', 'update', 'delete'] as const;
type Op = (typeof OPS)[number];

/**
 * Principals. The five of the issue (anonymous, owner, other customer, support, admin) plus two more
 * ways of being the owner, which prove the "verified" condition on content reads and writes.
 */
const PRINCIPALS = ['anonymous', 'owner', 'ownerUnverified', 'ownerFacebook', 'otherCustomer', 'support', 'admin'] as const;
type Principal = (typeof PRINCIPALS)[number];
const OWNERS: readonly Principal[] = ['owner', 'ownerUnverified', 'ownerFacebook'];
const CORE_PRINCIPALS: readonly Principal[] = ['anonymous', 'owner', 'otherCustomer', 'support', 'admin'];

/**
 * Account states of the owner's account (DESIGN §4). The five of the issue plus edge cases: an
 * active account with a past-due invoice (3.2(b) only restricts the notice period); a terminating
 * account with an open invoice that is not yet due (not an amount due); and the two "ended, but
 * processLifecycle has not run yet" states: a terminating account whose effectiveAt has passed
 * (3.2(a)(i)) and an active one whose contract has ended (3.1(c)).
 */
interface StateSpec {
  status: 'active' | 'terminating' | 'suspended' | 'terminated';
  /** billing.earliestUnpaidDueAt relative to now, in days; null = nothing unpaid. */
  unpaidDueInDays: number | null;
  /** termination.effectiveAt relative to now, in days, for terminating/terminated accounts. */
  effectiveInDays?: number;
  /** contract.endsAt relative to now, in days; absent = no end date. */
  contractEndsInDays?: number;
  /**
   * Content readable and writable by a verified owner: in DESIGN §3 the notice period is full use
   * of the service, so reading and writing always go together.
   */
  contentUsable: boolean;
  core: boolean;
}
const STATES = {
  active: { status: 'active', unpaidDueInDays: null, contentUsable: true, core: true },
  'active-overdue': { status: 'active', unpaidDueInDays: -3, contentUsable: true, core: false },
  'active-contract-ended': { status: 'active', unpaidDueInDays: null, contractEndsInDays: -1, contentUsable: false, core: false },
  'terminating-paid': { status: 'terminating', unpaidDueInDays: null, contentUsable: true, core: true },
  'terminating-not-yet-due': { status: 'terminating', unpaidDueInDays: 10, contentUsable: true, core: false },
  'terminating-unpaid': { status: 'terminating', unpaidDueInDays: -3, contentUsable: false, core: true },
  'terminating-past-effectiveAt': { status: 'terminating', unpaidDueInDays: null, effectiveInDays: -1, contentUsable: false, core: false },
  suspended: { status: 'suspended', unpaidDueInDays: null, contentUsable: false, core: true },
  terminated: { status: 'terminated', unpaidDueInDays: null, contentUsable: false, core: true },
} as const satisfies Record<string, StateSpec>;
type State = keyof typeof STATES;
const STATE_NAMES = Object.keys(STATES) as State[];

/**
 * What the rules promise about a collection:
 * - account: the owner gets their own account document; nothing else.
 * - record: the owner reads (get + list) invoices, breaches, activity; nobody writes (functions only).
 * - content: customer content, readable/writable per the account state.
 * - public: anyone reads, nobody writes.
 * - closed: nobody, not even the owner or staff.
 */
type Kind = 'account' | 'record' | 'content' | 'public' | 'closed';

interface CollectionSpec {
  label: string;
  kind: Kind;
  /** The collection's path for the account owned by `uid`. */
  path: (uid: string) => string;
  /** Fields of a plausible document, so a refusal is never about the data shape. */
  data: (uid: string) => DocumentData;
}

const sub = (name: string): ((uid: string) => string) => (uid) => `accounts/${uid}/${name}`;
const top = (name: string): (() => string) => () => name;

const COLLECTIONS: CollectionSpec[] = [
  { label: 'accounts', kind: 'account', path: top('accounts'), data: (uid) => accountDoc(uid, 'active') },
  { label: 'accounts/{uid}/invoices', kind: 'record', path: sub('invoices'), data: () => ({ amount: 1000, currency: 'TWD', status: 'open' }) },
  { label: 'accounts/{uid}/breaches', kind: 'record', path: sub('breaches'), data: () => ({ description: 'late payment', status: 'open' }) },
  { label: 'accounts/{uid}/activity', kind: 'record', path: sub('activity'), data: (uid) => ({ action: 'account.created', actor: { uid, role: 'customer' } }) },
  { label: 'accounts/{uid}/apiKeys', kind: 'closed', path: sub('apiKeys'), data: () => ({ label: 'pos', hash: 'x', prefix: 'opk_abc', revokedAt: null }) },
  { label: 'accounts/{uid}/recordRequests', kind: 'closed', path: sub('recordRequests'), data: () => ({ scope: 'activity' }) },
  { label: 'content accounts/{uid}/stores', kind: 'content', path: sub('stores'), data: () => ({ name: 'Shop' }) },
  {
    label: 'content accounts/{uid}/stores/s1/products/p1/variants (depth 3)',
    kind: 'content',
    path: sub('stores/s1/products/p1/variants'),
    data: () => ({ sku: 'V-1' }),
  },
  {
    // Reserved names are reserved only directly under the account; below a content document they are content.
    label: 'content accounts/{uid}/stores/s1/invoices (reserved name, nested)',
    kind: 'content',
    path: sub('stores/s1/invoices'),
    data: () => ({ total: 1 }),
  },
  { label: 'incidents', kind: 'closed', path: top('incidents'), data: (uid) => ({ reporterUid: uid, status: 'received' }) },
  { label: 'recordRequests', kind: 'closed', path: top('recordRequests'), data: (uid) => ({ uid, scope: 'all' }) },
  { label: 'recordBundles', kind: 'closed', path: top('recordBundles'), data: (uid) => ({ uid, reference: 'REC-2026-000001', chunks: 1 }) },
  { label: 'recordBundles/{id}/chunks', kind: 'closed', path: () => 'recordBundles/b1/chunks', data: () => ({ index: 0, text: '{}\n' }) },
  { label: 'serviceNotices', kind: 'public', path: top('serviceNotices'), data: () => ({ title: 'SLA', kind: 'sla' }) },
  { label: 'mail', kind: 'closed', path: top('mail'), data: (uid) => ({ to: `${uid}@example.test`, status: 'sent' }) },
  { label: 'backups', kind: 'closed', path: top('backups'), data: () => ({ status: 'succeeded' }) },
  { label: 'counters', kind: 'closed', path: top('counters'), data: () => ({ next: 1 }) },
  { label: 'rateLimits', kind: 'closed', path: top('rateLimits'), data: () => ({ count: 1 }) },
  { label: 'apiKeyIndex', kind: 'closed', path: top('apiKeyIndex'), data: (uid) => ({ uid, keyId: 'k1' }) },
  { label: 'signInHistory', kind: 'closed', path: top('signInHistory'), data: (uid) => ({ uid, devices: [], networks: [] }) },
  { label: 'breachDeadlines', kind: 'closed', path: top('breachDeadlines'), data: (uid) => ({ uid, breachId: 'b1' }) },
  { label: 'auditLog', kind: 'closed', path: top('auditLog'), data: (uid) => ({ uid, action: 'role.granted' }) },
  { label: 'noticeFanouts', kind: 'closed', path: top('noticeFanouts'), data: () => ({ cursor: null }) },
  { label: 'inbox', kind: 'closed', path: top('inbox'), data: (uid) => ({ uid, kind: 'serviceNotice.announcement', title: 't', body: 'b', readAt: null, mailId: null }) },
  { label: 'contactEmailChallenges', kind: 'closed', path: top('contactEmailChallenges'), data: () => ({ email: 'a@example.test', codeHash: 'x', attemptsLeft: 5 }) },
];

/** The matrix: the expected outcome (true = allowed) of one cell. */
function expected(kind: Kind, principal: Principal, op: Op, state: State): boolean {
  const isOwner = OWNERS.includes(principal);
  const read = op === 'get' || op === 'list';
  switch (kind) {
    case 'account':
      return isOwner && op === 'get'; // any state; no list, no writes
    case 'record':
      return isOwner && read; // any state; functions write
    case 'content': // reads and writes alike: the verified owner, while the state allows use
      return isOwner && principal !== 'ownerUnverified' && STATES[state].contentUsable;
    case 'public':
      return read;
    case 'closed':
      return false;
  }
}

// ---- principals ----------------------------------------------------------------------------------

const OTHER_UID = `${RUN}-other`;
const ownerUid = (state: State): string => `${RUN}-owner-${state}`;

function token(email: string, verified: boolean, provider: 'password' | 'facebook.com', claims: Record<string, unknown> = {}): TokenOptions {
  return {
    email,
    email_verified: verified,
    firebase: { sign_in_provider: provider, identities: provider === 'facebook.com' ? { 'facebook.com': ['1234567890'] } : { email: [email] } },
    ...claims,
  };
}

let env: RulesTestEnvironment;
const dbCache = new Map<string, Firestore>();

function db(principal: Principal, state: State): Firestore {
  const key = OWNERS.includes(principal) ? `${principal}:${state}` : principal;
  let firestore = dbCache.get(key);
  if (!firestore) {
    const uid = ownerUid(state);
    const context = {
      anonymous: () => env.unauthenticatedContext(),
      owner: () => env.authenticatedContext(uid, token(`${uid}@example.test`, true, 'password')),
      ownerUnverified: () => env.authenticatedContext(uid, token(`${uid}@example.test`, false, 'password')),
      ownerFacebook: () => env.authenticatedContext(uid, token(`${uid}@example.test`, false, 'facebook.com')),
      otherCustomer: () => env.authenticatedContext(OTHER_UID, token('other@example.test', true, 'password')),
      support: () => env.authenticatedContext(`${RUN}-support`, token('support@orderpally.test', true, 'password', { role: 'support' })),
      admin: () => env.authenticatedContext(`${RUN}-admin`, token('admin@orderpally.test', true, 'password', { role: 'admin' })),
    }[principal]();
    firestore = context.firestore() as unknown as Firestore;
    dbCache.set(key, firestore);
  }
  return firestore;
}

// ---- fixtures ------------------------------------------------------------------------------------

function accountDoc(uid: string, state: State): DocumentData {
  const spec: StateSpec = STATES[state];
  const now = Date.now();
  const ts = (offsetDays: number): Timestamp => Timestamp.fromMillis(now + offsetDays * DAY_MS);
  const terminating = spec.status === 'terminating' || spec.status === 'terminated';
  return {
    uid,
    email: `${uid}@example.test`,
    displayName: 'Rules Matrix',
    providers: ['password'],
    emailVerified: true,
    locale: 'zh-TW',
    status: spec.status,
    createdAt: ts(-100),
    updatedAt: ts(-1),
    contract: { startsAt: ts(-100), endsAt: spec.contractEndsInDays === undefined ? null : ts(spec.contractEndsInDays) },
    // Effective dates lie far ahead, so no lifecycle sweep in another test acts on these fixtures,
    // except in the states about a date that has passed (a sweep there would leave the same cells).
    termination: terminating
      ? { kind: 'convenience', initiatedBy: 'customer', reason: null, noticeAt: ts(-2), effectiveAt: ts(spec.effectiveInDays ?? 365), contentDestroyedAt: null }
      : null,
    suspension: spec.status === 'suspended' ? { reason: 'review', since: ts(-1), note: '' } : null,
    billing: {
      amountDue: spec.unpaidDueInDays !== null && spec.unpaidDueInDays < 0 ? 1000 : 0,
      currency: 'TWD',
      earliestUnpaidDueAt: spec.unpaidDueInDays === null ? null : ts(spec.unpaidDueInDays),
    },
  };
}

// Document ids within a collection, per state (top-level collections are shared by all states).
const mainId = (state: State): string => `${RUN}-${state}-doc`;
const newId = (state: State, p: Principal): string => `${RUN}-${state}-new-${p}`;
const delId = (state: State, p: Principal): string => `${RUN}-${state}-del-${p}`;

/** Every path this file wrote or let a client create, for cleanup. */
const written = new Set<string>();

async function seed(entries: [string, DocumentData][]): Promise<void> {
  await env.withSecurityRulesDisabled(async (ctx) => {
    const admin = ctx.firestore() as unknown as Firestore;
    for (let i = 0; i < entries.length; i += 400) {
      const batch = writeBatch(admin);
      for (const [docPath, data] of entries.slice(i, i + 400)) {
        batch.set(doc(admin, docPath), data);
        written.add(docPath);
      }
      await batch.commit();
    }
  });
}

function fixtures(): [string, DocumentData][] {
  const entries: [string, DocumentData][] = [];
  for (const state of STATE_NAMES) {
    const uid = ownerUid(state);
    entries.push([`accounts/${uid}`, accountDoc(uid, state)]);
    // Parents of the nested content collections exist, as they would in a real store.
    entries.push([`accounts/${uid}/stores/s1`, { name: 'Shop' }]);
    entries.push([`accounts/${uid}/stores/s1/products/p1`, { name: 'Tea' }]);
    for (const c of COLLECTIONS) {
      if (c.kind === 'account') continue;
      const base = c.path(uid);
      entries.push([`${base}/${mainId(state)}`, c.data(uid)]);
      for (const p of PRINCIPALS) entries.push([`${base}/${delId(state, p)}`, c.data(uid)]);
    }
  }
  // The other customer: an active, paid-up account with its own content and records.
  entries.push([`accounts/${OTHER_UID}`, accountDoc(OTHER_UID, 'active')]);
  entries.push([`accounts/${OTHER_UID}/stores/s1`, { name: 'Other shop' }]);
  entries.push([`accounts/${OTHER_UID}/invoices/i1`, { amount: 1, currency: 'TWD', status: 'paid' }]);
  return entries;
}

// ---- running one cell ----------------------------------------------------------------------------

interface Cell {
  collection: CollectionSpec;
  state: State;
  principal: Principal;
  op: Op;
}

function describeCell({ collection: c, state, principal, op }: Cell): string {
  return `${c.label} × ${state} × ${principal} × ${op}`;
}

/** Performs the operation of one cell as its principal. */
function attempt({ collection: c, state, principal, op }: Cell): Promise<unknown> {
  const firestore = db(principal, state);
  const uid = ownerUid(state);
  const stamp = { touchedBy: principal };
  if (c.kind === 'account') {
    const own = doc(firestore, `accounts/${uid}`);
    switch (op) {
      case 'get':
        return getDoc(own);
      case 'list': // the most favourable query a client could make: only the owner's own document
        return getDocs(query(collection(firestore, 'accounts'), where('uid', '==', uid)));
      case 'create': // the account document is absent during this op (see runCells): a self-made account
        return setDoc(own, accountDoc(uid, 'active'));
      case 'update': // e.g. a customer reactivating or clearing their own debt
        return updateDoc(own, { status: 'active', 'billing.earliestUnpaidDueAt': null, ...stamp });
      case 'delete':
        return deleteDoc(own);
    }
  }
  const base = c.path(uid);
  switch (op) {
    case 'get':
      return getDoc(doc(firestore, `${base}/${mainId(state)}`));
    case 'list':
      return getDocs(collection(firestore, base));
    case 'create':
      written.add(`${base}/${newId(state, principal)}`);
      return setDoc(doc(firestore, `${base}/${newId(state, principal)}`), { ...c.data(uid), ...stamp });
    case 'update':
      return updateDoc(doc(firestore, `${base}/${mainId(state)}`), stamp);
    case 'delete':
      return deleteDoc(doc(firestore, `${base}/${delId(state, principal)}`));
  }
}

let cellsAsserted = 0;
let coreCellsAsserted = 0;

/** Asserts one cell; returns a description of the mismatch, or null. */
async function check(cell: Cell): Promise<string | null> {
  const allowed = expected(cell.collection.kind, cell.principal, cell.op, cell.state);
  cellsAsserted += 1;
  if (STATES[cell.state].core && CORE_PRINCIPALS.includes(cell.principal)) coreCellsAsserted += 1;
  for (let attemptNo = 1; ; attemptNo += 1) {
    try {
      await (allowed ? assertSucceeds(attempt(cell)) : assertFails(attempt(cell)));
      return null;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A loaded machine can starve the SDK's stream past its 10 s connect timeout; the SDK then
      // answers a read with "client is offline" (code unavailable), which says nothing about the
      // rules. Such a cell is tried again; any other outcome is the cell's verdict.
      if (attemptNo < 4 && isTransient(error)) continue;
      return `${describeCell(cell)}: expected ${allowed ? 'allowed' : 'refused'} (${message.split('\n')[0]})`;
    }
  }
}

/** The SDK's answer when it could not reach the emulator in time, not a rules decision. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code === 'unavailable' || /client is offline/.test(message);
}

/**
 * Runs every principal × operation cell of one (collection, state), concurrently: each principal
 * creates and deletes its own documents, so no cell depends on another's outcome. Creating and
 * deleting the account document itself are the exception: those cells run one at a time against the
 * owner's account fixture (absent while `create` is tried), which is put back after any attempt that
 * wrongly succeeded.
 */
async function runCells(c: CollectionSpec, state: State): Promise<string[]> {
  const all = OPS.flatMap((op) => PRINCIPALS.map((principal): Cell => ({ collection: c, state, principal, op })));
  const exclusive = (cell: Cell): boolean => c.kind === 'account' && (cell.op === 'create' || cell.op === 'delete');
  const failures = await Promise.all(all.filter((cell) => !exclusive(cell)).map(check));
  const exclusiveCells = all.filter(exclusive);
  if (exclusiveCells.length > 0) {
    const uid = ownerUid(state);
    await env.withSecurityRulesDisabled(async (ctx) => {
      const fixture = doc(ctx.firestore() as unknown as Firestore, `accounts/${uid}`);
      const restore = (): Promise<void> => setDoc(fixture, accountDoc(uid, state));
      for (const op of ['create', 'delete'] as const) {
        if (op === 'create') await deleteDoc(fixture);
        for (const cell of exclusiveCells.filter((x) => x.op === op)) {
          const failure = await check(cell);
          failures.push(failure);
          if (failure && op === 'create') await deleteDoc(fixture);
          if (failure && op === 'delete') await restore();
        }
        if (op === 'create') await restore();
      }
    });
  }
  return failures.filter((f): f is string => f !== null);
}

// ---- tests ---------------------------------------------------------------------------------------

beforeAll(async () => {
  const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? '').split(':');
  env = await initializeTestEnvironment({
    projectId: PROJECT_ID,
    firestore: { host, port: Number(port), rules: readFileSync(path.join(__dirname, '../../../firestore.rules'), 'utf8') },
  });
  await seed(fixtures());
});

afterAll(async () => {
  console.log(
    `rules matrix: ${cellsAsserted} cells (${COLLECTIONS.length} collections × ${PRINCIPALS.length} principals × ` +
      `${OPS.length} operations × ${STATE_NAMES.length} account states); the issue's core matrix ` +
      `(5 principals × 5 states) is ${coreCellsAsserted} of them`,
  );
  if (env) {
    await env.withSecurityRulesDisabled(async (ctx) => {
      const admin = ctx.firestore() as unknown as Firestore;
      const paths = [...written];
      for (let i = 0; i < paths.length; i += 400) {
        const batch = writeBatch(admin);
        for (const p of paths.slice(i, i + 400)) batch.delete(doc(admin, p));
        await batch.commit();
      }
    });
    await env.cleanup();
  }
});

describe('firestore.rules: the complete matrix (collection × principal × operation × account state)', () => {
  describe.each(COLLECTIONS.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    it.each(STATE_NAMES)('with the owner account %s, every principal × operation cell is as specified', async (state) => {
      const failures = await runCells(c, state);
      expect(failures).toEqual([]);
      // Generous: run first on a fresh machine, the emulator's rules engine is still cold, and a
      // cell whose client went offline is tried again after the SDK's 10 s connect timeout.
    }, 240_000);
  });
});

describe('firestore.rules: isolation and edge cases', () => {
  const owner = (): Firestore => db('owner', 'active');
  const other = (): Firestore => db('otherCustomer', 'active');

  it('when the other customer uses their own account, then they have full access to it (the refusals above are isolation, not a broken principal)', async () => {
    await assertSucceeds(getDoc(doc(other(), `accounts/${OTHER_UID}`)));
    await assertSucceeds(getDocs(collection(other(), `accounts/${OTHER_UID}/invoices`)));
    await assertSucceeds(getDocs(collection(other(), `accounts/${OTHER_UID}/stores`)));
    written.add(`accounts/${OTHER_UID}/stores/s2`);
    await assertSucceeds(setDoc(doc(other(), `accounts/${OTHER_UID}/stores/s2`), { name: 'Second shop' }));
  });

  it("when an owner reaches into the other customer's account, then every read and write is refused", async () => {
    const base = `accounts/${OTHER_UID}`;
    await assertFails(getDoc(doc(owner(), base)));
    await assertFails(getDoc(doc(owner(), `${base}/invoices/i1`)));
    await assertFails(getDocs(collection(owner(), `${base}/invoices`)));
    await assertFails(getDoc(doc(owner(), `${base}/stores/s1`)));
    await assertFails(getDocs(collection(owner(), `${base}/stores`)));
    await assertFails(setDoc(doc(owner(), `${base}/stores/s1`), { name: 'hijacked' }));
    await assertFails(deleteDoc(doc(owner(), `${base}/stores/s1`)));
  });

  it('when anyone runs a collection-group query over content or records, then it is refused (no rule spans accounts)', async () => {
    await assertFails(getDocs(collectionGroup(owner(), 'stores')));
    await assertFails(getDocs(query(collectionGroup(owner(), 'invoices'), where('status', '==', 'open'))));
    await assertFails(getDocs(collectionGroup(db('admin', 'active'), 'stores')));
  });

  it('when an owner lists the accounts collection without a filter, then it is refused', async () => {
    await assertFails(getDocs(collection(owner(), 'accounts')));
  });

  it('when an owner touches documents nested under a reserved collection, then they are not content and stay closed', async () => {
    const uid = ownerUid('active');
    await seed([
      [`accounts/${uid}/invoices/i1/notes/n1`, { text: 'x' }],
      [`accounts/${uid}/apiKeys/k1/usage/u1`, { count: 1 }],
    ]);
    await assertFails(getDoc(doc(owner(), `accounts/${uid}/invoices/i1/notes/n1`)));
    await assertFails(getDoc(doc(owner(), `accounts/${uid}/apiKeys/k1/usage/u1`)));
    written.add(`accounts/${uid}/activity/${RUN}-forged/details/d1`);
    await assertFails(setDoc(doc(owner(), `accounts/${uid}/activity/${RUN}-forged/details/d1`), { forged: true }));
  });

  it('when a signed-in user has no account document, then they can neither read nor write content', async () => {
    const uid = `${RUN}-no-account`;
    const ghost = env.authenticatedContext(uid, token(`${uid}@example.test`, true, 'password')).firestore() as unknown as Firestore;
    await assertFails(getDocs(collection(ghost, `accounts/${uid}/stores`)));
    written.add(`accounts/${uid}/stores/s1`);
    await assertFails(setDoc(doc(ghost, `accounts/${uid}/stores/s1`), { name: 'Shop' }));
    await assertFails(setDoc(doc(ghost, `accounts/${uid}`), accountDoc(uid, 'active')));
  });

  it('when a terminating account has no billing map (malformed), then content retrieval fails closed', async () => {
    const uid = `${RUN}-malformed`;
    const withoutBilling = accountDoc(uid, 'terminating-paid');
    delete withoutBilling.billing;
    await seed([
      [`accounts/${uid}`, withoutBilling],
      [`accounts/${uid}/stores/s1`, { name: 'Shop' }],
    ]);
    const mine = env.authenticatedContext(uid, token(`${uid}@example.test`, true, 'password')).firestore() as unknown as Firestore;
    await assertFails(getDoc(doc(mine, `accounts/${uid}/stores/s1`)));
    await assertSucceeds(getDoc(doc(mine, `accounts/${uid}`)));
  });

  it('when anyone reads or writes a collection that no rule names, then it is refused (deny by default)', async () => {
    written.add(`${RUN}-unlisted/doc`);
    for (const principal of PRINCIPALS) {
      const firestore = db(principal, 'active');
      await assertFails(getDoc(doc(firestore, `${RUN}-unlisted/doc`)));
      await assertFails(setDoc(doc(firestore, `${RUN}-unlisted/doc`), { x: 1 }));
    }
  });
});
