import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createDeps, type Deps } from '../../src/deps';
import { fixedClock } from '../../src/shared/clock';
import type { Logger } from '../../src/shared/log';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const PROJECT_ID = 'demo-orderpally';

/** A Firestore emulator of this test file's own: backups export, wipe and import the whole database. */
export interface OwnFirestore {
  readonly host: string;
}

// Runs startFirestore from scripts/lib/stack.mjs (ESM, which jest cannot import) in a child
// process that prints the host and stops the emulator on SIGTERM.
const LAUNCHER = `
import(${JSON.stringify(path.join(ROOT, 'scripts/lib/stack.mjs'))}).then(async (stack) => {
  const port = await stack.freePort();
  const service = await stack.startFirestore({ port, projectId: ${JSON.stringify(PROJECT_ID)}, logDir: process.env.LOG_DIR });
  process.stdout.write(JSON.stringify({ host: service.host }) + '\\n');
  const stop = () => service.stop(2000).then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}).catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
`;

/**
 * Starts a dedicated Firestore emulator before the file's tests and points this file's process
 * (FIRESTORE_EMULATOR_HOST: jest gives each test file its own copy of process.env) at it, so
 * wiping and restoring never touches another test file's data. Stops it after the tests.
 */
export function useOwnFirestore(): OwnFirestore {
  let child: ChildProcess | undefined;
  let host: string | undefined;
  beforeAll(async () => {
    const logDir = process.env.ORDERPALLY_TEST_LOGS ?? mkdtempSync(path.join(os.tmpdir(), 'backup-test-'));
    child = spawn(process.execPath, ['--input-type=module', '-e', LAUNCHER], { env: { ...process.env, LOG_DIR: logDir }, stdio: ['pipe', 'pipe', 'pipe'] });
    host = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { host: string }).host);
      });
      child?.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child?.once('exit', (code) => reject(new Error(`Firestore emulator launcher exited (${code}): ${err}`)));
    });
    process.env.FIRESTORE_EMULATOR_HOST = host;
  }, 90_000);
  afterAll(async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGTERM');
    await exited;
  }, 30_000);
  return {
    get host() {
      if (!host) throw new Error('useOwnFirestore: used before beforeAll ran');
      return host;
    },
  };
}

/** A logger that drops everything (expected ERROR events would clutter the output). */
export const quietLog: Logger = { log: () => undefined };

/** Deps on the current env plus `env`, with a fixed clock at `at` (real clock when omitted). */
export function backupDeps(env: Record<string, string | undefined>, at?: Date): { deps: Deps; clock: ReturnType<typeof fixedClock> } {
  const clock = fixedClock(at ?? new Date());
  const config = loadConfig({ ...process.env, ...env });
  const deps = createDeps(config, at ? { clock, log: quietLog } : { log: quietLog });
  return { deps, clock };
}

/** A fresh temporary folder for local exports. */
export function tempBackupDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'orderpally-backups-'));
}

async function emulatorFetch(host: string, pathname: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(`http://${host}${pathname}`, {
    ...init,
    headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' },
  });
  if (!response.ok) throw new Error(`emulator ${pathname}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Deletes every document of the (own) emulator's database. */
export async function wipe(host: string): Promise<void> {
  await emulatorFetch(host, `/emulator/v1/projects/${PROJECT_ID}/databases/(default)/documents`, { method: 'DELETE' });
}

/**
 * Every document of the database as `path → fields` (the REST API's typed values, so a timestamp
 * that came back as a string would differ), read with the kindless all-descendants query.
 */
export async function dumpDatabase(host: string): Promise<Map<string, unknown>> {
  const rows = (await emulatorFetch(host, `/v1/projects/${PROJECT_ID}/databases/(default)/documents:runQuery`, {
    method: 'POST',
    body: JSON.stringify({ structuredQuery: { from: [{ allDescendants: true }] } }),
  })) as Array<{ document?: { name: string; fields?: unknown } }>;
  const out = new Map<string, unknown>();
  for (const row of rows) if (row.document) out.set(row.document.name.split('/documents/')[1] ?? '', row.document.fields ?? {});
  return out;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Document count and a SHA-256 over every path and its fields, in path order; documents whose path
 * starts with `exclude` (e.g. `backups/`) are left out.
 */
export async function fingerprint(host: string, exclude?: string): Promise<{ count: number; hash: string }> {
  const dump = await dumpDatabase(host);
  if (exclude) for (const key of [...dump.keys()]) if (key.startsWith(exclude)) dump.delete(key);
  const hash = createHash('sha256');
  for (const key of [...dump.keys()].sort()) hash.update(`${key}\n${canonical(dump.get(key))}\n`);
  return { count: dump.size, hash: hash.digest('hex') };
}
