// `node bench/lifecycle.mjs`: the lifecycle sweep against the Firestore emulator, the Auth
// emulator and MailDev (free ports, started here). Builds functions/ first unless
// ORDERPALLY_BENCH_BUILT=1 (`npm run bench` built it). Three rows, merged into bench/results.json
// ({name, unit, value, baseline, ratio}):
// - destroy.50k: finaliseAccount on a due account holding 50,000 content documents (20,000
//   orders/o, 20,000 stores/s/products/p, 10,000 stores/s/products/p/variants/v, plus 20 stores)
//   vs. a raw db.recursiveDelete of the same collections of a twin account, on a fresh client
//   (its default BulkWriter, as ours, starts at 500 ops/s), same run. Target ratio <= 1.10.
// - lifecycle.1k: 1,000 due accounts, each with 20 content documents (stores/s1 and 19 orders
//   under it) and a real Auth user (imported), finalised by processLifecycle runs (default limits)
//   until nothing is due: terminated, user disabled and tokens revoked, content destroyed,
//   recorded, final notice committed to the outbox (deliverMail sends it: the mail.1000 row
//   measures that; checked here to be there once per account). Baseline: a raw script doing the minimum for the same accounts
//   of a twin database at the same concurrency (LIFECYCLE_LIMITS.concurrency): status update,
//   disable the user, revoke its tokens, recursiveDelete of its content collection. The accounts
//   fall due in three groups (200, 600, 200; 60 days apart, so no group is ever in another's
//   reminder window), each a round: ours moves its clock to the group's date, the raw script takes
//   the group's uids; the order flips every round. A group of 20 falls due first and is a warm-up
//   round for every side, unrecorded: whoever runs first in a fresh run otherwise pays for the
//   emulators' own warm-up. Target ratio <= 1.30.
// - lifecycle.1k.listed (no target): ours against the same raw minimum that first lists the
//   account's collections (listCollections), as any code must that deletes content whose
//   collection names it does not know; a third twin database takes part in every round.
// - lifecycle.scaling: from the same run, the time for the 600-account group ÷ 3 × the mean time
//   of the two 200-account groups. All rounds run in the same database of 1,020 accounts (the
//   emulator answers listCollections and all-descendants queries by scanning the whole database,
//   which production's indexes do not; ours walks each account once, raw deletes one collection):
//   the big group runs when its database is half destroyed,
//   the small ones when it is full and nearly empty, so on average each sees the same amount of
//   data. Target ratio <= 1.20.
// LIFECYCLE_BENCH_SCALE=0.1 runs everything at a tenth of the size, for a quick check; results
// are then printed, not written. Exits 1 only when the bench itself fails (keeping its logs).
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchSession, mergeResults, runBench } from '../scripts/lib/bench.mjs';
import { ROOT, freePort, startAuth, startFirestore, startMaildev } from '../scripts/lib/stack.mjs';
import { printTable } from './targets.mjs';

const PROJECT_ID = 'demo-orderpally';
const DAY = 86_400_000;
const SCALE = Number(process.env.LIFECYCLE_BENCH_SCALE || 1);
const scaled = (n) => Math.max(1, Math.round(n * SCALE));

const session = benchSession('lifecycle');
const { logDir, services, run } = session;

async function main() {
  const [firestorePort, authPort, hubPort, loggingPort, smtpPort, webPort] = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  services.push(
    startFirestore({ port: firestorePort, projectId: PROJECT_ID, logDir }),
    startAuth({ port: authPort, hubPort, loggingPort, projectId: PROJECT_ID, logDir }),
    startMaildev({ smtpPort, webPort, logDir }),
  );
  const built = process.env.ORDERPALLY_BENCH_BUILT === '1';
  console.log(`[lifecycle] ${built ? '' : 'building functions, '}starting the Firestore and Auth emulators and MailDev…`);
  const build = built ? Promise.resolve() : run('npm', ['run', 'build', '--silent']);
  const ready = await Promise.allSettled([build, ...services]);
  const failure = ready.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  const [, firestore, auth, maildev] = ready.map((r) => r.value);
  Object.assign(process.env, {
    GCLOUD_PROJECT: PROJECT_ID,
    FIRESTORE_EMULATOR_HOST: firestore.host,
    FIREBASE_AUTH_EMULATOR_HOST: auth.host,
    SMTP_URL: maildev.smtpUrl,
    LOG_LEVEL: 'ERROR',
    METADATA_SERVER_DETECTION: 'none',
  });

  const require = createRequire(import.meta.url);
  const lib = (p) => require(path.join(ROOT, 'functions', 'lib', p));
  const { loadConfig } = lib('config.js');
  const { createDeps } = lib('deps.js');
  const { finaliseAccount } = lib('lifecycle/finalise.js');
  const { processLifecycle } = lib('lifecycle/process-lifecycle.js');
  const { LIFECYCLE_LIMITS } = lib('lifecycle/sweep.js');
  const { initializeApp } = require('firebase-admin/app');
  const { getFirestore, Timestamp } = require('firebase-admin/firestore');
  const { getAuth } = require('firebase-admin/auth');
  const config = loadConfig();
  const appFor = (name) => initializeApp({ projectId: PROJECT_ID }, name);
  const database = (name, app = appFor(`bench-${name}`)) => getFirestore(app, name);
  const authAdmin = getAuth(appFor('bench-auth'));

  const now = new Date();
  const account = (uid, overrides = {}) => ({
    uid,
    email: `${uid}@example.test`,
    displayName: null,
    providers: ['password'],
    emailVerified: true,
    locale: 'zh-TW',
    status: 'terminating',
    createdAt: Timestamp.fromMillis(now.getTime() - 90 * DAY),
    updatedAt: Timestamp.fromMillis(now.getTime() - 30 * DAY),
    contract: { startsAt: Timestamp.fromMillis(now.getTime() - 90 * DAY), endsAt: null },
    termination: {
      kind: 'convenience',
      initiatedBy: 'customer',
      reason: 'Requested by the customer',
      noticeAt: Timestamp.fromMillis(now.getTime() - 30 * DAY),
      effectiveAt: Timestamp.fromMillis(now.getTime() - 60_000),
      contentDestroyedAt: null,
    },
    suspension: null,
    billing: { amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: null },
    ...overrides,
  });

  // ---- destroy.50k -------------------------------------------------------------------------
  async function seedBig(db, uid) {
    const writer = db.bulkWriter({ throttling: false });
    void writer.set(db.doc(`accounts/${uid}`), account(uid));
    void writer.set(db.doc(`accounts/${uid}/invoices/inv1`), { amount: 1000, status: 'paid' });
    const line = { name: 'A product with a name of ordinary length', price: 1200, tags: ['a', 'b', 'c'] };
    for (let i = 0; i < scaled(20_000); i += 1) void writer.set(db.doc(`accounts/${uid}/orders/o${i}`), { ...line, i });
    for (let s = 0; s < 20; s += 1) {
      void writer.set(db.doc(`accounts/${uid}/stores/s${s}`), { name: `store ${s}` });
      for (let p = 0; p < scaled(1_000); p += 1) {
        void writer.set(db.doc(`accounts/${uid}/stores/s${s}/products/p${p}`), { ...line, p });
        if (p < scaled(500)) void writer.set(db.doc(`accounts/${uid}/stores/s${s}/products/p${p}/variants/v0`), { ...line, size: 'M' });
      }
    }
    await writer.close();
  }

  console.log(`[lifecycle] destroy.50k: seeding two accounts of ${scaled(20_000) + 20 * (1 + scaled(1_000) + scaled(500))} content documents each…`);
  const destroyDb = database('destroy');
  await Promise.all([seedBig(destroyDb, 'ours'), seedBig(destroyDb, 'raw')]);
  const rawDb = database('destroy', appFor('bench-raw'));
  const deps = createDeps(config, { db: destroyDb, auth: authAdmin });
  // The order flips nothing here (one round each: 50k deletes take ~100 s at BulkWriter's
  // starting rate); the raw deletion goes first, on a client of its own.
  console.log('[lifecycle] destroy.50k: measuring (raw, then ours)…');
  let started = performance.now();
  await Promise.all(['orders', 'stores'].map((c) => rawDb.recursiveDelete(rawDb.collection(`accounts/raw/${c}`))));
  const rawMs = performance.now() - started;
  console.log(`  raw recursiveDelete: ${rawMs.toFixed(0)} ms`);
  started = performance.now();
  const result = await finaliseAccount(deps, 'ours');
  const oursMs = performance.now() - started;
  console.log(`  finaliseAccount:     ${oursMs.toFixed(0)} ms (${result.outcome}, ${result.deleted} deleted)`);
  if (result.outcome !== 'finalised' || result.deleted !== scaled(20_000) + 20 * (1 + scaled(1_000) + scaled(500))) throw new Error(`finaliseAccount did not destroy everything: ${JSON.stringify(result)}`);
  for (const uid of ['ours', 'raw']) {
    const left = (await destroyDb.doc(`accounts/${uid}`).listCollections()).map((c) => c.id).filter((id) => id === 'orders' || id === 'stores');
    if (left.length > 0) throw new Error(`accounts/${uid} still has ${left.join(', ')}`);
  }

  // ---- lifecycle.1k and lifecycle.scaling -------------------------------------------------
  // Group 0 is a warm-up, unrecorded: the first side to run in a fresh run pays for the
  // emulators' own warm-up (JIT, the heap left by destroy.50k), whichever side it is.
  const GROUPS = [scaled(20), scaled(200), scaled(600), scaled(200)];
  const MEASURED = GROUPS.slice(1);
  const ACCOUNTS = GROUPS.reduce((a, b) => a + b, 0);
  const CONTENT = 20;
  const GROUP_GAP = 60 * DAY;
  const concurrency = LIFECYCLE_LIMITS.concurrency;
  const groupOf = (i) => GROUPS.findIndex((_, g) => i < GROUPS.slice(0, g + 1).reduce((a, b) => a + b, 0));
  const uidsOf = (prefix, g) => {
    const first = GROUPS.slice(0, g).reduce((a, b) => a + b, 0);
    return Array.from({ length: GROUPS[g] }, (_, k) => `${prefix}${first + k}`);
  };

  /** `ACCOUNTS` accounts with a real Auth user each; group g falls due g × 60 days after now. */
  async function seedMany(db, prefix) {
    for (let start = 0; start < ACCOUNTS; start += 1_000) {
      const users = Array.from({ length: Math.min(1_000, ACCOUNTS - start) }, (_, k) => ({ uid: `${prefix}${start + k}`, email: `${prefix}${start + k}@example.test` }));
      const imported = await authAdmin.importUsers(users);
      if (imported.failureCount > 0) throw new Error(`importing users failed: ${JSON.stringify(imported.errors[0])}`);
    }
    const writer = db.bulkWriter({ throttling: false });
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const uid = `${prefix}${i}`;
      const doc = account(uid);
      const effectiveAt = Timestamp.fromMillis(doc.termination.effectiveAt.toMillis() + groupOf(i) * GROUP_GAP);
      void writer.set(db.doc(`accounts/${uid}`), { ...doc, termination: { ...doc.termination, effectiveAt } });
      void writer.set(db.doc(`accounts/${uid}/stores/s1`), { name: 'store' });
      for (let o = 1; o < CONTENT; o += 1) void writer.set(db.doc(`accounts/${uid}/stores/s1/orders/o${o}`), { total: 1200 + o, items: ['tea', 'cake'] });
    }
    await writer.close();
  }

  const oursDb = database('lifecycle-ours');
  const rawApp = appFor('bench-lifecycle-raw');
  const twinDb = database('lifecycle-raw', rawApp);
  const listedDb = database('lifecycle-listed', rawApp);
  const rawAuth = getAuth(rawApp);
  console.log(`[lifecycle] lifecycle.1k: seeding three databases of ${ACCOUNTS} accounts (${CONTENT} content documents and an Auth user each)…`);
  await Promise.all([seedMany(oursDb, 'o'), seedMany(twinDb, 'r'), seedMany(listedDb, 'l')]);

  /** Ours: processLifecycle runs (default limits) on a clock at group g's date, until nothing is due. */
  async function oursRound(g) {
    const offset = g * GROUP_GAP;
    const sweepDeps = createDeps(config, { db: oursDb, auth: authAdmin, clock: { now: () => new Date(Date.now() + offset) } });
    const t0 = performance.now();
    let finalised = 0;
    for (let runs = 0; runs < 50; runs += 1) {
      const summary = await processLifecycle(sweepDeps);
      finalised += summary.finalised;
      if (summary.failed > 0 || summary.busy > 0) throw new Error(`a run failed items: ${JSON.stringify(summary)}`);
      if (summary.remaining === 0) break;
    }
    const ms = performance.now() - t0;
    if (finalised !== GROUPS[g]) throw new Error(`${finalised} of ${GROUPS[g]} accounts finalised`);
    return ms;
  }

  /**
   * The raw minimum, `concurrency` accounts at a time. With `listing`, the content's collections
   * are not taken as known (they are the customer's: any name but the reserved ones) but listed
   * first, each then deleted: informational, it shows what of ours is discovery.
   */
  async function rawRound(g, { db = twinDb, prefix = 'r', listing = false } = {}) {
    const uids = uidsOf(prefix, g);
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < uids.length) {
        const uid = uids[next++];
        await db.doc(`accounts/${uid}`).update({ status: 'terminated' });
        await rawAuth.updateUser(uid, { disabled: true });
        await rawAuth.revokeRefreshTokens(uid);
        const content = listing ? await db.doc(`accounts/${uid}`).listCollections() : [db.collection(`accounts/${uid}/stores`)];
        await Promise.all(content.map((c) => db.recursiveDelete(c)));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return performance.now() - t0;
  }

  const rounds = [];
  const SIDES = { ours: oursRound, raw: (g) => rawRound(g), listed: (g) => rawRound(g, { db: listedDb, prefix: 'l', listing: true }) };
  console.log(`[lifecycle] lifecycle.1k: warm-up, ${GROUPS[0]} due accounts each side (unrecorded)…`);
  for (const side of Object.keys(SIDES)) await SIDES[side](0);
  for (const [m, size] of MEASURED.entries()) {
    const g = m + 1;
    const order = m % 2 === 0 ? ['ours', 'raw', 'listed'] : ['listed', 'raw', 'ours'];
    console.log(`[lifecycle] lifecycle.1k: round ${m + 1}/${MEASURED.length}, ${size} due accounts each side (${order.join(' then ')}, concurrency ${concurrency})…`);
    const times = {};
    for (const side of order) times[side] = await SIDES[side](g);
    const per = (side) => `${side} ${times[side].toFixed(0)} ms (${(times[side] / size).toFixed(1)} ms per account)`;
    console.log(`  ${['ours', 'raw', 'listed'].map(per).join(', ')}`);
    rounds.push(times);
  }
  for (const [name, db] of [['ours', oursDb], ['raw', twinDb], ['listed', listedDb]]) {
    const left = (await db.collectionGroup('orders').count().get()).data().count;
    if (left > 0) throw new Error(`${name}: ${left} content documents left`);
  }
  const notices = (await oursDb.collection('mail').where('kind', '==', 'content.destroyed').count().get()).data().count;
  if (notices !== ACCOUNTS) throw new Error(`${notices} final notices in the outbox for ${ACCOUNTS} accounts`);
  const oursTotal = rounds.reduce((sum, r) => sum + r.ours, 0);
  const rawTotal = rounds.reduce((sum, r) => sum + r.raw, 0);
  const listedTotal = rounds.reduce((sum, r) => sum + r.listed, 0);
  const big = rounds[1].ours;
  const perSmall = (rounds[0].ours + rounds[2].ours) / 2;
  const n = MEASURED[1] / MEASURED[0];
  const ratio = (value, baseline) => Number((value / baseline).toFixed(3));

  const rows = [
    { name: 'destroy.50k', unit: 'ms', value: Math.round(oursMs), baseline: Math.round(rawMs), ratio: ratio(oursMs, rawMs) },
    { name: 'lifecycle.1k', unit: 'ms', value: Math.round(oursTotal), baseline: Math.round(rawTotal), ratio: ratio(oursTotal, rawTotal) },
    { name: 'lifecycle.1k.listed', unit: 'ms', value: Math.round(oursTotal), baseline: Math.round(listedTotal), ratio: ratio(oursTotal, listedTotal) },
    { name: 'lifecycle.scaling', unit: 'ms', value: Math.round(big), baseline: Math.round(n * perSmall), ratio: ratio(big, n * perSmall) },
  ];
  printTable(rows);
  if (SCALE !== 1) {
    console.log(`LIFECYCLE_BENCH_SCALE=${SCALE}: results not written.`);
    return;
  }
  mergeResults(rows);
}

await runBench('lifecycle', session, main);
