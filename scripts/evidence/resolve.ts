import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CLAUSE_IDS, EvidenceError, type ClauseEvidence, type ClauseSpec, type ControlRef, type FoundControl, type TestOutcome, type TestRef } from './model';
import type { TestRun } from './results';
import { declaredSymbols, testTemplates, type TestTemplate } from './source';

/** Reads repository files once each. */
class Repo {
  private readonly symbols = new Map<string, Map<string, number> | null>();
  private readonly templates = new Map<string, TestTemplate[] | null>();
  constructor(readonly root: string) {}

  private read(file: string): string | null {
    const full = path.join(this.root, file);
    return existsSync(full) ? readFileSync(full, 'utf8') : null;
  }

  symbolsOf(file: string): Map<string, number> | null {
    if (!this.symbols.has(file)) {
      const text = this.read(file);
      this.symbols.set(file, text === null ? null : declaredSymbols(file, text));
    }
    return this.symbols.get(file) ?? null;
  }

  testsOf(file: string): TestTemplate[] | null {
    if (!this.templates.has(file)) {
      const text = this.read(file);
      this.templates.set(file, text === null ? null : testTemplates(file, text));
    }
    return this.templates.get(file) ?? null;
  }
}

const cited = (ref: TestRef): string => ('name' in ref ? `"${ref.name}"` : `pattern ${String(ref.pattern)}`);

/** Every clause of the agreement's list exactly once, and nothing else. */
function checkIds(clauses: readonly ClauseSpec[], problems: string[]): void {
  for (const id of CLAUSE_IDS) {
    const n = clauses.filter((c) => c.id === id).length;
    if (n !== 1) problems.push(`clause ${id} is in the map ${n} times (once expected)`);
  }
  for (const c of clauses) if (!(CLAUSE_IDS as readonly string[]).includes(c.id)) problems.push(`clause ${c.id} is not an operative clause of the agreement`);
}

function findControl(repo: Repo, clause: string, control: ControlRef, problems: string[]): FoundControl | null {
  const symbols = repo.symbolsOf(control.path);
  if (!symbols) {
    problems.push(`clause ${clause}: control file ${control.path} does not exist`);
    return null;
  }
  const line = symbols.get(control.symbol);
  if (line === undefined) {
    problems.push(`clause ${clause}: ${control.path} declares no ${control.symbol}`);
    return null;
  }
  return { ...control, line };
}

/** The problems of the map itself, without any test results: missing files, symbols, tests as written. */
export function checkMap(root: string, clauses: readonly ClauseSpec[]): string[] {
  const repo = new Repo(root);
  const problems: string[] = [];
  checkIds(clauses, problems);
  for (const clause of clauses) {
    if (clause.controls.length === 0) problems.push(`clause ${clause.id} names no control`);
    if (clause.tests.length === 0) problems.push(`clause ${clause.id} cites no test`);
    for (const control of clause.controls) findControl(repo, clause.id, control, problems);
    for (const ref of clause.tests) {
      const templates = repo.testsOf(ref.file);
      if (!templates) {
        problems.push(`clause ${clause.id}: test file ${ref.file} does not exist`);
        continue;
      }
      const found = 'name' in ref ? templates.some((t) => t.fullName.test(ref.name)) : templates.some((t) => ref.pattern.test(t.written));
      if (!found) problems.push(`clause ${clause.id}: ${ref.file} has no test ${cited(ref)}`);
    }
  }
  return problems;
}

/**
 * Each clause with its controls (and the line each is declared on) and the outcome of every test it
 * cites. A clause is green only when it cites a test and all of its tests passed.
 * @throws EvidenceError naming every cited test that is not in the results, every missing control
 * file and every symbol that is not declared in its file.
 */
export function resolveClauses(root: string, clauses: readonly ClauseSpec[], run: TestRun): ClauseEvidence[] {
  const repo = new Repo(root);
  const problems: string[] = [];
  checkIds(clauses, problems);
  const evidence = clauses.map((clause): ClauseEvidence => {
    const controls = clause.controls.map((c) => findControl(repo, clause.id, c, problems)).filter((c): c is FoundControl => c !== null);
    if (clause.controls.length === 0) problems.push(`clause ${clause.id} names no control`);
    if (clause.tests.length === 0) problems.push(`clause ${clause.id} cites no test`);
    const tests = clause.tests.flatMap((ref) => {
      const matched: TestOutcome[] = run.outcomes.filter((o) => o.file === ref.file && ('name' in ref ? o.name === ref.name : ref.pattern.test(o.name)));
      if (matched.length === 0) {
        const broken = run.brokenFiles.get(ref.file);
        problems.push(`clause ${clause.id}: cited test ${cited(ref)} in ${ref.file} is not in the test results` +
          (broken ? ` (the file failed to run: ${broken})` : ''));
      }
      const templates = repo.testsOf(ref.file) ?? [];
      return matched.map((o) => ({ ...o, line: templates.find((t) => t.fullName.test(o.name))?.line ?? null }));
    });
    return { id: clause.id, promise: clause.promise, controls, tests, green: tests.length > 0 && tests.every((t) => t.status === 'passed') };
  });
  if (problems.length > 0) throw new EvidenceError(problems);
  return evidence;
}
