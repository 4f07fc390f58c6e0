import { CLAUSES } from '../../../scripts/evidence/clauses';
import { CLAUSE_IDS } from '../../../scripts/evidence/model';
import { checkMap } from '../../../scripts/evidence/resolve';
import { declaredSymbols, testTemplates } from '../../../scripts/evidence/source';
import { ROOT } from './helpers';

describe('the clause map (scripts/evidence/clauses.ts) against the repository', () => {
  it('when the map is read, then every clause is there once, every control file declares its symbol, and every cited test is written in its file', () => {
    expect(CLAUSES.map((c) => c.id)).toEqual([...CLAUSE_IDS]);
    expect(checkMap(ROOT, CLAUSES)).toEqual([]);
  });

  it('when a cited test is renamed or a symbol moves, then the static check names it (before any test runs)', () => {
    const [first, ...rest] = CLAUSES;
    if (!first) throw new Error('empty map');
    const ref = first.tests[0];
    if (!ref) throw new Error('first clause cites no test');
    const broken = [{ ...first, tests: [{ ...ref, name: `${'name' in ref ? ref.name : 'x'} (renamed)` }], controls: [{ path: 'firestore.rules', symbol: 'isOwnerr' }] }, ...rest];
    expect(checkMap(ROOT, broken)).toEqual([
      `clause ${first.id}: firestore.rules declares no isOwnerr`,
      expect.stringMatching(new RegExp(`^clause ${first.id.replace('.', '\\.')}: ${ref.file} has no test ".+ \\(renamed\\)"$`)),
    ]);
  });
});

describe('reading declarations and test names', () => {
  it('when a name is only mentioned in a comment, a string or a call, then it is not declared; exports, consts, types and nested destructuring are', () => {
    const text = [
      '// hashApiKey is documented here',
      "const label = 'generateApiKey';",
      'export function keep(): void { run(); }',
      'export const { a, b: [c] } = make();',
      'export type Kind = string;',
      'interface Shape { x: number }',
      'enum Mode { On }',
      'class Thing {}',
    ].join('\n');
    expect([...declaredSymbols('x.ts', text)]).toEqual([['label', 2], ['keep', 3], ['a', 4], ['c', 4], ['Kind', 5], ['Shape', 6], ['Mode', 7], ['Thing', 8]]);
    expect([...declaredSymbols('firestore.rules', '  // function ghost()\n    function isOwner(uid) {\n')]).toEqual([['isOwner', 2]]);
  });

  it('when tests are nested in describes and tables, then each full name is matched as jest reports it, placeholders matching any value', () => {
    const text = [
      "describe('outer', () => {",
      "  describe.each(['a', 'b'])('%s kind', () => {",
      "    it.each([1, 2])('when run %i (a.b), then ok', () => {});",
      '  });',
      "  it('when plain, then fine', () => {});",
      '});',
      "test(`top ${name} level`, () => {});",
    ].join('\n');
    const templates = testTemplates('x.test.ts', text);
    expect(templates.map((t) => [t.written, t.line])).toEqual([
      ['outer %s kind when run %i (a.b), then ok', 3], ['outer when plain, then fine', 5], ['top ${…} level', 7]]);
    expect(templates[0]?.fullName.test('outer b kind when run 2 (a.b), then ok')).toBe(true);
    expect(templates[0]?.fullName.test('outer b kind when run 2 (aXb), then ok')).toBe(false); // literal text stays literal
    expect(templates[1]?.fullName.test('outer when plain, then fine!')).toBe(false);
  });
});
