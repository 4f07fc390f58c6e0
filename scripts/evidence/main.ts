import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deployControls } from './deploy-controls';
import { renderHtml } from './html';
import { EvidenceError, type ClauseSpec, type Report } from './model';
import { readResults, totals } from './results';
import { resolveClauses } from './resolve';
import { rulesMatrix } from './rules-matrix';

/** What a run reads and where it writes; tests pass a fixture map and a temporary folder. */
export interface EvidenceIo {
  readonly root: string;
  readonly outDir: string;
  readonly clauses: readonly ClauseSpec[];
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly now: () => Date;
  /** Runs the test suites into `outDir`, answering the jest JSON results files it wrote. */
  readonly runTests: (outDir: string) => Promise<string[]>;
}

/** One `jest --runInBand --json --outputFile=…` in `root`; a failing test is in the results, not an error. */
function jestInto(root: string, outputFile: string, config: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/jest/bin/jest.js'), ...config, '--runInBand', '--json', `--outputFile=${outputFile}`],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
}

/**
 * Runs both suites as `npm test` and `npm run test:web` do, each into its own results file
 * (evidence may cite browser tests); earlier results are removed first, so none is reported as this run's.
 */
export function runJest(root: string): (outDir: string) => Promise<string[]> {
  return async (outDir) => {
    const files = [path.join(outDir, 'jest-results.json'), path.join(outDir, 'web-results.json')];
    for (const file of files) rmSync(file, { force: true });
    await jestInto(root, files[0]!, []);
    await jestInto(root, files[1]!, ['--config', 'jest.web.config.js']);
    return files;
  };
}

/**
 * `npm run evidence [-- --results <jest.json>]...`: writes evidence/report.json and
 * evidence/index.html. Returns 0 when every clause is green, 1 when any is red (after writing
 * both files), 2 when the map does not hold (nothing written; the message names each problem).
 */
export async function evidenceMain(argv: readonly string[], io: EvidenceIo): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { results: { type: 'string', multiple: true } }, strict: true });
  let files = values.results ?? [];
  mkdirSync(io.outDir, { recursive: true });
  if (files.length === 0) files = await io.runTests(io.outDir);
  try {
    const run = readResults(io.root, files.map((f) => path.resolve(io.root, f)));
    const clauses = resolveClauses(io.root, io.clauses, run);
    const report: Report = {
      commit: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: io.root, encoding: 'utf8' }).trim(),
      uncommittedChanges: execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: io.root, encoding: 'utf8' }).trim() !== '',
      generatedAt: io.now().toISOString(),
      node: process.version,
      clauses,
      totals: totals(run.outcomes),
      rulesMatrix: rulesMatrix(io.root, run.outcomes),
      deploy: deployControls(),
    };
    writeFileSync(path.join(io.outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(path.join(io.outDir, 'index.html'), renderHtml(report));
    const red = clauses.filter((c) => !c.green);
    io.out(`evidence: ${clauses.length - red.length} of ${clauses.length} clauses green; ${path.relative(io.root, io.outDir) || '.'}/index.html and report.json written\n`);
    for (const c of red) io.err(`evidence: clause ${c.id} is RED: ${c.tests.filter((t) => t.status !== 'passed').map((t) => `${t.status}: ${t.name} (${t.file})`).join('; ')}\n`);
    return red.length === 0 ? 0 : 1;
  } catch (error) {
    if (!(error instanceof EvidenceError)) throw error;
    // A stale report must not outlive a run that could not make one.
    for (const name of ['report.json', 'index.html']) if (existsSync(path.join(io.outDir, name))) rmSync(path.join(io.outDir, name));
    io.err(`evidence: ${error.message}\n`);
    return 2;
  }
}
