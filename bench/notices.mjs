// `node bench/notices.mjs`: `notices.10k` = sending one service notice to 10,000 accounts (our
// resumable fan-out: account pages read in id order, each account's copy rendered in its
// language, an inbox entry AND an outbox message per account created by one BulkWriter, the cursor
// saved as pages are written) vs. a raw script doing the least any code sending it must do with
// the SDK: one query streaming the same five fields of every account, and for each live account
// the same two documents (ours's, copied, in the account's language) created by one BulkWriter as
// the accounts arrive. A third side, the 20,000 writes alone with no account read, gives
// `notices.10k.writesOnly` (no target): the floor under both, which no sender can reach because it
// must learn who to send to. Same run, same Firestore emulator (free port); every measurement
// runs on a database of its own holding the 10,000 accounts (seeded untimed). Every side writes
// without BulkWriter's ramp-up (500 writes/s at first, which production keeps and which would
// make every side take the same 40 s here, measuring nothing of ours, and the script 10 minutes
// long). After two unrecorded rounds each way (after only one, the first recorded measurement,
// always ours, still took 3.9–5.7 s in each of six runs, where ours' fastest took 1.9–2.5 s),
// 11 rounds take turns (order reversed every round); the medians are compared: one measurement
// here moves by a quarter between rounds. Builds
// functions/ first unless ORDERPALLY_BENCH_BUILT=1. Target (bench/targets.mjs): notices.10k ratio
// <= 1.1. Rows are merged into bench/results.json. Exits 1 only when the bench fails.
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchSession, mergeResults, runBench } from '../scripts/lib/bench.mjs';
import { ROOT, freePort, startFirestore } from '../scripts/lib/stack.mjs';
import { printTable } from './targets.mjs';

const PROJECT_ID = 'demo-orderpally';
const ACCOUNTS = 10_000;
const WARM_ROUNDS = 2;
const ROUNDS = 11;

const session = benchSession('notices');
const { logDir, services, run } = session;

async function main() {
  const firestorePort = await freePort();
  services.push(startFirestore({ port: firestorePort, projectId: PROJECT_ID, logDir }));
  console.log('[notices] building functions and starting the Firestore emulator…');
  const build = process.env.ORDERPALLY_BENCH_BUILT === '1' ? Promise.resolve() : run('npm', ['run', 'build', '--silent']);
  const ready = await Promise.allSettled([build, ...services]);
  const failure = ready.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  const firestore = ready[1].value;
  Object.assign(process.env, { GCLOUD_PROJECT: PROJECT_ID, FIRESTORE_EMULATOR_HOST: firestore.host, LOG_LEVEL: 'ERROR', METADATA_SERVER_DETECTION: 'none' });
  const require = createRequire(import.meta.url);
  const lib = (p) => require(path.join(ROOT, 'functions', 'lib', p));
  const { loadConfig } = lib('config.js');
  const { createDeps } = lib('deps.js');
  const { announceServiceChange } = lib('notices/announce.js');
  const { advanceFanout, fanoutId } = lib('notices/fanout.js');
  const { announceInput } = lib('notices/schema.js');
  const { addDays, taipeiDate } = lib('shared/taipei.js');
  const { Timestamp, getFirestore } = require('firebase-admin/firestore');
  const config = loadConfig();
  createDeps(config).db; // initialises the app our functions use
  const app = require('firebase-admin/app').getApps().find((a) => a.name === `orderpally-${PROJECT_ID}`);
  const admin = { uid: 'bench-admin', email: null, emailVerified: true, signInProvider: 'password', role: 'admin', via: 'idToken' };

  let databases = 0;
  /**
   * A database of its own for one measurement, holding the 10,000 accounts (seeded untimed).
   * The emulator keeps every version of every document it has held and answers a query by
   * scanning them all; in one database shared by every round (emptied between them), each query
   * took longer than the last and the same side's times spread by half.
   */
  async function freshDatabase() {
    databases += 1;
    const db = getFirestore(app, `notices-${databases}`);
    db.settings({ ignoreUndefinedProperties: true });
    const seed = db.bulkWriter({ throttling: false });
    const now = Timestamp.now();
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const uid = `bench-${String(i).padStart(6, '0')}`;
      void seed.set(db.collection('accounts').doc(uid), {
        uid, email: `${uid}@example.test`, displayName: null, providers: ['password'], emailVerified: true, locale: i % 3 ? 'zh-TW' : 'en',
        status: 'active', createdAt: now, updatedAt: now, contract: { startsAt: now, endsAt: null }, termination: null, suspension: null,
        billing: { amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: null },
      });
    }
    await seed.close();
    return db;
  }

  /** The documents ours wrote for one account in each language, which the raw sides copy. */
  const samples = {};
  /** Ours: announce (its first step does no paging) then one fan-out step to the end; timed from the first page. */
  async function viaFanout(db, round) {
    const deps = createDeps(config, { db });
    const input = announceInput.parse({ title: `Bench notice ${round}`, body: 'The checkout page changes on the date below.\nNothing to do on your side.', kind: 'change', effectiveAt: addDays(taipeiDate(new Date()), 40) });
    const { noticeId } = await announceServiceChange(deps, admin, input, { pageSize: 1, maxMs: 0 });
    const started = performance.now();
    const progress = await advanceFanout(deps, fanoutId(noticeId, 'announcement'), { maxMs: 600_000, rampUp: false });
    const ms = performance.now() - started;
    if (progress.state !== 'done' || progress.queued !== ACCOUNTS || progress.posted !== ACCOUNTS) throw new Error(`fan-out ${round}: ${JSON.stringify(progress)}`);
    if (!samples.en) {
      for (const uid of ['bench-000000', 'bench-000001']) {
        const inbox = (await db.collection('inbox').where('uid', '==', uid).limit(1).get()).docs[0];
        const locale = (await db.collection('accounts').doc(uid).get()).get('locale');
        samples[locale] = { inbox: inbox.data(), mail: (await db.collection('mail').doc(inbox.id).get()).data() };
      }
    }
    return ms;
  }
  /** Creates one account's two documents (ours's, copied, in the account's language) with `writer`. */
  function createCopies(writer, db, id, uid, locale, to) {
    const sample = samples[locale === 'en' ? 'en' : 'zh-TW'];
    void writer.create(db.collection('inbox').doc(id), { ...sample.inbox, uid, mailId: id });
    void writer.create(db.collection('mail').doc(id), { ...sample.mail, to: [to], messageId: `<${id}@mail.orderpally>` });
  }
  /**
   * Baseline: the least any code sending the notice must do with the SDK: one query streaming the
   * accounts' fields (those ours reads), and for each live account an inbox entry and a message in
   * its language (ours's documents, copied) created by one BulkWriter as the accounts arrive.
   */
  async function viaQueryAndBulkWriter(db, round) {
    const started = performance.now();
    const writer = db.bulkWriter({ throttling: false });
    const accounts = db.collection('accounts').select('email', 'emailVerified', 'contactEmail', 'locale', 'status').stream();
    for await (const snap of accounts) {
      const account = snap.data();
      if (account.status === 'terminated') continue;
      createCopies(writer, db, `raw-${round}-${snap.id}`, snap.id, account.locale, account.contactEmail ?? account.email);
    }
    await writer.close();
    return performance.now() - started;
  }
  /** The writes alone (no account read): the least the 20,000 documents cost; a row without a target. */
  async function viaWritesOnly(db, round) {
    const started = performance.now();
    const writer = db.bulkWriter({ throttling: false });
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const uid = `bench-${String(i).padStart(6, '0')}`;
      createCopies(writer, db, `writes-${round}-${i}`, uid, i % 3 ? 'zh-TW' : 'en', `${uid}@example.test`);
    }
    await writer.close();
    return performance.now() - started;
  }
  async function timed(kind, round) {
    const db = await freshDatabase();
    try {
      return await SIDES[kind](db, round);
    } finally {
      await db.terminate();
    }
  }

  const SIDES = { fanout: viaFanout, raw: viaQueryAndBulkWriter, writes: viaWritesOnly };
  const ORDER = Object.keys(SIDES);
  // Ours first: the raw sides copy the documents it wrote.
  console.log(`[notices] notices.10k: ${WARM_ROUNDS} warm-up rounds each way, then ${ROUNDS} rounds each, every one on a database of its own seeded with ${ACCOUNTS} accounts (untimed)…`);
  for (let r = 0; r < WARM_ROUNDS; r += 1) for (const kind of ORDER) await timed(kind, `warm${r}`);
  const times = { fanout: [], raw: [], writes: [] };
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const kind of r % 2 ? [...ORDER].reverse() : ORDER) {
      const ms = await timed(kind, r);
      times[kind].push(ms);
      console.log(`  round ${r + 1}: ${kind.padEnd(6)} ${ACCOUNTS} accounts (${2 * ACCOUNTS} documents) in ${ms.toFixed(0)} ms`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ours = median(times.fanout);
  const row = (name, baseline) => ({ name, unit: 'ms', value: Math.round(ours), baseline: Math.round(baseline), ratio: Number((ours / baseline).toFixed(3)) });
  const rows = [row('notices.10k', median(times.raw)), row('notices.10k.writesOnly', median(times.writes))];
  printTable(rows);
  mergeResults(rows);
}

await runBench('notices', session, main);
