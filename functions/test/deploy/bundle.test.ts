import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AccountView } from '../../src/accounts/view';
import { MANIFEST } from '../../src/manifest';
import { buildPlan } from '../../../scripts/deploy/plan';
import { FUNCTIONS_SOURCE } from '../../../scripts/deploy/functions-part';
import { createClient } from '../support/client';
import { buildBundle, ICU_PROBE, nodeEval, ROOT, serveBundle, type Metafile } from './bundle-helpers';
import { commands, deploys, sampleOptions } from './sample';

/** Files with code in the bundle (a file esbuild read but shook off entirely has 0 bytes in it). */
const bundled = (metafile: Metafile): string[] =>
  Object.values(metafile.outputs).flatMap((o) => Object.entries(o.inputs)).filter(([, i]) => i.bytesInOutput > 0).map(([file]) => file);

const installed = (name: string): string => (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

describe('the deploy bundle (functions/dist)', () => {
  let bundle: ReturnType<typeof buildBundle>;
  beforeAll(() => {
    bundle = buildBundle();
  }, 120_000);

  it('when functions-framework runs the bundle with --target=getAccount, then a signed-in user gets their account, and no ICU formatter was built', async () => {
    const served = await serveBundle(bundle.dir, 'getAccount', ICU_PROBE);
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

  it('when the bundle is loaded, then every function of the manifest is a registered target, and nothing else is', () => {
    const names = Object.keys(MANIFEST);
    const probe = `
      require(${JSON.stringify(path.join(bundle.dir, 'index.js'))});
      const { getFunction } = require('@google-cloud/functions-framework/testing');
      const names = ${JSON.stringify([...names, 'benchGetAccount', 'noSuchFunction'])};
      console.log(JSON.stringify(names.filter((name) => typeof getFunction(name) === 'function')));`;
    const registered = JSON.parse(nodeEval(probe).trim().split('\n').pop() ?? '[]') as string[];
    expect(names.length).toBeGreaterThan(40);
    expect(registered.sort()).toEqual([...names].sort());
  });

  it('when the bundle is built, then zod is in it from its ES module entry and no zod locale but English is', () => {
    const zod = bundled(bundle.metafile).filter((file) => file.includes('node_modules/zod/'));
    expect(zod.length).toBeGreaterThan(10);
    expect(zod.filter((file) => file.endsWith('.cjs'))).toEqual([]);
    // zod's CommonJS entry loads every one of its ~60 locales at cold start. The locales' index may
    // stay as the empty initialiser of a module loaded on first use; no other locale has code here.
    expect(zod.filter((file) => /\/locales\//.test(file) && !file.endsWith('/locales/index.js'))).toEqual(['node_modules/zod/v4/locales/en.js']);
  });

  it('when the bundle is built, then its package.json pins exactly the packages the bundle requires, at the tested versions', () => {
    const pkg = JSON.parse(readFileSync(path.join(bundle.dir, 'package.json'), 'utf8')) as { main: string; engines: { node: string }; dependencies: Record<string, string> };
    const own = JSON.parse(readFileSync(path.join(ROOT, 'functions', 'package.json'), 'utf8')) as { engines: { node: string } };
    const external = Object.values(bundle.metafile.outputs).flatMap((o) => o.imports).filter((i) => i.external && !i.path.startsWith('node:'))
      .map((i) => i.path.split('/').slice(0, i.path.startsWith('@') ? 2 : 1).join('/'));
    expect(pkg.main).toBe('index.js');
    expect(pkg.engines).toEqual(own.engines);
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...new Set(external)].sort());
    expect(pkg.dependencies).toMatchObject({ 'firebase-admin': installed('firebase-admin'), '@google-cloud/functions-framework': installed('@google-cloud/functions-framework') });
    for (const [name, version] of Object.entries(pkg.dependencies)) expect([name, version]).toEqual([name, installed(name)]);
    expect(pkg.dependencies).not.toHaveProperty('zod');
  });

  it('when the bundle is built, then the files the functions read at run time are beside it', () => {
    expect(readFileSync(path.join(bundle.dir, 'security-policy.md'), 'utf8')).toBe(readFileSync(path.join(ROOT, 'functions/src/public/security-policy.md'), 'utf8'));
  });

  it('when the functions are deployed, then the plan bundles first and every function is uploaded from the folder the bundler writes', () => {
    const steps = commands(buildPlan(sampleOptions('--only', 'functions')));
    expect(steps[0]?.create).toEqual(['npm', 'run', 'bundle', '-w', 'functions']);
    const written = nodeEval(`import(${JSON.stringify(path.join(ROOT, 'scripts/bundle-functions.mjs'))}).then((m) => console.log(m.BUNDLE_DIR))`).trim();
    expect(path.resolve(ROOT, FUNCTIONS_SOURCE)).toBe(written);
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'functions', 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.bundle).toBe('node ../scripts/bundle-functions.mjs');
    for (const { argv } of deploys(steps)) expect(argv.filter((a) => a.startsWith('--source='))).toEqual([`--source=${FUNCTIONS_SOURCE}`]);
  });
});
