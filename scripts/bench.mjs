// `npm run bench`: measures our function stack against a bare functions-framework function doing
// the same work, both against the local emulators, and writes bench/results.json. See bench/README.md.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, freePort, startAuth, startFirestore } from './lib/stack.mjs';

const PROJECT_ID = 'demo-orderpally';
const FUNCTION = 'benchGetAccount';
const FIXTURES = { ours: path.join(ROOT, 'bench', 'fixtures', 'ours'), bare: path.join(ROOT, 'bench', 'fixtures', 'bare') };
const RESULTS_FILE = path.join(ROOT, 'bench', 'results.json');
// The CLI's real script, run with this very node rather than whatever `env node` finds on PATH.
const FRAMEWORK_MAIN = realpathSync(path.join(ROOT, 'node_modules', '.bin', 'functions-framework'));

const COLD_ROUNDS = 7;
const WARMUP_CALLS = 50;
const WARM_CALLS = 400;
const POLL_MS = 20;
const READY_TIMEOUT_MS = 30_000;
const CALL_TIMEOUT_MS = 10_000;

// Ratio targets from the issue (ours / bare, lower is better). Rows without one are informational.
const TARGETS = { 'coldStart.getAccount': 1.25, 'callable.getAccount.p50': 1.3 };

const REQUEST_BODY = JSON.stringify({ data: null });

/** Processes this run started (build, functions), each the leader of its own process group. */
const children = new Set();
/** Emulator start-ups, kept as promises so cleanup can stop one that is still starting. */
const services = [];
let cleaning;
let interrupted = false;
/** Emulator and function logs; kept only when the run fails. */
const logDir = mkdtempSync(path.join(os.tmpdir(), 'orderpally-bench-'));

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

/** One callable round trip: POST {"data": null} with the ID token; resolves on the full answer. */
function call(port, token, { agent = false, timeoutMs = CALL_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/',
      agent,
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(REQUEST_BODY),
        Authorization: `Bearer ${token}`,
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(REQUEST_BODY);
  });
}

/**
 * Spawns a functions-framework process for one fixture and polls it with the real call until it
 * answers. The framework loads the user module before it listens, so "connection refused" means
 * "still starting"; any answer other than 200 is a broken fixture, reported at once.
 * @returns the process, its port, spawn→200 in ms and the first answer's body.
 */
async function startFunction(kind, { env, token, label }) {
  if (interrupted) throw new Error('interrupted');
  const port = await freePort();
  const logFile = path.join(logDir, `${kind}-${label}.log`);
  const fd = openSync(logFile, 'a');
  const started = performance.now();
  const child = track(spawn(process.execPath, [FRAMEWORK_MAIN, `--target=${FUNCTION}`, `--source=${FIXTURES[kind]}`, `--port=${port}`], {
    cwd: ROOT, env, stdio: ['ignore', fd, fd], detached: true,
  }));
  closeSync(fd); // the child has its own copy
  const deadline = started + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${kind} function exited (code ${child.exitCode}, signal ${child.signalCode}) before answering; see ${logFile}`);
    }
    let answer;
    try {
      answer = await call(port, token, { timeoutMs: Math.max(1, deadline - performance.now()) });
    } catch (error) {
      if (error.code !== 'ECONNREFUSED' || performance.now() > deadline) {
        await kill(child);
        throw new Error(`${kind} function did not answer within ${READY_TIMEOUT_MS / 1000} s (${error.message}); see ${logFile}`);
      }
      await sleep(POLL_MS);
      continue;
    }
    const readyMs = performance.now() - started;
    if (answer.status !== 200) {
      await kill(child);
      throw new Error(`${kind} function answered ${answer.status}: ${answer.body}; see ${logFile}`);
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
 * Creates a user with a verified email in the Auth emulator and its accounts/<uid> document;
 * returns an ID token. Verified, because our callable layer refuses unverified password users
 * on every function but getAccount, and the fixture should take that common path.
 */
async function seed(authHost, firestoreHost) {
  const identity = `http://${authHost}/identitytoolkit.googleapis.com/v1`;
  // `Bearer owner` is the emulators' admin credential: it bypasses rules like the Admin SDK does.
  const admin = { Authorization: 'Bearer owner' };
  const account = { email: EMAIL, password: PASSWORD, returnSecureToken: true };
  const { localId } = await postJson(`${identity}/accounts:signUp?key=fake`, account);
  await postJson(`${identity}/projects/${PROJECT_ID}/accounts:update`, { localId, emailVerified: true }, admin);
  // Signed in again so the token carries email_verified: true.
  const { idToken } = await postJson(`${identity}/accounts:signInWithPassword?key=fake`, account);
  const doc = await fetch(`http://${firestoreHost}/v1/projects/${PROJECT_ID}/databases/(default)/documents/accounts/${localId}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', ...admin },
    body: JSON.stringify({
      fields: {
        email: { stringValue: EMAIL },
        displayName: { stringValue: 'Bench User' },
        locale: { stringValue: 'zh-TW' },
        plan: { stringValue: 'free' },
        createdAt: { timestampValue: '2025-01-01T00:00:00Z' },
      },
    }),
  });
  if (!doc.ok) throw new Error(`Firestore write failed: ${doc.status} ${await doc.text()}`);
  return idToken;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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
 * Cold start: spawn→first 200, median of COLD_ROUNDS. Each round runs both fixtures, in an order
 * that flips every round so drift (emulator JIT, page cache, thermal) lands on both equally.
 * One unrecorded round first: the very first spawns pay for a cold page cache and the emulators'
 * first connections, which would otherwise be charged to whichever fixture ran first.
 */
async function coldStarts(options) {
  const times = { ours: [], bare: [] };
  const bodies = {};
  for (let round = 0; round <= COLD_ROUNDS; round += 1) {
    for (const kind of round % 2 ? ['bare', 'ours'] : ['ours', 'bare']) {
      const fn = await startFunction(kind, { ...options, label: `cold-${round}` });
      await kill(fn.child);
      if (round > 0) times[kind].push(fn.readyMs);
      bodies[kind] = fn.body;
      process.stdout.write('.');
    }
  }
  process.stdout.write('\n');
  // Both must have done the same work, or the comparison means nothing.
  if (JSON.parse(bodies.ours).result === null || JSON.stringify(JSON.parse(bodies.ours)) !== JSON.stringify(JSON.parse(bodies.bare))) {
    throw new Error(`The fixtures disagree or read nothing:\n  ours: ${bodies.ours}\n  bare: ${bodies.bare}`);
  }
  return { ours: median(times.ours), bare: median(times.bare) };
}

/**
 * Warm round trips on one long-lived process per fixture, over a keep-alive connection as a
 * front end would hold. Calls alternate between the two (order flipping each time), so both see
 * the same emulator load and background noise.
 */
async function warmCalls(options) {
  const fns = {};
  for (const kind of ['ours', 'bare']) fns[kind] = await startFunction(kind, { ...options, label: 'warm' });
  const agents = { ours: new http.Agent({ keepAlive: true, maxSockets: 1 }), bare: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
  const times = { ours: [], bare: [] };
  try {
    for (let i = 0; i < WARMUP_CALLS + WARM_CALLS; i += 1) {
      for (const kind of i % 2 ? ['bare', 'ours'] : ['ours', 'bare']) {
        const started = performance.now();
        const answer = await call(fns[kind].port, options.token, { agent: agents[kind] });
        const elapsed = performance.now() - started;
        if (answer.status !== 200) throw new Error(`${kind} function answered ${answer.status}: ${answer.body}`);
        if (i >= WARMUP_CALLS) times[kind].push(elapsed);
      }
    }
    return {
      p50: { ours: median(times.ours), bare: median(times.bare) },
      rss: { ours: rssMb(fns.ours.child.pid), bare: rssMb(fns.bare.child.pid) },
    };
  } finally {
    for (const agent of Object.values(agents)) agent.destroy();
    await Promise.all(Object.values(fns).map((fn) => kill(fn.child)));
  }
}

const round = (value, digits) => Number(value.toFixed(digits));

function row(name, unit, ours, bare, digits) {
  return { name, unit, value: round(ours, digits), baseline: round(bare, digits), ratio: round(ours / bare, 3) };
}

function printTable(results) {
  const lines = [['name', 'ours', 'baseline', 'ratio', 'target', 'ok?']];
  for (const r of results) {
    const target = TARGETS[r.name];
    lines.push([
      r.name,
      `${r.value} ${r.unit}`,
      `${r.baseline} ${r.unit}`,
      r.ratio.toFixed(3),
      target === undefined ? '-' : `<= ${target}`,
      target === undefined ? '' : r.ratio <= target ? 'ok' : 'MISSED',
    ]);
  }
  const widths = lines[0].map((_, col) => Math.max(...lines.map((line) => line[col].length)));
  const format = (line) => line.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  ').trimEnd();
  console.log(`\n${format(lines[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines.slice(1)) console.log(format(line));
  const missed = results.filter((r) => TARGETS[r.name] !== undefined && r.ratio > TARGETS[r.name]);
  console.log(missed.length === 0
    ? '\nAll targets met.'
    : `\nMissed: ${missed.map((r) => `${r.name} (${r.ratio} > ${TARGETS[r.name]})`).join(', ')}`);
}

async function main() {
  const [firestorePort, authPort, hubPort, loggingPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  services.push(
    startFirestore({ port: firestorePort, projectId: PROJECT_ID, logDir }),
    startAuth({ port: authPort, hubPort, loggingPort, projectId: PROJECT_ID, logDir }),
  );
  console.log('Building functions and starting the emulators…');
  // The build overlaps the emulators' start-up (the Auth emulator alone takes ~10 s); nothing is
  // measured until both are done. allSettled, so a failed build still waits for the emulators
  // to come up and be stopped rather than leaving them behind.
  const ready = await Promise.allSettled([run('npm', ['run', 'build']), ...services]);
  const failure = ready.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  const [, firestore, auth] = ready.map((r) => r.value);

  const token = await seed(auth.host, firestore.host);
  // A fixed environment rather than ours, so a developer's NODE_OPTIONS or gcloud credentials
  // (found through HOME) cannot skew the run.
  const env = {
    PATH: process.env.PATH,
    HOME: logDir,
    NODE_ENV: 'production',
    // Even against the emulator, Firestore's gRPC client asks google-auth-library for credentials,
    // which probes the GCE metadata server (169.254.169.254, metadata.google.internal) on the first
    // call: a network request off this machine whose latency depends on the network. Off GCP
    // that probe can only fail, so skip it.
    METADATA_SERVER_DETECTION: 'none',
    GCLOUD_PROJECT: PROJECT_ID,
    FIRESTORE_EMULATOR_HOST: firestore.host,
    FIREBASE_AUTH_EMULATOR_HOST: auth.host,
    LOG_LEVEL: 'ERROR',
  };
  const options = { env, token };

  console.log(`Cold starts (${COLD_ROUNDS} rounds + 1 warm-up, ours and bare)`);
  const cold = await coldStarts(options);
  console.log(`Warm calls (${WARMUP_CALLS} warm-up + ${WARM_CALLS} measured, each)`);
  const warm = await warmCalls(options);

  const results = [
    row('coldStart.getAccount', 'ms', cold.ours, cold.bare, 0),
    row('callable.getAccount.p50', 'ms', warm.p50.ours, warm.p50.bare, 2),
  ];
  if (warm.rss.ours !== null && warm.rss.bare !== null) results.push(row('rss.getAccount', 'MB', warm.rss.ours, warm.rss.bare, 1));
  printTable(results);
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
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
