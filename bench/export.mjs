// `node bench/export.mjs`: exportContent against a raw Firestore stream, in the same run, against
// the Firestore emulator (free port, started here). Builds functions/ first. Seeds one account with
// 100,000 content documents with a BulkWriter:
//   20 stores/s, 30,000 stores/s/products/p, 10,000 stores/s/products/p/variants/v (depth 3),
//   55,000 orders/o (more than one export page), 4,980 customers/c/notes/n under missing parents,
// plus records that must be skipped (activity, invoices). Each export runs in a fresh Node process
// (so its memory is its own), writing to /dev/null:
// - ours: exportContent(deps, caller).pipeTo(...), the use case exactly as the HTTP function calls
//   it (retrieval decision, paged kindless queries, value encoding, NDJSON chunks, the activity
//   entry), each chunk written with back-pressure;
// - raw: one stream() per content collection of the same query shape, each document as
//   JSON.stringify({path, data: doc.data(), updateTime}), batched into chunks of the same size.
// After one unrecorded export each way (the first export of a run meets a cold emulator and took
// 11.4 s against 8.0–8.6 s; without it that export was always ours, the first of round 1), 7
// rounds take turns (order flipped every round); the medians are compared (one export here moves
// by about a tenth between rounds). Rows,
// merged into bench/results.json ({name, unit, value, baseline, ratio}):
// - export.100k: median wall time, ours vs raw. Target ratio <= 1.10 (bench/targets.mjs).
// - export.100k.rssGrowth: the largest growth of resident memory during an export (peak minus the
//   level just before it, after a GC), in MiB; the baseline is the raw stream's. Target value <= 64.
// EXPORT_BENCH_SCALE=0.1 runs at a tenth of the size for a quick check; results are then printed,
// not written. Exits 1 only when the bench itself fails (keeping its logs).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { mergeResults } from '../scripts/lib/bench.mjs';
import { printTable } from './targets.mjs';

const PROJECT_ID = 'demo-orderpally';
const ACCOUNT = 'bench-export-owner';
const SCALE = Number(process.env.EXPORT_BENCH_SCALE || 1);
const scaled = (n) => Math.max(1, Math.round(n * SCALE));
const LAYOUT = { stores: 20, products: scaled(30_000), variants: scaled(10_000), orders: scaled(55_000), notes: scaled(4_980) };
const TOTAL = Object.values(LAYOUT).reduce((a, b) => a + b, 0);
const ROUNDS = 7;
const CHUNK_CHARS = 64 * 1024;
const MIB = 1024 * 1024;

const require = createRequire(import.meta.url);
const HERE = fileURLToPath(import.meta.url);

// ---- one export, in a child process -------------------------------------------------------------

/** Writes to /dev/null with back-pressure; counts lines. */
function devNull() {
  const out = createWriteStream('/dev/null');
  let lines = 0;
  const write = (chunk) => {
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) lines += 1;
    return out.write(chunk) ? undefined : once(out, 'drain').then(() => undefined);
  };
  return { write, lines: () => lines, close: () => new Promise((resolve) => out.end(resolve)) };
}

async function child(kind) {
  const { ROOT } = await import('../scripts/lib/stack.mjs');
  const lib = (p) => require(path.join(ROOT, 'functions', 'lib', p));
  const { loadConfig } = lib('config.js');
  const { createDeps } = lib('deps.js');
  const { exportContent } = lib('content/export-content.js');
  const { contentCollections, contentSubtree, pageAfter } = lib('content/descendants.js');
  const deps = createDeps(loadConfig());
  const account = deps.db.collection('accounts').doc(ACCOUNT);
  await account.get(); // connect before measuring

  globalThis.gc();
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 25);
  const sink = devNull();
  const started = performance.now();
  if (kind === 'ours') {
    const caller = { uid: ACCOUNT, email: null, emailVerified: true, signInProvider: 'apiKey', role: null, via: 'apiKey' };
    await (await exportContent(deps, caller)).pipeTo(sink.write);
  } else {
    let buffer = [];
    let size = 0;
    const flush = async () => {
      const chunk = buffer.join('');
      buffer = [];
      size = 0;
      await sink.write(chunk);
    };
    for (const id of await contentCollections(account)) {
      for await (const doc of pageAfter(contentSubtree(account, id), id, null, 1_000_000_000).stream()) {
        const line = `${JSON.stringify({ path: doc.ref.path, data: doc.data(), updateTime: doc.updateTime.toDate().toISOString() })}\n`;
        buffer.push(line);
        size += line.length;
        if (size >= CHUNK_CHARS) await flush();
      }
    }
    await flush();
  }
  await sink.close();
  const ms = performance.now() - started;
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  process.stdout.write(`${JSON.stringify({ kind, ms, lines: sink.lines(), rssGrowthMiB: (rssPeak - rssBefore) / MIB })}\n`);
  await deps.db.terminate();
}

// ---- the run ------------------------------------------------------------------------------------

const services = [];
const children = new Set();
let logDir;

function spawnTracked(command, args, options) {
  const proc = spawn(command, args, { cwd: path.dirname(path.dirname(HERE)), detached: true, ...options });
  children.add(proc);
  const exited = new Promise((resolve) => proc.once('exit', (code) => {
    children.delete(proc);
    resolve(code);
  }));
  return { proc, exited };
}

async function run(command, args) {
  const { exited } = spawnTracked(command, args, { stdio: 'inherit' });
  const code = await exited;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${code})`);
}

async function cleanup() {
  for (const proc of children) {
    try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  const started = await Promise.allSettled(services);
  await Promise.all(started.filter((s) => s.status === 'fulfilled').map((s) => s.value.stop()));
}

/** One export in a fresh process; returns its measurements. */
async function measure(kind, env) {
  const { proc, exited } = spawnTracked(process.execPath, ['--expose-gc', HERE], { env: { ...process.env, ...env, EXPORT_BENCH_CHILD: kind }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  const code = await exited;
  if (code !== 0) throw new Error(`${kind} export failed (exit ${code})`);
  const result = JSON.parse(out.trim().split('\n').pop());
  if (result.lines !== TOTAL) throw new Error(`${kind} export sent ${result.lines} of ${TOTAL} documents`);
  return result;
}

async function seed(deps, Timestamp) {
  const db = deps.db;
  const account = db.collection('accounts').doc(ACCOUNT);
  const now = Timestamp.now();
  await account.set({
    uid: ACCOUNT, email: null, displayName: 'Bench', providers: ['password'], emailVerified: true, locale: 'zh-TW', status: 'active',
    createdAt: now, updatedAt: now, contract: { startsAt: now, endsAt: null }, termination: null, suspension: null,
    billing: { amountDue: 0, currency: 'TWD', earliestUnpaidDueAt: null },
  });
  const writer = db.bulkWriter({ throttling: false });
  const failed = [];
  let pending = 0;
  const put = async (ref, data) => {
    writer.set(ref, data).catch((error) => failed.push(error));
    pending += 1;
    if (pending % 10_000 === 0) await writer.flush();
  };
  const item = (i) => ({ name: `Item ${i}`, price: i % 5000, at: now, tags: ['tea', 'hot'], stock: { qty: i % 17, warehouse: 'TPE-1' } });
  const pad = (i, n = 6) => String(i).padStart(n, '0');
  for (let s = 0; s < LAYOUT.stores; s += 1) await put(account.collection('stores').doc(`s${pad(s, 2)}`), { name: `Store ${s}`, opened: now });
  for (let i = 0; i < LAYOUT.products; i += 1) {
    await put(account.collection('stores').doc(`s${pad(i % LAYOUT.stores, 2)}`).collection('products').doc(`p${pad(i)}`), item(i));
  }
  for (let i = 0; i < LAYOUT.variants; i += 1) {
    await put(account.collection('stores').doc(`s${pad(i % LAYOUT.stores, 2)}`).collection('products').doc(`p${pad(i)}`).collection('variants').doc('v1'), item(i));
  }
  for (let i = 0; i < LAYOUT.orders; i += 1) await put(account.collection('orders').doc(`o${pad(i)}`), { ...item(i), customer: account.collection('customers').doc(`c${pad(i % 1000)}`) });
  for (let i = 0; i < LAYOUT.notes; i += 1) await put(account.collection('customers').doc(`c${pad(i)}`).collection('notes').doc('n1'), { text: `Note ${i}`, at: now });
  // Records, which the export must skip.
  for (let i = 0; i < 500; i += 1) await put(account.collection('activity').doc(`a${pad(i)}`), { action: 'bench', at: now });
  await put(account.collection('invoices').doc('INV-1'), { amount: 100, currency: 'TWD', issuedAt: now, dueAt: now, status: 'paid', paidAt: now });
  await writer.close();
  if (failed.length > 0) throw new Error(`${failed.length} seed writes failed; the first: ${failed[0].message}`);
}

async function main() {
  const { ROOT, freePort, startFirestore } = await import('../scripts/lib/stack.mjs');
  const resultsFile = path.join(ROOT, 'bench', 'results.json');
  logDir = mkdtempSync(path.join(os.tmpdir(), 'orderpally-export-bench-'));
  const port = await freePort();
  services.push(startFirestore({ port, projectId: PROJECT_ID, logDir }));
  console.log('[export] building functions and starting the Firestore emulator…');
  const build = process.env.ORDERPALLY_BENCH_BUILT === '1' ? Promise.resolve() : run('npm', ['run', 'build', '--silent']);
  const ready = await Promise.allSettled([build, ...services]);
  const failure = ready.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  const firestore = ready[1].value;
  const env = { GCLOUD_PROJECT: PROJECT_ID, FIRESTORE_EMULATOR_HOST: firestore.host, LOG_LEVEL: 'ERROR', METADATA_SERVER_DETECTION: 'none' };
  Object.assign(process.env, env);

  const lib = (p) => require(path.join(ROOT, 'functions', 'lib', p));
  const deps = lib('deps.js').createDeps(lib('config.js').loadConfig());
  const { Timestamp } = require(require.resolve('firebase-admin/firestore', { paths: [path.join(ROOT, 'functions')] }));
  console.log(`[export] seeding ${TOTAL.toLocaleString('en-US')} content documents…`);
  const seeding = performance.now();
  await seed(deps, Timestamp);
  console.log(`  seeded in ${((performance.now() - seeding) / 1000).toFixed(0)} s`);
  await deps.db.terminate();

  console.log(`[export] export.100k: one warm-up export each way, then ${ROUNDS} rounds each…`);
  for (const kind of ['raw', 'ours']) await measure(kind, env);
  const results = { ours: [], raw: [] };
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const kind of r % 2 ? ['raw', 'ours'] : ['ours', 'raw']) {
      const m = await measure(kind, env);
      results[kind].push(m);
      console.log(`  round ${r + 1}: ${kind.padEnd(4)} ${TOTAL} documents in ${m.ms.toFixed(0)} ms, RSS +${m.rssGrowthMiB.toFixed(1)} MiB`);
    }
  }

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ours = median(results.ours.map((m) => m.ms));
  const raw = median(results.raw.map((m) => m.ms));
  const oursRss = Math.max(...results.ours.map((m) => m.rssGrowthMiB));
  const rawRss = Math.max(...results.raw.map((m) => m.rssGrowthMiB));
  const rows = [
    { name: 'export.100k', unit: 'ms', value: Math.round(ours), baseline: Math.round(raw), ratio: Number((ours / raw).toFixed(3)) },
    { name: 'export.100k.rssGrowth', unit: 'MiB', value: Number(oursRss.toFixed(1)), baseline: Number(rawRss.toFixed(1)), ratio: Number((oursRss / rawRss).toFixed(3)) },
  ];
  printTable(rows);
  if (SCALE !== 1) {
    console.log(`EXPORT_BENCH_SCALE=${SCALE}: not written to ${path.relative(process.cwd(), resultsFile)}`);
    return;
  }
  mergeResults(rows, resultsFile);
}

if (process.env.EXPORT_BENCH_CHILD) {
  await child(process.env.EXPORT_BENCH_CHILD);
} else {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the emulator…\n`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  let failed = false;
  try {
    await main();
  } catch (error) {
    failed = true;
    console.error(`\nThe export benchmark failed: ${error.stack ?? error}\nLogs: ${logDir}`);
  } finally {
    await cleanup();
    if (!failed && logDir) rmSync(logDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}
