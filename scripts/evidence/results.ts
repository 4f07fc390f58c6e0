import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestOutcome, TestStatus, Totals } from './model';
import { EvidenceError } from './model';

/** What jest's `--json` output holds that the report uses. */
interface JestJson {
  testResults: {
    name: string;
    status?: string;
    message?: string;
    assertionResults: { fullName: string; status: TestStatus; duration?: number | null }[];
  }[];
}

/** The tests of one or more jest results files, with files made relative to `root`. */
export interface TestRun {
  readonly outcomes: readonly TestOutcome[];
  /** Test files that failed to run at all (no results), with jest's message. */
  readonly brokenFiles: ReadonlyMap<string, string>;
}

/**
 * Reads jest `--json` results files (the functions' suite, and optionally the browser tests').
 * @throws EvidenceError when a file is missing or is not jest's JSON.
 */
export function readResults(root: string, files: readonly string[]): TestRun {
  const outcomes: TestOutcome[] = [];
  const brokenFiles = new Map<string, string>();
  for (const file of files) {
    let json: JestJson;
    try {
      json = JSON.parse(readFileSync(file, 'utf8')) as JestJson;
    } catch (error) {
      throw new EvidenceError([`cannot read jest results ${file}: ${error instanceof Error ? error.message : String(error)}`]);
    }
    if (!Array.isArray(json.testResults)) throw new EvidenceError([`${file} is not jest --json output (no testResults)`]);
    for (const suite of json.testResults) {
      const rel = path.relative(root, suite.name).split(path.sep).join('/');
      if (suite.assertionResults.length === 0 && suite.status === 'failed') brokenFiles.set(rel, (suite.message ?? '').split('\n').find((l) => l.trim() !== '') ?? 'failed to run');
      for (const a of suite.assertionResults) outcomes.push({ file: rel, name: a.fullName, status: a.status, durationMs: a.duration ?? null });
    }
  }
  return { outcomes, brokenFiles };
}

/** Counts over every test that ran; pending, skipped, todo and disabled tests count as skipped. */
export function totals(outcomes: readonly TestOutcome[]): Totals {
  const passed = outcomes.filter((o) => o.status === 'passed').length;
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  return { tests: outcomes.length, passed, failed, skipped: outcomes.length - passed - failed };
}
