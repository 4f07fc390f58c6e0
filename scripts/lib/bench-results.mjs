import { readFileSync, writeFileSync } from 'node:fs';
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
