import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = path.resolve(__dirname, '../../..');
const BUNDLER = path.join(ROOT, 'scripts', 'bundle-functions.mjs');
// The CLI's real script, run with this node: what `npm start` of a deployed function runs.
const FRAMEWORK_MAIN = realpathSync(path.join(ROOT, 'node_modules', '.bin', 'functions-framework'));

/** The parts of esbuild's metafile the tests read. */
export interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }>; imports: { path: string; external?: boolean }[] }>;
}

/**
 * A deploy bundle built by scripts/bundle-functions.mjs into a temporary folder (not functions/dist,
 * which a benchmark or a deploy may be reading), with esbuild's metafile beside it.
 */
export function buildBundle(): { dir: string; metafile: Metafile } {
  const base = mkdtempSync(path.join(os.tmpdir(), 'orderpally-bundle-'));
  const dir = path.join(base, 'dist');
  const meta = path.join(base, 'meta.json');
  const run = spawnSync(process.execPath, [BUNDLER, '--outdir', dir, '--metafile', meta], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the bundler failed:\n${run.stdout}\n${run.stderr}`);
  return { dir, metafile: JSON.parse(readFileSync(meta, 'utf8')) as Metafile };
}

/**
 * The environment a bundle runs in here. Deployed, the Cloud Functions build installs its package.json
 * dependencies next to it; in a temporary folder, NODE_PATH points Node at the ones the tests use.
 */
export function bundleEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), LOG_LEVEL: 'ERROR' };
}

/** Runs `node -e script` in the bundle's environment; returns its stdout. */
export function nodeEval(script: string): string {
  const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, env: bundleEnv(), encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`node -e failed:\n${run.stderr}`);
  return run.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });

/** A `functions-framework --source=<dir> --target=<name>` process, listening. */
export interface ServedFunction {
  readonly port: number;
  /** Stops the process; resolves with everything it wrote to stdout and stderr. */
  stop(): Promise<string>;
}

/** Reports every ICU formatter a process builds (preloaded with `node --require`). */
export const ICU_PROBE = path.join(__dirname, 'icu-probe.cjs');

/**
 * Spawns the Functions Framework CLI on the bundle, as Cloud Run starts a deployed function, and waits
 * until it listens. `preload`: a script node requires first.
 */
export async function serveBundle(dir: string, target: string, preload?: string): Promise<ServedFunction> {
  const port = await freePort();
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [...(preload ? ['--require', preload] : []), FRAMEWORK_MAIN, `--source=${dir}`, `--target=${target}`, `--port=${port}`], {
    cwd: ROOT, env: bundleEnv(), stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
  // 'close', not 'exit': by then everything the process wrote has been read.
  const closed = once(child, 'close');
  const stop = async (): Promise<string> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await closed;
    return output.join('');
  };
  const deadline = Date.now() + 30_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`functions-framework did not listen on ${port}:\n${await stop()}`);
    }
    await sleep(50);
  }
  return { port, stop };
}
