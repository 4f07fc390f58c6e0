// Starts `npm start`'s stack (scripts/start.mjs) on free ports with no saved data, and hands its
// addresses to the tests through the environment.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../../scripts/lib/stack.mjs';

export default async function globalSetup() {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
    cwd: ROOT,
    env: { ...process.env, ORDERPALLY_EPHEMERAL: '1', LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  globalThis.__ORDERPALLY_STACK__ = child;
  let output = '';
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local stack did not start in 180 s:\n${output}`)), 180_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const line = /ORDERPALLY_READY (\{.*\})/.exec(output);
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line[1]));
      }
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`the local stack exited (${code}) before it was ready:\n${output}`)));
  });
  Object.assign(process.env, {
    WEB_URL: ready.web,
    FUNCTIONS_URL: ready.functions,
    FIRESTORE_EMULATOR_HOST: ready.firestore,
    FIREBASE_AUTH_EMULATOR_HOST: ready.auth,
    MAILDEV_URL: ready.inbox,
    GCLOUD_PROJECT: ready.projectId,
    STACK_LOGS: ready.logs,
    // The tests' admin SDK never probes the GCE metadata server: everything is local.
    METADATA_SERVER_DETECTION: 'none',
  });
}
