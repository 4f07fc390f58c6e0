// `npm run bench`: builds once (the deploy bundle and functions/lib), then runs every benchmark in
// turn, each with its own emulators on free ports, printing a progress line as each starts; then
// prints the whole table from bench/results.json against bench/targets.mjs and the run's duration.
// Exits 1 when a benchmark itself failed or wrote no rows, never for a missed target (the misses
// are named). `npm run bench -- mail export` runs only those. See bench/README.md.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RESULTS_FILE } from '../scripts/lib/bench.mjs';
import { ROOT } from '../scripts/lib/stack.mjs';
import { printTable, verdict } from './targets.mjs';

/** Every benchmark, in the order `npm run bench` runs them, and the rows each writes. */
const BENCHMARKS = [
  { name: 'functions', rows: ['coldStart.getAccount', 'callable.getAccount.p50', 'load.getAccount.p99'] },
  { name: 'mail', rows: ['mail.1000'] },
  { name: 'notices', rows: ['notices.10k'] },
  { name: 'export', rows: ['export.100k', 'export.100k.rssGrowth'] },
  { name: 'lifecycle', rows: ['destroy.50k', 'lifecycle.1k', 'lifecycle.scaling'] },
];

// Rounded to the second first, so 119.6 s reads "2 min 0 s", not "1 min 60 s".
const minutes = (ms) => {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
};

/** Runs a command with the terminal; resolves with its exit code. Ctrl-C reaches it too (same process group). */
async function run(command, args, env = {}) {
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  const [code, signal] = await once(child, 'exit');
  return signal ? 128 : code;
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !BENCHMARKS.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}: choose from ${BENCHMARKS.map((b) => b.name).join(', ')}.`);
  process.exit(2);
}
const chosen = wanted.length > 0 ? BENCHMARKS.filter((b) => wanted.includes(b.name)) : BENCHMARKS;
const began = performance.now();
// A whole run starts from an empty results file, so every row in it comes from this run.
if (wanted.length === 0) rmSync(RESULTS_FILE, { force: true });

console.log('[bench] building functions/lib and the deploy bundle (once, for every benchmark)…');
if ((await run('npm', ['run', 'build', '--silent'])) !== 0) {
  console.error('[bench] the build failed: nothing measured.');
  process.exit(1);
}
const failed = [];
for (const [i, bench] of chosen.entries()) {
  console.log(`\n[bench] ${i + 1}/${chosen.length} ${bench.name} (started at ${minutes(performance.now() - began)})`);
  const started = performance.now();
  const code = await run(process.execPath, [path.join('bench', `${bench.name}.mjs`)], { ORDERPALLY_BENCH_BUILT: '1' });
  console.log(`[bench] ${bench.name}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${minutes(performance.now() - started)}`);
  if (code !== 0) failed.push(bench.name);
}

let rows = [];
try {
  rows = JSON.parse(readFileSync(RESULTS_FILE, 'utf8'));
} catch {
  // no results at all: reported below
}
const missing = chosen.flatMap((b) => b.rows).filter((name) => !rows.some((r) => r.name === name));
printTable(rows);
const missed = rows.filter((r) => verdict(r) === 'MISSED');
console.log(missed.length === 0 ? '\nAll targets met.' : `\nMissed: ${missed.map((r) => `${r.name} (ratio ${r.ratio})`).join(', ')}`);
console.log(`Total: ${minutes(performance.now() - began)}.`);
if (failed.length > 0 || missing.length > 0) {
  console.error(`[bench] failed: ${[...failed, ...missing.map((name) => `no row ${name}`)].join(', ')}`);
  process.exit(1);
}
