// `node bench/notices.mjs`: `notices.10k` = queueing one service notice for 10,000 accounts (our
// resumable fan-out: account pages read in id order, one message per account rendered in its
// language, BulkWriter creates, a cursor saved per page) vs. a raw BulkWriter creating 10,000
// documents of the same size, in the same run, on the same Firestore emulator (free port).
// Accounts are seeded untimed; every round starts from an empty outbox. After one unrecorded round
// each way, 5 rounds take turns (order flipped every round); the medians are compared.
// Target: ratio <= 1.25. Rows are merged into bench/results.json. Exits 1 only when the bench fails.
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchSession, mergeResults, runBench } from '../scripts/lib/bench.mjs';
import { ROOT, freePort, startFirestore } from '../scripts/lib/stack.mjs';

const PROJECT_ID = 'demo-orderpally';
const ACCOUNTS = 10_000;
const ROUNDS = 5;
const TARGET = 1.25;

const session = benchSession('notices');
const { logDir, services, run } = session;

async function main() {
  const firestorePort = await freePort();
  services.push(startFirestore({ port: firestorePort, projectId: PROJECT_ID, logDir }));
  console.log('Building functions and starting the Firestore emulator…');
  const ready = await Promise.allSettled([run('npm', ['run', 'build', '--silent']), ...services]);
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

  console.log(`Seeding ${ACCOUNTS} accounts (untimed)…`);
  const seed = db.bulkWriter();
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
    const progress = await advanceFanout(deps, fanoutId(noticeId, 'announcement'), { maxMs: 600_000 });
    const ms = performance.now() - started;
    if (progress.state !== 'done' || progress.queued !== ACCOUNTS) throw new Error(`fan-out ${round}: ${JSON.stringify(progress)}`);
    sample ??= (await db.collection('mail').where('related', '==', `serviceNotices/${noticeId}`).limit(1).get()).docs[0].data();
    return ms;
  }
  /** Baseline: a raw BulkWriter creating the same number of documents shaped like our messages. */
  async function viaBulkWriter(round) {
    const doc = sample ?? { subject: 'x', text: 'x'.repeat(1500), html: 'x'.repeat(2500) };
    const started = performance.now();
    const writer = db.bulkWriter();
    for (let i = 0; i < ACCOUNTS; i += 1) void writer.create(db.collection('mail').doc(`raw-${round}-${i}`), { ...doc, to: [`bench-${i}@example.test`] });
    await writer.close();
    return performance.now() - started;
  }
  async function timed(kind, round) {
    const ms = kind === 'fanout' ? await viaFanout(round) : await viaBulkWriter(round);
    await db.recursiveDelete(db.collection('mail'));
    return ms;
  }

  console.log('Warm-up round each way');
  await timed('fanout', 'warm');
  await timed('raw', 'warm');
  const times = { fanout: [], raw: [] };
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const kind of r % 2 ? ['raw', 'fanout'] : ['fanout', 'raw']) {
      const ms = await timed(kind, r);
      times[kind].push(ms);
      console.log(`  round ${r + 1}: ${kind.padEnd(6)} ${ACCOUNTS} messages in ${ms.toFixed(0)} ms`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ours = median(times.fanout);
  const bare = median(times.raw);
  const rows = [{ name: 'notices.10k', unit: 'ms', value: Math.round(ours), baseline: Math.round(bare), ratio: Number((ours / bare).toFixed(3)) }];
  for (const r of rows) console.log(`\n${r.name}: ${r.value} ms vs ${r.baseline} ms raw BulkWriter → ratio ${r.ratio} (target <= ${TARGET} ${r.ratio <= TARGET ? 'ok' : 'MISSED'})`);
  mergeResults(rows);
}

await runBench('notices', session, main);
