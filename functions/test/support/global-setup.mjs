// Starts the real services the tests talk to, on free ports, and points every test at them.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { ROOT, freePort, startAuth, startFirestore, startMaildev } from '../../../scripts/lib/stack.mjs';

export default async function globalSetup() {
  const projectId = 'demo-orderpally';
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'orderpally-test-'));
  const [firestorePort, authPort, hubPort, loggingPort, smtpPort, webPort] = await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  );
  const started = await Promise.allSettled([
    startFirestore({ port: firestorePort, projectId, rules: path.join(ROOT, 'firestore.rules'), logDir }),
    startAuth({ port: authPort, hubPort, loggingPort, projectId, logDir }),
    startMaildev({ smtpPort, webPort, logDir }),
  ]);
  const services = started.filter((s) => s.status === 'fulfilled').map((s) => s.value);
  globalThis.__ORDERPALLY_SERVICES__ = services;
  const failed = started.filter((s) => s.status === 'rejected');
  if (failed.length > 0) {
    await Promise.all(services.map((s) => s.stop()));
    throw new Error(`Test services did not start (logs in ${logDir}):\n${failed.map((f) => f.reason.message).join('\n')}`);
  }
  const [firestore, auth, maildev] = services;
  Object.assign(process.env, {
    GCLOUD_PROJECT: projectId,
    FIRESTORE_EMULATOR_HOST: firestore.host,
    FIREBASE_AUTH_EMULATOR_HOST: auth.host,
    SMTP_URL: maildev.smtpUrl,
    MAILDEV_URL: maildev.webUrl,
    ALLOWED_ORIGINS: 'https://app.orderpally.test',
    LOG_LEVEL: 'ERROR',
    ORDERPALLY_TEST_LOGS: logDir,
    // Never probe the GCE metadata server (169.254.169.254) for credentials: everything is local.
    METADATA_SERVER_DETECTION: 'none',
  });
}
