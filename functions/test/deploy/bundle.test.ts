import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AccountView } from '../../src/accounts/view';
import { MANIFEST } from '../../src/manifest';
import { buildPlan } from '../../../scripts/deploy/plan';
import { FUNCTIONS_SOURCE, sourceOf } from '../../../scripts/deploy/functions-part';
import { createClient } from '../support/client';
import { buildBundle, ICU_PROBE, nodeEval, ROOT, serveBundle, type Metafile } from './bundle-helpers';
import { commands, deploys, sampleOptions } from './sample';

/** Files with code in the bundle (a file esbuild read but shook off entirely has 0 bytes in it). */
const bundled = (metafile: Metafile): string[] =>
  Object.values(metafile.outputs).flatMap((o) => Object.entries(o.inputs)).filter(([, i]) => i.bytesInOutput > 0).map(([file]) => file);

const installed = (name: string): string => (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

/** The metafile's output for one function's bundle. */
const outputOf = (metafile: Metafile, name: string): Metafile['outputs'][string] => {
  const found = Object.entries(metafile.outputs).find(([file]) => file.endsWith(`/${name}/index.js`));
  if (!found) throw new Error(`no bundle for ${name}`);
  return found[1];
};

describe('the deploy bundles (functions/dist/<name>)', () => {
  let bundle: ReturnType<typeof buildBundle>;
  beforeAll(() => {
    bundle = buildBundle();
  }, 120_000);

  it('when functions-framework runs the getAccount bundle, then a signed-in user gets their account, and no ICU formatter was built', async () => {
    const served = await serveBundle(path.join(bundle.dir, 'getAccount'), 'getAccount', ICU_PROBE);
    const client = createClient(served.port);
    let output = '';
    try {
      const { uid } = await client.signUp();
      const account = await client.call<AccountView>('getAccount');
      expect(account).toMatchObject({ uid, status: 'active', billing: { amountDue: 0, dueInvoices: [] } });
      // Taipei dates, worked out on the request: the code that once built an ICU formatter at load.
      expect(account.terminationWindow?.earliest).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    } finally {
      await client.close();
      output = await served.stop();
    }
    // Loading the functions and answering must not load ICU's data (tens of ms of every cold start): the bare function never does.
    expect(output).not.toContain('ICU used');
  }, 60_000);

  it('when the bundles are built, then there is one folder per function of the manifest, and each registers its function and nothing else', () => {
    const names = Object.keys(MANIFEST);
    expect(names.length).toBeGreaterThan(40);
    expect(readdirSync(bundle.dir).sort()).toEqual([...names].sort());
    // Loaded one after another in one process: each must add exactly its own name to the framework's registry.
    const probe = `
      const { getFunction } = require('@google-cloud/functions-framework/testing');
      const names = ${JSON.stringify([...names, 'noSuchFunction'])};
      const registered = () => names.filter((name) => typeof getFunction(name) === 'function');
      const added = {};
      for (const name of names.slice(0, -1)) {
        const before = registered();
        require(${JSON.stringify(bundle.dir)} + '/' + name + '/index.js');
        added[name] = registered().filter((n) => !before.includes(n));
      }
      console.log(JSON.stringify(added));`;
    const added = JSON.parse(nodeEval(probe).trim().split('\n').pop() ?? '{}') as Record<string, string[]>;
    expect(added).toEqual(Object.fromEntries(names.map((name) => [name, [name]])));
  });

  it('when a function is bundled, then its bundle holds its own use case and no other function\'s', () => {
    const files = (name: string): string[] => Object.entries(outputOf(bundle.metafile, name).inputs).filter(([, i]) => i.bytesInOutput > 0).map(([file]) => file);
    const getAccount = files('getAccount');
    expect(getAccount).toContain('functions/src/accounts/get-account.ts');
    // Use cases getAccount's code never imports: with one bundle for all, each was in every function's cold start.
    for (const other of ['accounts/admin-find-account.ts', 'backups/run-backup.ts', 'content/export-content.ts', 'identity/before-create.ts',
      'notices/fanout.ts', 'records/export-records.ts', 'termination/request-termination.ts']) {
      expect(getAccount).not.toContain(`functions/src/${other}`);
    }
    expect(files('runBackup')).toContain('functions/src/backups/run-backup.ts');
    expect(files('runBackup')).not.toContain('functions/src/accounts/get-account.ts');
  });

  it('when the bundles are built, then zod is in them from its ES module entry and no zod locale but English is', () => {
    const zod = bundled(bundle.metafile).filter((file) => file.includes('node_modules/zod/'));
    expect(zod.length).toBeGreaterThan(10);
    expect(zod.filter((file) => file.endsWith('.cjs'))).toEqual([]);
    // zod's CommonJS entry loads every one of its ~60 locales at cold start. The locales' index may
    // stay as the empty initialiser of a module loaded on first use; no other locale has code here.
    expect([...new Set(zod.filter((file) => /\/locales\//.test(file) && !file.endsWith('/locales/index.js')))]).toEqual(['node_modules/zod/v4/locales/en.js']);
  });

  it('when the bundles are built, then each package.json pins exactly the packages its bundle requires, at the tested versions', () => {
    const own = JSON.parse(readFileSync(path.join(ROOT, 'functions', 'package.json'), 'utf8')) as { engines: { node: string } };
    for (const name of Object.keys(MANIFEST)) {
      const pkg = JSON.parse(readFileSync(path.join(bundle.dir, name, 'package.json'), 'utf8')) as { main: string; engines: { node: string }; dependencies: Record<string, string> };
      const external = outputOf(bundle.metafile, name).imports.filter((i) => i.external && !i.path.startsWith('node:'))
        .map((i) => i.path.split('/').slice(0, i.path.startsWith('@') ? 2 : 1).join('/'));
      expect([name, pkg.main]).toEqual([name, 'index.js']);
      expect(pkg.engines).toEqual(own.engines);
      expect([name, Object.keys(pkg.dependencies).sort()]).toEqual([name, [...new Set(external)].sort()]);
      expect(pkg.dependencies).toMatchObject({ '@google-cloud/functions-framework': installed('@google-cloud/functions-framework') });
      for (const [dep, version] of Object.entries(pkg.dependencies)) expect([name, dep, version]).toEqual([name, dep, installed(dep)]);
      expect(pkg.dependencies).not.toHaveProperty('zod');
    }
    const getAccount = JSON.parse(readFileSync(path.join(bundle.dir, 'getAccount', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(getAccount.dependencies).toMatchObject({ 'firebase-admin': installed('firebase-admin') });
  });

  it('when the bundles are built, then the files the functions read at run time are beside each', () => {
    const policy = readFileSync(path.join(ROOT, 'functions/src/public/security-policy.md'), 'utf8');
    for (const name of Object.keys(MANIFEST)) expect([name, readFileSync(path.join(bundle.dir, name, 'security-policy.md'), 'utf8')]).toEqual([name, policy]);
  });

  it('when the functions are deployed, then the plan bundles first and every function is uploaded from its own folder of the bundler\'s', () => {
    const steps = commands(buildPlan(sampleOptions('--only', 'functions')));
    expect(steps[0]?.create).toEqual(['npm', 'run', 'bundle', '-w', 'functions']);
    const written = nodeEval(`import(${JSON.stringify(path.join(ROOT, 'scripts/bundle-functions.mjs'))}).then((m) => console.log(m.BUNDLE_DIR))`).trim();
    expect(path.resolve(ROOT, FUNCTIONS_SOURCE)).toBe(written);
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'functions', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.bundle).toBe('node ../scripts/bundle-functions.mjs');
    expect(deploys(steps).map((d) => d.name).sort()).toEqual(readdirSync(bundle.dir).sort());
    for (const { name, argv } of deploys(steps)) {
      expect([name, argv.filter((a) => a.startsWith('--source='))]).toEqual([name, [`--source=${sourceOf(name)}`]]);
      expect(sourceOf(name)).toBe(`${FUNCTIONS_SOURCE}/${name}`);
    }
  });
});
