// `npm start`: the whole system on this machine, no cloud account (DESIGN §8).
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, assertPortsFree, freePort, registerBlockingFunctions, startAuth, startFirestore, startMaildev } from './lib/stack.mjs';
import { buildWeb, serveWeb } from './lib/web.mjs';

const PROJECT_ID = 'demo-orderpally';
const REGION = 'asia-east1';
const HOST = '127.0.0.1';
// ORDERPALLY_EPHEMERAL=1 (the browser tests): free ports, no saved data, and one machine-readable
// `ORDERPALLY_READY {…}` line with every address once everything answers.
const EPHEMERAL = process.env.ORDERPALLY_EPHEMERAL === '1';
const PORTS = EPHEMERAL
  ? Object.fromEntries(await Promise.all(['web', 'functions', 'firestore', 'auth', 'smtp', 'inbox', 'emulator hub', 'emulator logging'].map(async (n) => [n, await freePort()])))
  : { web: 5173, functions: 5001, firestore: 8080, auth: 9099, smtp: 1025, inbox: 1080, 'emulator hub': 4400, 'emulator logging': 4500 };
const DATA = EPHEMERAL ? null : path.join(ROOT, '.emulators');
const LOGS = EPHEMERAL ? mkdtempSync(path.join(os.tmpdir(), 'orderpally-start-')) : path.join(DATA, 'logs');
const WEB_OUT = EPHEMERAL ? path.join(LOGS, 'web') : path.join(ROOT, 'web', 'dist');

// Output may go to a pipe (`npm start | tee log`) that Ctrl-C closes first: a write error there must
// not kill this process before it has stopped the services it started.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
const say = (line) => process.stdout.write(`${line}\n`);
const fail = (message) => {
  process.stderr.write(`\nnpm start: ${message}\n`);
  process.exit(1);
};

function checkJava() {
  try {
    const out = execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out;
  } catch (error) {
    if (error.code === 'ENOENT') fail('Java is not installed; the Firestore emulator needs Java 17 or newer (e.g. `sudo apt-get install openjdk-17-jre-headless`).');
    return '';
  }
}

async function main() {
  await assertPortsFree(PORTS).catch((error) => fail(error.message));
  checkJava();
  // ORDERPALLY_SKIP_BUILD=1 serves functions/lib as it is (CI has just built it).
  if (process.env.ORDERPALLY_SKIP_BUILD !== '1') {
    say('Building functions …');
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) fail('the TypeScript build failed (see above).');
  }

  say('Starting the Firestore emulator, the Auth emulator and MailDev …');
  const services = [];
  const stopAll = () => Promise.allSettled(services.map((s) => s.stop()));
  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: saving emulator data and stopping every service …`);
    stopCron?.();
    await web?.close().catch(() => {});
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
    await stopAll();
    say('Stopped.');
    process.exit(0);
  };
  let server;
  let stopCron;
  let web;
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  // Whatever goes wrong, never leave the emulators running behind us.
  process.on('uncaughtException', (error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    void shutdown('error');
  });

  const started = await Promise.allSettled([
    startFirestore({ host: HOST, port: PORTS.firestore, projectId: PROJECT_ID, rules: path.join(ROOT, 'firestore.rules'), dataDir: DATA && path.join(DATA, 'firestore'), logDir: LOGS }),
    startAuth({ host: HOST, port: PORTS.auth, hubPort: PORTS['emulator hub'], loggingPort: PORTS['emulator logging'], projectId: PROJECT_ID, dataDir: DATA && path.join(DATA, 'auth'), logDir: LOGS }),
    startMaildev({ host: HOST, smtpPort: PORTS.smtp, webPort: PORTS.inbox, logDir: LOGS }),
  ]);
  for (const s of started) if (s.status === 'fulfilled') services.push(s.value);
  const failures = started.filter((s) => s.status === 'rejected');
  if (failures.length > 0) {
    await stopAll();
    fail(`${failures.map((f) => f.reason.message).join('\n')}\nLogs: ${LOGS}`);
  }
  const [firestore, auth, maildev] = services;

  // The functions read their config from the environment, as in Cloud Functions.
  Object.assign(process.env, {
    GCLOUD_PROJECT: PROJECT_ID,
    FUNCTION_REGION: REGION,
    FIRESTORE_EMULATOR_HOST: firestore.host,
    FIREBASE_AUTH_EMULATOR_HOST: auth.host,
    SMTP_URL: process.env.SMTP_URL || maildev.smtpUrl,
    ALLOWED_ORIGINS: EPHEMERAL ? `http://${HOST}:${PORTS.web}` : (process.env.ALLOWED_ORIGINS || 'http://localhost:5173,http://127.0.0.1:5173,http://localhost:3000'),
    PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL || `http://${HOST}:${PORTS.functions}`,
    // Never probe the GCE metadata server for credentials: the emulators need none.
    METADATA_SERVER_DETECTION: 'none',
  });
  const require = createRequire(import.meta.url);
  const { FUNCTIONS } = require(path.join(ROOT, 'functions/lib/index.js'));
  const { createLocalServer, startLocalCron } = require(path.join(ROOT, 'functions/lib/local/server.js'));
  const { SCHEDULED_JOBS } = require(path.join(ROOT, 'functions/lib/local/schedule.js'));
  const { loadConfig } = require(path.join(ROOT, 'functions/lib/config.js'));
  try {
    loadConfig();
  } catch (error) {
    await stopAll();
    fail(error.message);
  }

  const names = Object.keys(FUNCTIONS);
  server = createLocalServer({ projectId: PROJECT_ID, region: REGION, functionNames: names });
  await new Promise((resolve, reject) => server.once('error', reject).listen(PORTS.functions, HOST, resolve)).catch(async (error) => {
    await stopAll();
    fail(`the functions server could not listen on ${PORTS.functions}: ${error.message}`);
  });
  const base = `http://${HOST}:${PORTS.functions}/${PROJECT_ID}/${REGION}`;
  // Sign-ups and sign-ins through the Auth emulator now go through beforeCreate / beforeSignIn.
  await registerBlockingFunctions({ authHost: auth.host, projectId: PROJECT_ID, baseUrl: base }).catch(async (error) => {
    server.close();
    await stopAll();
    fail(error.message);
  });
  stopCron = startLocalCron(SCHEDULED_JOBS, base, (job, status, body) => {
    say(`[cron] ${job} → ${status instanceof Error ? status.message : status} ${body.slice(0, 200)}`);
  });

  say('Building and serving the web client …');
  const functionsHost = `${HOST}:${PORTS.functions}`;
  try {
    await buildWeb({ authHost: auth.host, functionsHost, projectId: PROJECT_ID, outDir: WEB_OUT });
    web = await serveWeb({ outDir: WEB_OUT, host: HOST, port: PORTS.web, authHost: auth.host, functionsHost });
  } catch (error) {
    stopCron();
    server.close();
    await stopAll();
    fail(`the web client did not start: ${error.message}`);
  }
  if (EPHEMERAL) {
    say(`ORDERPALLY_READY ${JSON.stringify({ web: web.url, functions: base, firestore: firestore.host, auth: auth.host, smtp: maildev.smtpUrl, inbox: maildev.webUrl, projectId: PROJECT_ID, logs: LOGS })}`);
  }

  say('');
  say('OrderPally backend is running (project demo-orderpally, region asia-east1).');
  say(`  Web client     ${web.url}   (account centre and, for staff, the support console)`);
  say(`  Functions      ${base}/<name>`);
  for (const name of names) say(`                 ${base}/${name}`);
  say(`  security.txt   http://${HOST}:${PORTS.functions}/.well-known/security.txt`);
  say(`  Firestore      http://${firestore.host}   (emulator${DATA ? ', data kept in .emulators/firestore' : ''})`);
  say(`  Auth           http://${auth.host}   (emulator${DATA ? ', data kept in .emulators/auth' : ''})`);
  say(`  Mail inbox     ${maildev.webUrl}   (SMTP ${maildev.smtpUrl})`);
  say(`  Scheduled jobs ${SCHEDULED_JOBS.length === 0 ? 'none yet' : SCHEDULED_JOBS.map((j) => `${j.name} every ${j.everyMinutes} min`).join(', ')}`);
  say(`  Logs           ${LOGS}`);
  say('Press Ctrl-C to stop everything.');
}

main().catch((error) => fail(error.stack ?? String(error)));
