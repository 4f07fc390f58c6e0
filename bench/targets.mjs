// The targets of every benchmark row, in one place: each script prints its rows against them and
// `npm run bench` (bench/run.mjs) checks the whole results file. `ratio`: the most ours ÷ baseline
// may be (lower is better); `value`: the most the row's own value may be (in its unit).

/** @type {Record<string, {ratio?: number, value?: number}>} */
export const TARGETS = {
  'coldStart.getAccount': { ratio: 1.1 },
  'callable.getAccount.p50': { ratio: 1.1 },
  'callable.listActivity.p50': { ratio: 1.1 },
  'callable.exportContent.p50': { ratio: 1.1 },
  'load.getAccount.p99': { ratio: 1.3 },
  'export.100k': { ratio: 1.1 },
  'export.100k.rssGrowth': { value: 64 },
  'mail.1000': { ratio: 1.5 },
  'notices.10k': { ratio: 1.1 },
  'destroy.50k': { ratio: 1.1 },
  'lifecycle.1k': { ratio: 1.3 },
  'lifecycle.scaling': { ratio: 1.2 },
};

/** 'ok', 'MISSED', or '' for a row without a target. */
export function verdict(row) {
  const target = TARGETS[row.name];
  if (!target) return '';
  const ok = (target.ratio === undefined || row.ratio <= target.ratio) && (target.value === undefined || row.value <= target.value);
  return ok ? 'ok' : 'MISSED';
}

/** The target as people read it: `<= 1.1` (a ratio) or `<= 64 MiB` (a value). */
export function targetText(row) {
  const target = TARGETS[row.name];
  if (!target) return '-';
  return [target.ratio !== undefined ? `<= ${target.ratio}` : null, target.value !== undefined ? `<= ${target.value} ${row.unit}` : null].filter(Boolean).join(', ');
}

/** Prints rows as an aligned table with their targets. */
export function printTable(rows) {
  const lines = [['name', 'ours', 'baseline', 'ratio', 'target', 'ok?']];
  for (const r of rows) lines.push([r.name, `${r.value} ${r.unit}`, `${r.baseline} ${r.unit}`, r.ratio.toFixed(3), targetText(r), verdict(r)]);
  const widths = lines[0].map((_, col) => Math.max(...lines.map((line) => line[col].length)));
  const format = (line) => line.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  ').trimEnd();
  console.log(`\n${format(lines[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines.slice(1)) console.log(format(line));
}
