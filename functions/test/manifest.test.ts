import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FUNCTIONS } from '../src/index';
import { kindOf } from '../src/http/kind';
import { SCHEDULED_JOBS } from '../src/local/schedule';
import * as manifestModule from '../src/manifest';
import { ENTRIES, MANIFEST } from '../src/manifest';
import { everyMinutesOf, GROUP_IDS, type FunctionEntry } from '../src/manifest-entry';
import { functionTable, tableIn } from '../../scripts/deploy/function-table';
import { groupSecrets } from '../../scripts/deploy/identities';

const README = path.resolve(__dirname, '../../README.md');

describe('the function manifest', () => {
  it('when FUNCTIONS is built, then it serves exactly the declared functions, in order, each behind the wrapper of its declared kind', () => {
    expect(Object.keys(FUNCTIONS)).toEqual(Object.keys(MANIFEST));
    for (const [name, entry] of ENTRIES) expect([name, kindOf(FUNCTIONS[name])]).toEqual([name, entry.kind]);
  });

  it('when the manifest module is read, then its exports are MANIFEST, ENTRIES and each function under its name, each listed in MANIFEST once', () => {
    // A function's deploy bundle imports its declaration by name (scripts/bundle-functions.mjs); one left out of MANIFEST would deploy but go untested.
    const declared = Object.entries(manifestModule).filter(([name]) => name !== 'MANIFEST' && name !== 'ENTRIES');
    expect(declared.map(([name]) => name).sort()).toEqual(Object.keys(MANIFEST).sort());
    for (const [name, entry] of declared) expect([name, entry]).toEqual([name, MANIFEST[name as keyof typeof MANIFEST]]);
  });

  it('when functions are scheduled, then each has a schedule, only they have one, and the local cron runs exactly those', () => {
    for (const [name, entry] of ENTRIES) expect([name, entry.kind === 'scheduled']).toEqual([name, entry.schedule !== undefined]);
    const scheduled = ENTRIES.filter(([, e]) => e.kind === 'scheduled');
    expect(SCHEDULED_JOBS).toEqual(scheduled.map(([name, e]) => ({ name, cron: e.schedule?.cron, everyMinutes: e.schedule?.everyMinutes })));
    expect(Object.fromEntries(SCHEDULED_JOBS.map((j) => [j.name, [j.cron, j.everyMinutes]]))).toEqual({
      deliverMail: ['* * * * *', 1], processLifecycle: ['*/5 * * * *', 5], sendServiceNotices: ['* * * * *', 1],
      runBackup: ['0 2 * * *', 1440], checkBackups: ['0 * * * *', 60], checkIncidents: ['15 * * * *', 60],
    });
  });

  it('when a cron is one the local cron cannot follow, then declaring it fails and names the forms it can', () => {
    expect(everyMinutesOf('*/15 * * * *')).toBe(15);
    expect(() => everyMinutesOf('0 2 * * 1')).toThrow(/"0 2 \* \* 1": the local cron follows only/);
    expect(() => everyMinutesOf('every day')).toThrow(/local cron follows only/);
  });

  it('when functions share a runtime group, then they declare the same secrets, since the account holds the access', () => {
    for (const group of GROUP_IDS) expect(() => groupSecrets(group)).not.toThrow();
    const entry = (group: FunctionEntry['group'], secrets: FunctionEntry['secrets']) => ({ group, secrets });
    expect(() => groupSecrets('staff', [['a', entry('staff', ['SMTP_URL'])], ['b', entry('staff', [])]])).toThrow(/b reads no secret but a of the same group staff reads SMTP_URL/);
  });

  it('when the README is read, then its function table is the one generated from the manifest', () => {
    const expected = functionTable();
    const actual = tableIn(readFileSync(README, 'utf8'));
    // On a failure, `npm run readme-functions` rewrites README.md's table from the manifest.
    expect(actual).toBe(expected);
    expect(expected.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(ENTRIES.length);
  });
});
