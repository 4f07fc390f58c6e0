import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { EvidenceError, type RulesMatrix, type TestOutcome } from './model';

/** The rules matrix test file; its dimensions are the array and object literals named below. */
export const RULES_MATRIX_FILE = 'functions/test/rules/rules.test.ts';
const MATRIX_DESCRIBE = 'firestore.rules: the complete matrix ';

/** The number of elements (array) or keys (object) of the literal a top-level `const name = …` holds. */
function literalSizes(text: string): Map<string, number> {
  const source = ts.createSourceFile(RULES_MATRIX_FILE, text, ts.ScriptTarget.Latest, true);
  const sizes = new Map<string, number>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      let init = d.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
      if (!ts.isIdentifier(d.name) || !init) continue;
      if (ts.isArrayLiteralExpression(init)) sizes.set(d.name.text, init.elements.length);
      if (ts.isObjectLiteralExpression(init)) sizes.set(d.name.text, init.properties.length);
    }
  }
  return sizes;
}

/**
 * How many cells the Firestore rules matrix asserts: collections × principals × operations × account
 * states, read from the test file's own tables, and how many of its tests (one per collection ×
 * state, each asserting every principal × operation) ran and passed.
 * @throws EvidenceError when the tables are no longer where this reads them.
 */
export function rulesMatrix(root: string, outcomes: readonly TestOutcome[]): RulesMatrix {
  const sizes = literalSizes(readFileSync(path.join(root, RULES_MATRIX_FILE), 'utf8'));
  const size = (name: string): number => sizes.get(name) ?? -1;
  const [collections, principals, operations, states] = [size('COLLECTIONS'), size('PRINCIPALS'), size('OPS'), size('STATES')];
  const missing = Object.entries({ COLLECTIONS: collections, PRINCIPALS: principals, OPS: operations, STATES: states }).filter(([, n]) => n < 0);
  if (missing.length > 0) throw new EvidenceError(missing.map(([name]) => `${RULES_MATRIX_FILE} declares no literal ${name}: the rules-matrix size cannot be read`));
  const tests = outcomes.filter((o) => o.file === RULES_MATRIX_FILE && o.name.startsWith(MATRIX_DESCRIBE));
  return {
    collections, principals, operations, states,
    cells: collections * principals * operations * states,
    tests: tests.length,
    passed: tests.filter((t) => t.status === 'passed').length,
  };
}
