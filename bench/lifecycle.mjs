// `node bench/lifecycle.mjs`: the lifecycle sweep against the Firestore emulator, the Auth
// emulator and MailDev (free ports, started here). Builds functions/ first. Two rows, merged into
// bench/results.json ({name, unit, value, baseline, ratio}):
// - destroy.50k: finaliseAccount on a due account holding 50,000 content documents (20,000
//   orders/o, 20,000 stores/s/products/p, 10,000 stores/s/products/p/variants/v, plus 20 stores)
//   vs. a raw db.recursiveDelete of the same collections of a twin account, on a fresh client
//   (its default BulkWriter, as ours, starts at 500 ops/s), same run. Target ratio <= 1.25.
// - lifecycle.scaling.10k: processLifecycle runs (default limits) until nothing is due, for
//   10,000 due accounts, vs. 10 x the same for 1,000; each account has 3 content documents
//   (stores/s1, its orders/o1 and products/p1), a real Auth user (imported) that is disabled and
//   whose tokens are revoked, and its notice is mailed to MailDev (what the run's 8-second
//   delivery attempt does not send stays in the outbox for deliverMail). Each size runs in a
//   database of its own holding 10,000 accounts (see below). Target ratio <= 1.2.
// LIFECYCLE_BENCH_SCALE=0.1 runs everything at a tenth of the size, for a quick check; results
// are then printed, not written. Exits 1 only when the bench itself fails (keeping its logs).
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchSession, mergeResults, runBench } from '../scripts/lib/bench.mjs';
import { ROOT, freePort, startAuth, startFirestore, startMaildev } from '../scripts/lib/stack.mjs';

const PROJECT_ID = 'demo-orderpally';
const TARGETS = { 'destroy.50k': 1.25, 'lifecycle.scaling.10k': 1.2 };
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
  console.log('Building functions and starting the Firestore and Auth emulators and MailDev…');
  const ready = await Promise.allSettled([run('npm', ['run', 'build', '--silent']), ...services]);
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

  console.log(`destroy.50k: seeding two accounts of ${scaled(20_000) + 20 * (1 + scaled(1_000) + scaled(500))} content documents each…`);
  const destroyDb = database('destroy');
  await Promise.all([seedBig(destroyDb, 'ours'), seedBig(destroyDb, 'raw')]);
  const rawDb = database('destroy', appFor('bench-raw'));
  const deps = createDeps(config, { db: destroyDb, auth: authAdmin });
  // The order flips nothing here (one round each: 50k deletes take ~100 s at BulkWriter's
  // starting rate); the raw deletion goes first, on a client of its own.
  let started = performance.now();
  await Promise.all(['orders', 'stores'].map((c) => rawDb.recursiveDelete(rawDb.collection(`accounts/raw/${c}`))));
  const rawMs = performance.now() - started;
  console.log(`  raw recursiveDelete: ${rawMs.toFixed(0)} ms`);
  started = performance.now();
  const result = await finaliseAccount(deps, 'ours', { deliver: false });
  const oursMs = performance.now() - started;
  console.log(`  finaliseAccount:     ${oursMs.toFixed(0)} ms (${result.outcome}, ${result.deleted} deleted)`);
  if (result.outcome !== 'finalised' || result.deleted !== scaled(20_000) + 20 * (1 + scaled(1_000) + scaled(500))) throw new Error(`finaliseAccount did not destroy everything: ${JSON.stringify(result)}`);
  for (const uid of ['ours', 'raw']) {
    const left = (await destroyDb.doc(`accounts/${uid}`).listCollections()).map((c) => c.id).filter((id) => id === 'orders' || id === 'stores');
    if (left.length > 0) throw new Error(`accounts/${uid} still has ${left.join(', ')}`);
  }

  // ---- lifecycle.scaling.10k ---------------------------------------------------------------
  // Both sizes run in a database of 10,000 accounts (the 1,000-account run: 9,000 of them not
  // due for 60 days, outside every reminder window): the emulator answers listCollections and
  // all-descendants queries by scanning the whole database (measured: 3x slower with 10x the
  // accounts), which production's indexes do not, so equal sizes keep that out of the ratio.
  async function seedMany(db, prefix, count, due) {
    for (let start = 0; start < count; start += 1_000) {
      const users = Array.from({ length: Math.min(1_000, count - start) }, (_, k) => ({ uid: `${prefix}${start + k}`, email: `${prefix}${start + k}@example.test` }));
      const imported = await authAdmin.importUsers(users);
      if (imported.failureCount > 0) throw new Error(`importing users failed: ${JSON.stringify(imported.errors[0])}`);
    }
    const later = { effectiveAt: Timestamp.fromMillis(now.getTime() + 60 * DAY) };
    const writer = db.bulkWriter({ throttling: false });
    for (let i = 0; i < count; i += 1) {
      const uid = `${prefix}${i}`;
      const doc = account(uid);
      void writer.set(db.doc(`accounts/${uid}`), i < due ? doc : { ...doc, termination: { ...doc.termination, ...later } });
      void writer.set(db.doc(`accounts/${uid}/stores/s1`), { name: 'store' });
      void writer.set(db.doc(`accounts/${uid}/stores/s1/orders/o1`), { total: 1200 });
      void writer.set(db.doc(`accounts/${uid}/stores/s1/products/p1`), { name: 'tea', price: 120 });
    }
    await writer.close();
  }

  async function finaliseAll(prefix, due) {
    const db = database(`scale-${prefix}`);
    await seedMany(db, prefix, scaled(10_000), due);
    const sweepDeps = createDeps(config, { db, auth: authAdmin });
    const t0 = performance.now();
    let finalised = 0;
    let runs = 0;
    for (; runs < 1_000; runs += 1) {
      const summary = await processLifecycle(sweepDeps);
      finalised += summary.finalised;
      if (summary.failed > 0) throw new Error(`a run failed items: ${JSON.stringify(summary)}`);
      if (summary.remaining === 0) break;
    }
    const ms = performance.now() - t0;
    if (finalised !== due) throw new Error(`${finalised} of ${due} accounts finalised`);
    sweepDeps.mailer.close();
    console.log(`  ${due} due accounts: ${ms.toFixed(0)} ms over ${runs + 1} runs (${(ms / due).toFixed(2)} ms per account)`);
    return ms;
  }

  console.log(`lifecycle.scaling.10k: ${scaled(1_000)} then ${scaled(10_000)} due accounts, each in a database of ${scaled(10_000)} accounts…`);
  const small = await finaliseAll('k', scaled(1_000));
  const large = await finaliseAll('m', scaled(10_000));

  const rows = [
    { name: 'destroy.50k', unit: 'ms', value: Math.round(oursMs), baseline: Math.round(rawMs), ratio: Number((oursMs / rawMs).toFixed(3)) },
    { name: 'lifecycle.scaling.10k', unit: 'ms', value: Math.round(large), baseline: Math.round(10 * small), ratio: Number((large / (10 * small)).toFixed(3)) },
  ];
  console.log(`\n${'name'.padEnd(24)} ${'ours'.padStart(12)} ${'baseline'.padStart(12)} ${'ratio'.padStart(7)}  target`);
  for (const r of rows) {
    const target = TARGETS[r.name];
    console.log(`${r.name.padEnd(24)} ${`${r.value} ${r.unit}`.padStart(12)} ${`${r.baseline} ${r.unit}`.padStart(12)} ${r.ratio.toFixed(3).padStart(7)}  <= ${target} ${r.ratio <= target ? 'ok' : 'MISSED'}`);
  }
  if (SCALE !== 1) {
    console.log(`LIFECYCLE_BENCH_SCALE=${SCALE}: results not written.`);
    return;
  }
  mergeResults(rows);
}

await runBench('lifecycle', session, main);
