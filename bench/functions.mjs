// `node bench/functions.mjs` (the first part of `npm run bench`): the real getAccount, listActivity and
// exportContent, served by functions-framework from the deploy bundle exactly as deployed, against a
// bare functions-framework function doing the same Firestore and Auth work with firebase-admin
// directly (bench/fixtures/bare), both against the local emulators (free ports). Rows are merged into
// bench/results.json. See bench/README.md.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { mergeResults } from '../scripts/lib/bench.mjs';
import { ROOT, freePort, startAuth, startFirestore } from '../scripts/lib/stack.mjs';
import { printTable } from './targets.mjs';

const PROJECT_ID = 'demo-orderpally';
/** Where each side's function comes from: ours is the function's own bundle, the folder `npm run deploy` uploads. */
const sourceOf = (kind, fn) => (kind === 'ours' ? path.join(ROOT, 'functions', 'dist', fn) : path.join(ROOT, 'bench', 'fixtures', 'bare'));
// The CLI's real script, run with this very node rather than whatever `env node` finds on PATH.
const FRAMEWORK_MAIN = realpathSync(path.join(ROOT, 'node_modules', '.bin', 'functions-framework'));

const COLD_ROUNDS = 21;
const WARM = { getAccount: [50, 400], listActivity: [30, 200], exportContent: [20, 100] };
const LOAD = { clients: 50, warmupCalls: 250, rounds: 4, callsPerRound: 500 };
const CONTENT = { stores: 20, orders: 280 };
const ACTIVITY_ENTRIES = 60;
const POLL_MS = 20;
const READY_TIMEOUT_MS = 30_000;
const CALL_TIMEOUT_MS = 30_000;

/** How each function is called: the callable protocol's POST, or exportContent's GET. */
const REQUESTS = {
  getAccount: { method: 'POST', body: JSON.stringify({ data: null }) },
  listActivity: { method: 'POST', body: JSON.stringify({ data: { pageSize: 20 } }) },
  exportContent: { method: 'GET', body: null },
};

/** Processes this run started (build, functions), each the leader of its own process group. */
const children = new Set();
/** Emulator start-ups, kept as promises so cleanup can stop one that is still starting. */
const services = [];
let cleaning;
let interrupted = false;
/** Emulator and function logs; kept only when the run fails. */
const logDir = mkdtempSync(path.join(os.tmpdir(), 'orderpally-bench-'));
const progress = (line) => console.log(`[functions] ${line}`);

/** Resolves with the exit code; rejects when the process could not be spawned at all. */
function track(child) {
  children.add(child);
  child.exited = once(child, 'exit').then(([code]) => code);
  const forget = () => children.delete(child);
  child.exited.then(forget, forget);
  return child;
}

/** SIGKILLs the child's whole group (npm leaves tsc behind otherwise) and waits for the child to go. */
async function kill(child) {
  if (child.exitCode === null && child.signalCode === null) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  await child.exited.catch(() => { /* never started: nothing to wait for */ });
}

/** Stops everything this run started; safe to call more than once (from finally and a signal). */
function cleanup() {
  cleaning ??= (async () => {
    await Promise.all([...children].map(kill));
    const started = await Promise.allSettled(services);
    await Promise.all(started.filter((s) => s.status === 'fulfilled').map((s) => s.value.stop()));
  })();
  return cleaning;
}

function run(command, args) {
  const child = track(spawn(command, args, { cwd: ROOT, stdio: 'inherit', detached: true }));
  return child.exited.then((code) => {
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${code})`);
  });
}

/** One round trip to `fn` with the ID token; resolves on the full answer. */
function call(port, token, fn, { agent = false, timeoutMs = CALL_TIMEOUT_MS } = {}) {
  const { method, body } = REQUESTS[fn];
  return new Promise((resolve, reject) => {
    const headers = { Authorization: `Bearer ${token}` };
    if (body !== null) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    const req = http.request({ host: '127.0.0.1', port, method, path: '/', agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/**
 * Spawns a functions-framework process serving `fn` from one side's source and polls it with the
 * real call until it answers. The framework loads the user module before it listens, so
 * "connection refused" means "still starting"; any answer other than 200 is a broken side,
 * reported at once.
 * @returns the process, its port, spawn→200 in ms and the first answer's body.
 */
async function startFunction(kind, fn, { env, token, label }) {
  if (interrupted) throw new Error('interrupted');
  const port = await freePort();
  const logFile = path.join(logDir, `${kind}-${fn}-${label}.log`);
  const fd = openSync(logFile, 'a');
  const started = performance.now();
  const child = track(spawn(process.execPath, [FRAMEWORK_MAIN, `--target=${fn}`, `--source=${sourceOf(kind, fn)}`, `--port=${port}`], {
    cwd: ROOT, env, stdio: ['ignore', fd, fd], detached: true,
  }));
  closeSync(fd); // the child has its own copy
  const deadline = started + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${kind} ${fn} exited (code ${child.exitCode}, signal ${child.signalCode}) before answering; see ${logFile}`);
    }
    let answer;
    try {
      answer = await call(port, token, fn, { timeoutMs: Math.max(1, deadline - performance.now()) });
    } catch (error) {
      if (error.code !== 'ECONNREFUSED' || performance.now() > deadline) {
        await kill(child);
        throw new Error(`${kind} ${fn} did not answer within ${READY_TIMEOUT_MS / 1000} s (${error.message}); see ${logFile}`);
      }
      await sleep(POLL_MS);
      continue;
    }
    const readyMs = performance.now() - started;
    if (answer.status !== 200) {
      await kill(child);
      throw new Error(`${kind} ${fn} answered ${answer.status}: ${answer.body.slice(0, 500)}; see ${logFile}`);
    }
    return { child, port, readyMs, body: answer.body };
  }
}

const EMAIL = 'bench@orderpally.test';
const PASSWORD = 'bench-password';

async function postJson(url, body, headers = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url} failed: ${response.status} ${await response.text()}`);
  return response.json();
}

/**
 * Creates a user with a verified email in the Auth emulator (verified, so the token takes the
 * common path) and what the three functions read: the account, three invoices (two open, one of
 * them past due), an activity log of ACTIVITY_ENTRIES and a few hundred content documents in
 * first-level collections. Returns an ID token.
 */
async function seed(authHost) {
  const identity = `http://${authHost}/identitytoolkit.googleapis.com/v1`;
  // `Bearer owner` is the emulators' admin credential: it bypasses rules like the Admin SDK does.
  const admin = { Authorization: 'Bearer owner' };
  const credentials = { email: EMAIL, password: PASSWORD, returnSecureToken: true };
  const { localId: uid } = await postJson(`${identity}/accounts:signUp?key=fake`, credentials);
  await postJson(`${identity}/projects/${PROJECT_ID}/accounts:update`, { localId: uid, emailVerified: true }, admin);
  // Signed in again so the token carries email_verified: true.
  const { idToken } = await postJson(`${identity}/accounts:signInWithPassword?key=fake`, credentials);

  const require = createRequire(import.meta.url);
  const { initializeApp } = require('firebase-admin/app');
  const { getFirestore, Timestamp } = require('firebase-admin/firestore');
  const db = getFirestore(initializeApp({ projectId: PROJECT_ID }, 'bench-seed'));
  const now = Date.now();
  const at = (days) => Timestamp.fromMillis(now + days * 86_400_000);
  const writer = db.bulkWriter();
  const account = db.doc(`accounts/${uid}`);
  void writer.set(account, {
    uid, email: EMAIL, displayName: 'Bench User', providers: ['password'], emailVerified: true, locale: 'zh-TW',
    status: 'active', createdAt: at(-90), updatedAt: at(-1), contract: { startsAt: at(-90), endsAt: null },
    termination: null, suspension: null, billing: { amountDue: 2400, currency: 'TWD', earliestUnpaidDueAt: at(-3) },
  });
  const invoice = (id, status, dueDays) => writer.set(account.collection('invoices').doc(id), {
    number: id.toUpperCase(), amount: 1200, currency: 'TWD', status, issuedAt: at(dueDays - 30), dueAt: at(dueDays), paidAt: status === 'paid' ? at(dueDays - 1) : null,
  });
  void invoice('inv-1', 'paid', -40);
  void invoice('inv-2', 'open', -3);
  void invoice('inv-3', 'open', 20);
  for (let i = 0; i < ACTIVITY_ENTRIES; i += 1) {
    void writer.set(account.collection('activity').doc(`a${String(i).padStart(4, '0')}`), {
      at: at(-ACTIVITY_ENTRIES + i), actor: { uid, role: 'customer' }, action: 'apiKey.created', details: { keyId: `k${i}`, name: 'POS' },
    });
  }
  for (let i = 0; i < CONTENT.stores; i += 1) void writer.set(account.collection('stores').doc(`s${i}`), { name: `Store ${i}`, open: true });
  const line = { name: 'A product with a name of ordinary length', price: 1200, quantity: 2, tags: ['live', 'tea'] };
  for (let i = 0; i < CONTENT.orders; i += 1) void writer.set(account.collection('orders').doc(`o${i}`), { ...line, placedAt: at(-i / 10), i });
  await writer.close();
  await db.terminate();
  return { uid, token: idToken };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value below which `p` of the sorted values fall (nearest rank). */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** Resident set size of a live process in MB (Linux only; null elsewhere). */
function rssMb(pid) {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Both sides must have done the same work, or the comparison means nothing: the same account, the
 * same open invoices, the same page of the log, the same number of exported documents.
 */
function assertSameWork(fn, bodies, uid) {
  const [ours, bare] = [bodies.ours, bodies.bare];
  let same;
  if (fn === 'getAccount') {
    const o = JSON.parse(ours).result;
    const b = JSON.parse(bare).result;
    same = o.uid === uid && b.uid === uid && o.status === b.status && o.billing?.dueInvoices?.length === 1 && b.openInvoices === 2;
  } else if (fn === 'listActivity') {
    const ids = (body) => JSON.parse(body).result.entries.map((e) => e.id).filter((id) => id.startsWith('a')).join();
    same = ids(ours).length > 0 && ids(ours) === ids(bare);
  } else {
    const paths = (body) => body.split('\n').filter(Boolean).map((l) => JSON.parse(l).path).sort().join();
    same = paths(ours).split(',').length === CONTENT.stores + CONTENT.orders && paths(ours) === paths(bare);
  }
  if (!same) throw new Error(`${fn}: the two sides disagree or read nothing:\n  ours: ${ours.slice(0, 600)}\n  bare: ${bare.slice(0, 600)}`);
}

/**
 * Cold start of getAccount: spawn→first 200, median of COLD_ROUNDS. Each round runs both sides,
 * in an order that flips every round so drift (emulator JIT, page cache) lands on both equally.
 * One unrecorded round first: the very first spawns pay for a cold page cache and the emulators'
 * first connections, which would otherwise be charged to whichever side ran first.
 */
async function coldStarts(options) {
  const times = { ours: [], bare: [] };
  for (let round = 0; round <= COLD_ROUNDS; round += 1) {
    for (const kind of round % 2 ? ['bare', 'ours'] : ['ours', 'bare']) {
      const fn = await startFunction(kind, 'getAccount', { ...options, label: `cold-${round}` });
      await kill(fn.child);
      if (round > 0) times[kind].push(fn.readyMs);
    }
  }
  return { ours: median(times.ours), bare: median(times.bare) };
}

/**
 * Warm round trips of `fn` on one long-lived process per side, over a keep-alive connection as a
 * front end would hold. Calls alternate between the two (order flipping each time), so both see
 * the same emulator load and background noise.
 */
async function warmCalls(fn, options) {
  const [warmup, measured] = WARM[fn];
  const sides = {};
  for (const kind of ['ours', 'bare']) sides[kind] = await startFunction(kind, fn, { ...options, label: 'warm' });
  assertSameWork(fn, { ours: sides.ours.body, bare: sides.bare.body }, options.uid);
  const agents = { ours: new http.Agent({ keepAlive: true, maxSockets: 1 }), bare: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
  const times = { ours: [], bare: [] };
  try {
    for (let i = 0; i < warmup + measured; i += 1) {
      for (const kind of i % 2 ? ['bare', 'ours'] : ['ours', 'bare']) {
        const started = performance.now();
        const answer = await call(sides[kind].port, options.token, fn, { agent: agents[kind] });
        const elapsed = performance.now() - started;
        if (answer.status !== 200) throw new Error(`${kind} ${fn} answered ${answer.status}: ${answer.body.slice(0, 500)}`);
        if (i >= warmup) times[kind].push(elapsed);
      }
    }
    return {
      p50: { ours: median(times.ours), bare: median(times.bare) },
      rss: { ours: rssMb(sides.ours.child.pid), bare: rssMb(sides.bare.child.pid) },
    };
  } finally {
    for (const agent of Object.values(agents)) agent.destroy();
    await Promise.all(Object.values(sides).map((side) => kill(side.child)));
  }
}

/**
 * LOAD.clients concurrent clients (one keep-alive connection each) calling getAccount until `calls`
 * calls have been recorded; a call is recorded only when it starts after every client has had its
 * first answer. The clients start together, so their first calls arrive at once on new connections
 * and are answered one after another, up to 2.7 s for the last, on either side: a start-up measured
 * once per round, which the next calls of the same clients never see, and which set the p99 of
 * every round. Failures are counted over every call.
 * @returns the recorded latencies, the failures, and how many start-up calls were not recorded.
 */
async function burst(port, token, calls) {
  const latencies = [];
  const failures = [];
  let answered = 0;
  let recording = 0;
  let startUp = 0;
  const client = async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let first = true;
    try {
      while (recording < calls) {
        const recorded = answered === LOAD.clients;
        if (recorded) recording += 1;
        else startUp += 1;
        const started = performance.now();
        try {
          const answer = await call(port, token, 'getAccount', { agent });
          if (answer.status !== 200) failures.push(`${answer.status} ${answer.body.slice(0, 200)}`);
          else if (recorded) latencies.push(performance.now() - started);
        } catch (error) {
          failures.push(error.message);
        }
        if (first) answered += 1;
        first = false;
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: LOAD.clients }, client));
  return { latencies, failures, startUp };
}

/**
 * The load run: LOAD.clients concurrent clients calling getAccount, LOAD.callsPerRound recorded
 * calls per round after the clients' start-up (see burst), rounds taking turns between the sides
 * (order flipped every round) after one unrecorded round each. Any failed call fails the
 * benchmark: the target is zero errors.
 */
async function loadRun(options) {
  const sides = {};
  for (const kind of ['ours', 'bare']) sides[kind] = await startFunction(kind, 'getAccount', { ...options, label: 'load' });
  const latencies = { ours: [], bare: [] };
  try {
    for (let round = 0; round <= LOAD.rounds; round += 1) {
      for (const kind of round % 2 ? ['bare', 'ours'] : ['ours', 'bare']) {
        const result = await burst(sides[kind].port, options.token, round === 0 ? LOAD.warmupCalls : LOAD.callsPerRound);
        if (result.failures.length > 0) {
          throw new Error(`${kind} getAccount failed ${result.failures.length} calls under load, e.g. ${result.failures[0]}`);
        }
        if (round > 0) latencies[kind].push(...result.latencies);
        const ms = (p) => `${percentile(result.latencies, p).toFixed(0)} ms`;
        progress(`  round ${round}${round === 0 ? ' (unrecorded)' : ''}: ${kind.padEnd(4)} ${result.latencies.length} calls after ${result.startUp} start-up calls: p50 ${ms(0.5)}, p99 ${ms(0.99)}`);
      }
    }
  } finally {
    await Promise.all(Object.values(sides).map((side) => kill(side.child)));
  }
  return {
    p50: { ours: percentile(latencies.ours, 0.5), bare: percentile(latencies.bare, 0.5) },
    p99: { ours: percentile(latencies.ours, 0.99), bare: percentile(latencies.bare, 0.99) },
    calls: latencies.ours.length,
  };
}

const round = (value, digits) => Number(value.toFixed(digits));

function row(name, unit, ours, bare, digits) {
  return { name, unit, value: round(ours, digits), baseline: round(bare, digits), ratio: round(ours / bare, 3) };
}

async function main() {
  const [firestorePort, authPort, hubPort, loggingPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  services.push(
    startFirestore({ port: firestorePort, projectId: PROJECT_ID, logDir }),
    startAuth({ port: authPort, hubPort, loggingPort, projectId: PROJECT_ID, logDir }),
  );
  const built = process.env.ORDERPALLY_BENCH_BUILT === '1';
  progress(`${built ? '' : 'building the deploy bundle and '}starting the emulators…`);
  // The build overlaps the emulators' start-up (the Auth emulator alone takes ~10 s); nothing is
  // measured until both are done. allSettled, so a failed build still waits for the emulators
  // to come up and be stopped rather than leaving them behind.
  const build = built ? Promise.resolve() : run('npm', ['run', 'build', '--silent']);
  const ready = await Promise.allSettled([build, ...services]);
  const failure = ready.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  const [, firestore, auth] = ready.map((r) => r.value);
  process.env.FIRESTORE_EMULATOR_HOST = firestore.host;
  // The seeding's Admin SDK, like the functions below: off GCP the metadata probe can only fail.
  process.env.METADATA_SERVER_DETECTION = 'none';
  const { uid, token } = await seed(auth.host);
  // A fixed environment rather than ours, so a developer's NODE_OPTIONS or gcloud credentials
  // (found through HOME) cannot skew the run.
  const env = {
    PATH: process.env.PATH,
    HOME: logDir,
    NODE_ENV: 'production',
    // Even against the emulator, Firestore's gRPC client asks google-auth-library for credentials,
    // which probes the GCE metadata server on the first call: a request off this machine whose
    // latency depends on the network. Off GCP that probe can only fail, so skip it.
    METADATA_SERVER_DETECTION: 'none',
    GCLOUD_PROJECT: PROJECT_ID,
    FIRESTORE_EMULATOR_HOST: firestore.host,
    FIREBASE_AUTH_EMULATOR_HOST: auth.host,
    LOG_LEVEL: 'ERROR',
  };
  const options = { env, token, uid };

  progress(`coldStart.getAccount: ${COLD_ROUNDS} rounds + 1 warm-up, each side…`);
  const cold = await coldStarts(options);
  const warm = {};
  for (const fn of Object.keys(WARM)) {
    progress(`callable.${fn}.p50: ${WARM[fn][0]} warm-up + ${WARM[fn][1]} measured calls, each side…`);
    warm[fn] = await warmCalls(fn, options);
  }
  progress(`load.getAccount: ${LOAD.clients} concurrent clients, ${LOAD.rounds} rounds of ${LOAD.callsPerRound} calls, each side…`);
  const load = await loadRun(options);

  const results = [
    row('coldStart.getAccount', 'ms', cold.ours, cold.bare, 0),
    ...Object.keys(WARM).map((fn) => row(`callable.${fn}.p50`, 'ms', warm[fn].p50.ours, warm[fn].p50.bare, 2)),
    row('load.getAccount.p50', 'ms', load.p50.ours, load.p50.bare, 2),
    row('load.getAccount.p99', 'ms', load.p99.ours, load.p99.bare, 2),
  ];
  const rss = warm.getAccount.rss;
  if (rss.ours !== null && rss.bare !== null) results.push(row('rss.getAccount', 'MB', rss.ours, rss.bare, 1));
  printTable(results);
  progress(`load run: ${load.calls} calls each side, 0 errors`);
  mergeResults(results);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping the functions and emulators…\n`);
    void cleanup().finally(() => {
      rmSync(logDir, { recursive: true, force: true });
      process.exit(128 + os.constants.signals[signal]);
    });
  });
}

const began = performance.now();
try {
  await main();
  console.log(`Done in ${Math.round((performance.now() - began) / 1000)} s.`);
} catch (error) {
  if (!interrupted) {
    process.stderr.write(`\nBenchmark failed: ${error.stack ?? error}\nLogs: ${logDir}\n`);
    process.exitCode = 1;
  }
} finally {
  await cleanup();
  if (!process.exitCode && !interrupted) rmSync(logDir, { recursive: true, force: true });
}
