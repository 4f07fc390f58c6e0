// `node bench/notices.mjs`: `notices.10k` = sending one service notice to 10,000 accounts (our
// resumable fan-out: account pages read in id order, each account's copy rendered in its
// language, an inbox entry AND an outbox message per account created by one BulkWriter, the cursor
// saved as pages are written) vs. a raw BulkWriter creating the same 20,000 documents (10,000 inbox entries
// and 10,000 messages, each the size and shape of ours), in the same run, on the same Firestore
// emulator (free port). Both sides write without BulkWriter's ramp-up (500 writes/s at first, which
// production keeps and which would make both sides take the same 40 s here, measuring nothing of
// ours, and the script 10 minutes long). Accounts are seeded untimed; every round starts from an empty outbox and
// inbox. After one unrecorded round each way, 5 rounds take turns (order flipped every round); the
// medians are compared. Builds functions/ first unless ORDERPALLY_BENCH_BUILT=1. Target
// (bench/targets.mjs): ratio <= 1.1. Rows are merged into bench/results.json. Exits 1 only when
// the bench fails.
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchSession, mergeResults, runBench } from '../scripts/lib/bench.mjs';
import { ROOT, freePort, startFirestore } from '../scripts/lib/stack.mjs';
import { printTable } from './targets.mjs';

const PROJECT_ID = 'demo-orderpally';
const ACCOUNTS = 10_000;
const ROUNDS = 5;

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
  const { Timestamp } = require('firebase-admin/firestore');
  const deps = createDeps(loadConfig());
  const db = deps.db;
  const admin = { uid: 'bench-admin', email: null, emailVerified: true, signInProvider: 'password', role: 'admin', via: 'idToken' };

  console.log(`[notices] notices.10k: seeding ${ACCOUNTS} accounts (untimed)…`);
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

  let sample = null;
  /** Ours: announce (its first step does no paging) then one fan-out step to the end; timed from the first page. */
  async function viaFanout(round) {
    const input = announceInput.parse({ title: `Bench notice ${round}`, body: 'The checkout page changes on the date below.\nNothing to do on your side.', kind: 'change', effectiveAt: addDays(taipeiDate(new Date()), 40) });
    const { noticeId } = await announceServiceChange(deps, admin, input, { pageSize: 1, maxMs: 0 });
    const started = performance.now();
    const progress = await advanceFanout(deps, fanoutId(noticeId, 'announcement'), { maxMs: 600_000, rampUp: false });
    const ms = performance.now() - started;
    if (progress.state !== 'done' || progress.queued !== ACCOUNTS || progress.posted !== ACCOUNTS) throw new Error(`fan-out ${round}: ${JSON.stringify(progress)}`);
    if (!sample) {
      const mail = (await db.collection('mail').where('related', '==', `serviceNotices/${noticeId}`).limit(1).get()).docs[0];
      sample = { mail: mail.data(), inbox: (await db.collection('inbox').doc(mail.id).get()).data() };
    }
    return ms;
  }
  /** Baseline: a raw BulkWriter creating what ours creates: an inbox entry and a message per account, same shapes. */
  async function viaBulkWriter(round) {
    const started = performance.now();
    const writer = db.bulkWriter({ throttling: false });
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const id = `raw-${round}-${i}`;
      const uid = `bench-${String(i).padStart(6, '0')}`;
      void writer.create(db.collection('inbox').doc(id), { ...sample.inbox, uid, mailId: id });
      void writer.create(db.collection('mail').doc(id), { ...sample.mail, to: [`${uid}@example.test`], messageId: `<${id}@mail.orderpally>` });
    }
    await writer.close();
    return performance.now() - started;
  }
  async function timed(kind, round) {
    const ms = kind === 'fanout' ? await viaFanout(round) : await viaBulkWriter(round);
    // Unthrottled: a throttled delete of 20,000 documents alone takes 40 s.
    await Promise.all(['mail', 'inbox'].map((c) => db.recursiveDelete(db.collection(c), db.bulkWriter({ throttling: false }))));
    return ms;
  }

  // Ours first: the baseline copies the shapes of the documents it wrote.
  console.log(`[notices] notices.10k: one warm-up round each way, then ${ROUNDS} rounds each…`);
  await timed('fanout', 'warm');
  await timed('raw', 'warm');
  const times = { fanout: [], raw: [] };
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const kind of r % 2 ? ['raw', 'fanout'] : ['fanout', 'raw']) {
      const ms = await timed(kind, r);
      times[kind].push(ms);
      console.log(`  round ${r + 1}: ${kind.padEnd(6)} ${ACCOUNTS} accounts (${2 * ACCOUNTS} documents) in ${ms.toFixed(0)} ms`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ours = median(times.fanout);
  const bare = median(times.raw);
  const rows = [{ name: 'notices.10k', unit: 'ms', value: Math.round(ours), baseline: Math.round(bare), ratio: Number((ours / bare).toFixed(3)) }];
  printTable(rows);
  mergeResults(rows);
}

await runBench('notices', session, main);
