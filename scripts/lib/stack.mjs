// Starting and stopping the local services: the Firestore emulator (Google Cloud SDK), the Auth
// emulator (firebase-tools) and MailDev. Used by `npm start`, the jest global setup and the benchmarks.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portTaken(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** Throws naming every port of `wanted` ({name: port}) that something already listens on. */
export async function assertPortsFree(wanted) {
  const taken = [];
  for (const [name, port] of Object.entries(wanted)) {
    if (await portTaken(port)) taken.push(`${port} (${name})`);
  }
  if (taken.length > 0) {
    throw new Error(`Port${taken.length > 1 ? 's' : ''} already in use: ${taken.join(', ')}. Stop whatever listens there (\`lsof -i :PORT\`) and try again.`);
  }
}

function sdkRoots() {
  const roots = [process.env.CLOUDSDK_ROOT_DIR, process.env.CLOUDSDK_ROOT].filter(Boolean);
  try {
    const gcloud = execFileSync('sh', ['-c', 'command -v gcloud'], { encoding: 'utf8' }).trim();
    if (gcloud) roots.push(path.resolve(path.dirname(execFileSync('readlink', ['-f', gcloud], { encoding: 'utf8' }).trim()), '..'));
  } catch { /* gcloud is not on PATH */ }
  roots.push('/usr/lib/google-cloud-sdk', '/usr/share/google-cloud-sdk', '/opt/google-cloud-sdk', path.join(os.homedir(), 'google-cloud-sdk'));
  return roots;
}

/**
 * Finds the Firestore emulator: on PATH, in a Google Cloud SDK, or a jar in the firebase-tools cache.
 * @returns {{command: string, args: string[], source: string}}
 */
export function findFirestoreEmulator() {
  try {
    const onPath = execFileSync('sh', ['-c', 'command -v cloud_firestore_emulator'], { encoding: 'utf8' }).trim();
    if (onPath) return { command: onPath, args: [], source: onPath };
  } catch { /* not on PATH */ }
  for (const root of sdkRoots()) {
    const launcher = path.join(root, 'platform', 'cloud-firestore-emulator', 'cloud_firestore_emulator');
    if (existsSync(launcher)) return { command: launcher, args: [], source: launcher };
  }
  const cache = path.join(os.homedir(), '.cache', 'firebase', 'emulators');
  if (existsSync(cache)) {
    const jar = readdirSync(cache).filter((f) => /^cloud-firestore-emulator-v[\d.]+\.jar$/.test(f)).sort().pop();
    if (jar) return { command: 'java', args: ['-jar', path.join(cache, jar)], source: path.join(cache, jar) };
  }
  throw new Error([
    'The Firestore emulator was not found (looked on PATH, in the Google Cloud SDK and in ~/.cache/firebase/emulators).',
    'Install it with one of:',
    '  gcloud components install cloud-firestore-emulator',
    '  sudo apt-get install google-cloud-cli-firestore-emulator',
    'It needs Java 17 or newer (`java -version`).',
  ].join('\n'));
}

/** Polls `url` until it answers 2xx, the child exits, or `timeoutMs` passes. */
export async function waitForHttp(url, { timeoutMs = 60_000, child, name = url } = {}) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  child?.once('exit', (code, signal) => { exited = { code, signal }; });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${name} exited (code ${exited.code}, signal ${exited.signal}) before it was ready; see its log.`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs / 1000} s; see its log.`);
}

/** Waits until the service answers; if it never does, stops it so nothing is left running. */
async function ready(service, url, name, timeoutMs = 60_000) {
  try {
    await waitForHttp(url, { child: service.child, name, timeoutMs });
  } catch (error) {
    await service.stop(2_000);
    throw new Error(`${error.message} (log: ${service.logFile})`);
  }
}

/** Spawns a service in its own process group (so stop() ends its children too), logging to a file. */
function spawnService(name, command, args, { logDir, env = {}, cwd = ROOT }) {
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd], detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    name,
    child,
    logFile,
    /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves once the process is gone. */
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const signal = (sig) => { try { process.kill(-child.pid, sig); } catch { /* already gone */ } };
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      signal('SIGKILL'); // grandchildren that ignored SIGTERM
    },
  };
}

/**
 * Saves the emulator's data with its export endpoint into `<dataDir>/current`. The new export is
 * written beside the old one and swapped in only when complete, so an interrupted save loses nothing.
 */
export async function saveFirestore({ host, projectId, dataDir }) {
  const next = `next-${Date.now()}`;
  const response = await fetch(`http://${host}/emulator/v1/projects/${projectId}:export`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ database: `projects/${projectId}/databases/(default)`, export_directory: dataDir, export_name: next }),
  });
  if (!response.ok) throw new Error(`Firestore export failed: ${response.status} ${await response.text()}`);
  const current = path.join(dataDir, 'current');
  rmSync(`${current}.old`, { recursive: true, force: true });
  if (existsSync(current)) renameSync(current, `${current}.old`);
  renameSync(path.join(dataDir, next), current);
  rmSync(`${current}.old`, { recursive: true, force: true });
}

/** Starts the Firestore emulator with our rules; with `dataDir`, data is loaded at start and saved at stop. */
export async function startFirestore({ host = '127.0.0.1', port, projectId, rules, dataDir, logDir }) {
  const emulator = findFirestoreEmulator();
  const args = [...emulator.args, 'start', `--host=${host}`, `--port=${port}`, `--project_id=${projectId}`, '--single_project_mode=true'];
  if (rules) args.push(`--rules=${rules}`);
  const current = dataDir && path.join(dataDir, 'current');
  if (current && existsSync(current)) {
    const metadata = readdirSync(current).find((f) => f.endsWith('.overall_export_metadata'));
    if (metadata) args.push(`--import-data=${path.join(current, metadata)}`);
  }
  const service = spawnService('firestore', emulator.command, args, { logDir });
  const address = `${host}:${port}`;
  await ready(service, `http://${address}/`, 'Firestore emulator');
  // The emulator initialises its database lazily: the first real request takes seconds. Pay that
  // here, so the first sign-up's blocking function answers well within Identity Platform's 7 s.
  await fetch(`http://${address}/v1/projects/${projectId}/databases/(default)/documents/warmup/warmup`, {
    headers: { Authorization: 'Bearer owner' },
  }).catch(() => undefined);
  return {
    ...service,
    host: address,
    source: emulator.source,
    async stop(graceMs) {
      if (dataDir) {
        mkdirSync(dataDir, { recursive: true });
        await saveFirestore({ host: address, projectId, dataDir }).catch((error) => {
          process.stderr.write(`Could not save Firestore emulator data: ${error.message}\n`);
        });
      }
      await service.stop(graceMs);
    },
  };
}

/** Starts the firebase-tools Auth emulator (only auth: its Firestore emulator would need a download). */
export async function startAuth({ host = '127.0.0.1', port, hubPort, loggingPort, projectId, dataDir, logDir }) {
  const configDir = path.join(logDir, 'auth-config');
  mkdirSync(configDir, { recursive: true });
  const config = path.join(configDir, 'firebase.json');
  writeFileSync(config, JSON.stringify({
    emulators: {
      auth: { host, port },
      hub: { host, port: hubPort },
      logging: { host, port: loggingPort },
      ui: { enabled: false },
    },
  }));
  const args = ['emulators:start', '--only', 'auth', '--project', projectId, '--config', config];
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    if (existsSync(path.join(dataDir, 'firebase-export-metadata.json'))) args.push('--import', dataDir);
    args.push('--export-on-exit', dataDir);
  }
  const service = spawnService('auth', path.join(BIN, 'firebase'), args, {
    logDir,
    cwd: configDir,
    env: { NO_UPDATE_NOTIFIER: '1', FIREBASE_CLI_EXPERIMENTS: '' },
  });
  // firebase-tools alone takes ~10 s to load on a quiet machine, several times that on a busy one.
  await ready(service, `http://${host}:${port}/`, 'Auth emulator', 180_000);
  return { ...service, host: `${host}:${port}` };
}

/** Starts MailDev: a real SMTP server with a web inbox and REST API. */
export async function startMaildev({ host = '127.0.0.1', smtpPort, webPort, logDir }) {
  // Each MailDev keeps its own mail folder: the default (/tmp/maildev) is shared by every instance
  // on the machine, so one instance's "delete all" would empty the others.
  const mailDir = path.join(logDir, `maildev-${smtpPort}`);
  mkdirSync(mailDir, { recursive: true });
  const args = ['--ip', host, '--smtp', String(smtpPort), '--web-ip', host, '--web', String(webPort), '--mail-directory', mailDir];
  const service = spawnService('maildev', path.join(BIN, 'maildev'), args, { logDir });
  await ready(service, `http://${host}:${webPort}/api/email`, 'MailDev');
  return { ...service, smtpUrl: `smtp://${host}:${smtpPort}`, webUrl: `http://${host}:${webPort}` };
}

/**
 * Registers our Identity Platform blocking functions with the Auth emulator (its Identity Toolkit
 * config API), so sign-ups and sign-ins through the emulator call `<baseUrl>/beforeCreate` and
 * `<baseUrl>/beforeSignIn` for real. The registration is global to the emulator's project; pass
 * `baseUrl: null` to remove it (sign-ups then skip the functions).
 * @param {{authHost: string, projectId: string, baseUrl: string | null}} options
 *   authHost `127.0.0.1:9099`; baseUrl `http://127.0.0.1:5001/<project>/<region>`.
 */
export async function registerBlockingFunctions({ authHost, projectId, baseUrl }) {
  const triggers = baseUrl === null ? {} : {
    beforeCreate: { functionUri: `${baseUrl}/beforeCreate` },
    beforeSignIn: { functionUri: `${baseUrl}/beforeSignIn` },
  };
  const response = await fetch(`http://${authHost}/identitytoolkit.googleapis.com/v2/projects/${projectId}/config?updateMask=blockingFunctions`, {
    method: 'PATCH',
    headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' },
    body: JSON.stringify({ blockingFunctions: { triggers } }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    throw new Error(`Registering the blocking functions with the Auth emulator failed: ${response.status} ${await response.text()}`);
  }
}
