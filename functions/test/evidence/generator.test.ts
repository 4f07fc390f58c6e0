import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLAUSE_IDS } from '../../../scripts/evidence/model';
import { fixtureMap, fixtureResults, FIXTURE_TESTS, headCommit, KEY_FILE, lineOf, runEvidence, hasUncommittedChanges } from './helpers';

describe('npm run evidence on fixture results', () => {
  it('when every cited test passed, then every clause is green, report.json and index.html are written and it exits 0', async () => {
    const run = await runEvidence(fixtureMap(), fixtureResults());
    expect([run.code, run.err]).toEqual([0, '']);
    const report = run.report();
    expect(report).toMatchObject({ commit: headCommit(), generatedAt: '2026-12-01T06:00:00.000Z', node: process.version,
      totals: { tests: 19, passed: 19, failed: 0, skipped: 0 } });
    expect(report.uncommittedChanges).toBe(hasUncommittedChanges());
    expect(report.clauses.map((c) => [c.id, c.green])).toEqual(CLAUSE_IDS.map((id) => [id, true]));
    expect(report.clauses[0]).toEqual({
      id: '1.1a', promise: { 'zh-TW': '條款 1.1a', en: 'clause 1.1a' }, green: true,
      controls: [{ path: KEY_FILE, symbol: 'hashApiKey', line: lineOf(KEY_FILE, /^export function hashApiKey\b/) }],
      tests: [{ file: FIXTURE_TESTS, name: 'evidence fixture case 1.1a', status: 'passed', durationMs: 12, line: null }],
    });
    // The deploy's dry run and the rules matrix, read from the repository itself.
    expect(report.deploy).toMatchObject({ tls: { profile: 'RESTRICTED', minTlsVersion: '1.3' }, regions: ['asia-east1'], retention: { days: 7, locked: true } });
    expect(report.rulesMatrix.cells).toBe(report.rulesMatrix.collections * report.rulesMatrix.principals * report.rulesMatrix.operations * report.rulesMatrix.states);
    expect(report.rulesMatrix.cells).toBeGreaterThan(1000);
    const html = run.html();
    expect(html).toContain(`<a href="../functions/src/apikeys/key.ts#L${lineOf(KEY_FILE, /^export function hashApiKey\b/)}"><code>hashApiKey</code></a>`);
    expect(html.match(/<tr class="green"/g)).toHaveLength(19);
    expect(html).not.toMatch(/<(script|link)\b|https?:\/\//); // self-contained: no scripts, stylesheets or fonts fetched
  });

  it('when a cited test failed or was skipped, then its clause is red, both files are still written, and it exits 1 naming it', async () => {
    const run = await runEvidence(fixtureMap(), fixtureResults({ '3.2b': 'failed', '5.4': 'pending' }));
    expect(run.code).toBe(1);
    const red = run.report().clauses.filter((c) => !c.green).map((c) => [c.id, c.tests.map((t) => t.status)]);
    expect(red).toEqual([['3.2b', ['failed']], ['5.4', ['pending']]]);
    expect(run.report().totals).toEqual({ tests: 19, passed: 17, failed: 1, skipped: 1 });
    expect(run.html().match(/<tr class="red"/g)).toHaveLength(2);
    expect(run.err).toContain('clause 3.2b is RED: failed: evidence fixture case 3.2b');
    expect(run.err).toContain('clause 5.4 is RED: pending: evidence fixture case 5.4');
  });

  it('when a cited test is not in the results, then it fails loudly naming the clause and the test, and writes no report', async () => {
    const run = await runEvidence(fixtureMap(), fixtureResults({ '1.3': 'absent' }));
    expect(run.code).toBe(2);
    expect(run.err).toContain(`clause 1.3: cited test "evidence fixture case 1.3" in ${FIXTURE_TESTS} is not in the test results`);
    expect(existsSync(path.join(run.dir, 'evidence/report.json'))).toBe(false);
    expect(existsSync(path.join(run.dir, 'evidence/index.html'))).toBe(false);
  });

  it('when a cited pattern matches no test that ran, then it fails loudly too', async () => {
    const map = fixtureMap((c) => (c.id === '2.1' ? { ...c, tests: [{ file: FIXTURE_TESTS, pattern: /^evidence fixture case 9\.\d+$/ }] } : c));
    const run = await runEvidence(map, fixtureResults());
    expect(run.code).toBe(2);
    expect(run.err).toContain('clause 2.1: cited test pattern /^evidence fixture case 9\\.\\d+$/');
  });

  it('when a control names a symbol its file does not declare (only mentions), or a file that does not exist, then it fails loudly naming each', async () => {
    // key.ts calls createHash('sha256') and mentions `sha256` in text, but declares neither name.
    const wrong: Partial<Record<string, { path: string; symbol: string }>> = {
      '1.1a': { path: KEY_FILE, symbol: 'createHash' },
      '1.2': { path: KEY_FILE, symbol: 'sha256' },
      '5.10': { path: 'functions/src/nowhere.ts', symbol: 'hashApiKey' },
    };
    const map = fixtureMap((c) => {
      const control = wrong[c.id];
      return control ? { ...c, controls: [control] } : c;
    });
    const run = await runEvidence(map, fixtureResults());
    expect(run.code).toBe(2);
    expect(run.err).toContain(`clause 1.1a: ${KEY_FILE} declares no createHash`);
    expect(run.err).toContain(`clause 1.2: ${KEY_FILE} declares no sha256`);
    expect(run.err).toContain('clause 5.10: control file functions/src/nowhere.ts does not exist');
  });

  it('when a clause is missing from the map or cites no test, then it fails loudly: no clause is hidden', async () => {
    const map = fixtureMap().filter((c) => c.id !== '5.7').map((c) => (c.id === '5.8' ? { ...c, tests: [] } : c));
    const run = await runEvidence(map, fixtureResults());
    expect(run.code).toBe(2);
    expect(run.err).toContain('clause 5.7 is in the map 0 times');
    expect(run.err).toContain('clause 5.8 cites no test');
  });

  it('when the promise, the test names and the file paths carry HTML, then the page shows them as text', async () => {
    const evil = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
    const map = fixtureMap((c) => (c.id === '1.2' ? { ...c, promise: { 'zh-TW': `${evil}承諾`, en: evil }, tests: [{ file: FIXTURE_TESTS, name: evil }] } : c));
    const results = fixtureResults() as { testResults: { assertionResults: { fullName: string }[] }[] };
    const row = results.testResults[0]?.assertionResults.find((a) => a.fullName.endsWith(' 1.2'));
    if (row) row.fullName = evil;
    const run = await runEvidence(map, results);
    expect(run.code).toBe(0);
    const html = run.html();
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;承諾');
  });

  it('when no results file is given, then it runs the suite itself into evidence/jest-results.json, never reusing an earlier one', async () => {
    const run = await runEvidence(fixtureMap(), null);
    expect(run.code).toBe(0);
    expect(existsSync(path.join(run.dir, 'evidence/jest-results.json'))).toBe(true);
    expect(run.report().totals.tests).toBe(19);
  });

  it('when a results file is not jest JSON, then it fails loudly naming the file', async () => {
    const run = await runEvidence(fixtureMap(), { hello: 'world' });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/results\.json is not jest --json output/);
  });

  it('when the browser tests\' results are given too, then a clause may cite them', async () => {
    const web = { testResults: [{ name: path.join(path.resolve(__dirname, '../../..'), 'web/test/fixture.test.ts'), status: 'passed', assertionResults: [{ fullName: 'web sign-in', status: 'passed', duration: 5 }] }] };
    const map = fixtureMap((c) => (c.id === '5.1' ? { ...c, tests: [...c.tests, { file: 'web/test/fixture.test.ts', name: 'web sign-in' }] } : c));
    const dir = (await runEvidence(fixtureMap(), fixtureResults())).dir;
    writeFileSync(path.join(dir, 'web.json'), JSON.stringify(web));
    const run = await runEvidence(map, fixtureResults(), ['--results', path.join(dir, 'web.json')]);
    expect(run.code).toBe(0);
    expect(run.report().clauses.find((c) => c.id === '5.1')?.tests.map((t) => t.name)).toEqual(['evidence fixture case 5.1', 'web sign-in']);
    expect(run.report().totals.tests).toBe(20);
  });
});
