import { ENTRIES } from '../../functions/src/manifest';
import type { FunctionEntry } from '../../functions/src/manifest-entry';

/** Where the generated table sits in README.md. */
export const TABLE_START = '<!-- functions table: generated from functions/src/manifest.ts (functions/test/manifest.test.ts keeps it in sync) -->';
export const TABLE_END = '<!-- end of functions table -->';

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/**
 * The README's table of every function, one row each, from the manifest: what a reader needs to
 * know how it is reached, run, sized and privileged.
 */
export function functionTable(entries: ReadonlyArray<readonly [string, FunctionEntry]> = ENTRIES): string {
  const rows = entries.map(([name, e]) => [`\`${name}\``, e.kind, e.schedule ? `\`${e.schedule.cron}\`` : '-', `${e.sizing.timeoutSeconds} s`,
    `${e.sizing.memory} / ${e.sizing.cpu}`, String(e.sizing.concurrency), String(e.sizing.maxInstances), `\`${e.group}\``,
    e.secrets.map((s) => `\`${s}\``).join(', ') || '-', cell(e.sizing.why)]);
  return [
    TABLE_START,
    '| function | kind | schedule (Asia/Taipei) | timeout | memory / CPU | concurrency | max instances | group | secrets | why |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    TABLE_END,
  ].join('\n');
}

/** The table as README.md holds it now (empty when the markers are missing). */
export function tableIn(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  return start < 0 || end < start ? '' : readme.slice(start, end + TABLE_END.length);
}
