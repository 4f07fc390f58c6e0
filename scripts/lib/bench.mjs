import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './stack.mjs';

/** Where every benchmark writes its rows (not committed). */
export const RESULTS_FILE = path.join(ROOT, 'bench', 'results.json');

/**
 * Merges `rows` (`{name, unit, value, baseline, ratio}`) into bench/results.json: rows of the same
 * name are replaced, every other benchmark's rows are kept (`npm run bench` runs several in turn).
 */
export function mergeResults(rows, file = RESULTS_FILE) {
  let earlier = [];
  try {
    earlier = JSON.parse(readFileSync(file, 'utf8')).filter((r) => !rows.some((m) => m.name === r.name));
  } catch {
    // no earlier results
  }
  writeFileSync(file, `${JSON.stringify([...earlier, ...rows], null, 2)}\n`);
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}

/**
 * What every benchmark script needs around its measurements: a log folder, the services it started
 * (promises of `{stop()}`), `run(command, args)` for child processes (killed on cleanup), and
 * `cleanup()` stopping all of them.
 */
export function benchSession(name) {
  const logDir = mkdtempSync(path.join(os.tmpdir(), `orderpally-${name}-bench-`));
  const services = [];
  const children = new Set();
  const run = (command, args) =>
    new Promise((resolve, reject) => {
      const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', detached: true });
      children.add(child);
      child.once('exit', (code) => {
        children.delete(child);
        if (code === 0) resolve();
        else reject(new Error(`${command} ${args.join(' ')} failed (exit ${code})`));
      });
    });
  const cleanup = async () => {
    for (const child of children) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    const started = await Promise.allSettled(services);
    await Promise.all(started.filter((s) => s.status === 'fulfilled').map((s) => s.value.stop()));
  };
  return { logDir, services, run, cleanup };
}

/**
 * Runs a benchmark's `main` with the session's cleanup on success, failure and Ctrl-C; keeps the
 * logs only when it failed. Exits 1 only when the benchmark itself failed, never for a missed target.
 */
export async function runBench(name, session, main) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the services…\n`);
      void session.cleanup().finally(() => process.exit(130));
    });
  }
  let failed = false;
  try {
    await main();
  } catch (error) {
    failed = true;
    console.error(`\nThe ${name} benchmark failed: ${error.stack ?? error}\nLogs: ${session.logDir}`);
  } finally {
    await session.cleanup();
    if (!failed) rmSync(session.logDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}
