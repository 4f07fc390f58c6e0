import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evidenceMain } from '../../../scripts/evidence/main';
import { CLAUSE_IDS, type ClauseSpec, type Report, type TestStatus } from '../../../scripts/evidence/model';

/** The repository the generator reads controls from. */
export const ROOT = path.resolve(__dirname, '../../..');
/** A test file of the fixture results; it need not exist, only be in the results. */
export const FIXTURE_TESTS = 'functions/test/evidence/fixture.test.ts';
export const KEY_FILE = 'functions/src/apikeys/key.ts';

/** The line `pattern` first occurs on in a repository file. */
export function lineOf(file: string, pattern: RegExp): number {
  return readFileSync(path.join(ROOT, file), 'utf8').split('\n').findIndex((l) => pattern.test(l)) + 1;
}

/** A map with every clause, each kept by hashApiKey and proved by the fixture test `case <id>`. */
export function fixtureMap(change: (c: ClauseSpec) => ClauseSpec = (c) => c): ClauseSpec[] {
  return CLAUSE_IDS.map((id) => change({
    id,
    promise: { 'zh-TW': `條款 ${id}`, en: `clause ${id}` },
    controls: [{ path: KEY_FILE, symbol: 'hashApiKey' }],
    tests: [{ file: FIXTURE_TESTS, name: `evidence fixture case ${id}` }],
  }));
}

/** Jest `--json` output for the fixture tests: every `case <id>` passed unless `statuses` says otherwise. */
export function fixtureResults(statuses: Partial<Record<string, TestStatus | 'absent'>> = {}): object {
  const assertionResults = CLAUSE_IDS.filter((id) => statuses[id] !== 'absent').map((id) => ({
    fullName: `evidence fixture case ${id}`, title: `case ${id}`, ancestorTitles: ['evidence fixture'], status: statuses[id] ?? 'passed', duration: 12,
  }));
  return { numTotalTests: assertionResults.length, testResults: [{ name: path.join(ROOT, FIXTURE_TESTS), status: 'passed', message: '', assertionResults }] };
}

export interface Run {
  code: number;
  out: string;
  err: string;
  dir: string;
  report: () => Report;
  html: () => string;
}

/** Runs `npm run evidence` in-process on `results` (written to a results file) with `clauses`, into a temporary folder. */
export async function runEvidence(clauses: readonly ClauseSpec[], results: object | null, extraArgs: string[] = []): Promise<Run> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'evidence-'));
  const args = [...extraArgs];
  if (results) {
    writeFileSync(path.join(dir, 'results.json'), JSON.stringify(results));
    args.push('--results', path.join(dir, 'results.json'));
  }
  let out = '';
  let err = '';
  const code = await evidenceMain(args, {
    root: ROOT, outDir: path.join(dir, 'evidence'), clauses,
    out: (t) => { out += t; }, err: (t) => { err += t; },
    now: () => new Date('2026-12-01T06:00:00Z'),
    runTests: async (outDir) => {
      const file = path.join(outDir, 'jest-results.json');
      writeFileSync(file, JSON.stringify(fixtureResults()));
      return [file];
    },
  });
  return {
    code, out, err, dir,
    report: () => JSON.parse(readFileSync(path.join(dir, 'evidence/report.json'), 'utf8')) as Report,
    html: () => readFileSync(path.join(dir, 'evidence/index.html'), 'utf8'),
  };
}

export const headCommit = (): string => execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
/** Whether tracked files differ from HEAD right now. */
export function hasUncommittedChanges(): boolean {
  try {
    execFileSync('git', ['diff', 'HEAD', '--quiet'], { cwd: ROOT, stdio: 'ignore' });
    return false;
  } catch {
    return true; // --quiet exits 1 when tracked files differ
  }
}
