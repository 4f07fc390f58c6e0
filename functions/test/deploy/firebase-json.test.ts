import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildPlan } from '../../../scripts/deploy/plan';
import { REGION } from '../../../scripts/deploy/steps';
import { commands, sampleOptions, WEB_ARGS } from './sample';

const ROOT = path.resolve(__dirname, '../../..');
const config = JSON.parse(readFileSync(path.join(ROOT, 'firebase.json'), 'utf8')) as Record<string, Record<string, unknown>>;

/** What the full deploy, web client included, asks firebase-tools to deploy: the targets of its `firebase deploy --only`. */
function firebaseTargets(): string[] {
  return commands(buildPlan(sampleOptions(...WEB_ARGS)))
    .filter((c) => c.create.includes('firebase') && c.create.includes('deploy'))
    .flatMap((c) => (c.create[c.create.indexOf('--only') + 1] ?? '').split(','));
}

describe('firebase.json describes what is really deployed', () => {
  it('when the deploy runs firebase-tools, then it deploys only Firestore rules and indexes, the only product firebase.json configures', () => {
    expect(firebaseTargets().sort()).toEqual(['firestore:indexes', 'firestore:rules']);
    // Functions go out through `gcloud functions deploy` (the plan sets their runtime), security.txt through the
    // load balancer's URL map: a `functions` or `hosting` block would describe a deployment that never happens.
    expect(Object.keys(config).sort()).toEqual(['emulators', 'firestore']);
  });

  it('when the web client is deployed, then it goes to its bucket behind the load balancer, not Firebase Hosting, and the README says so', () => {
    const argv = commands(buildPlan(sampleOptions(...WEB_ARGS))).flatMap((c) => [c.create, c.update ?? []]).map((a) => a.join(' '));
    expect(argv.filter((a) => /\bhosting\b/.test(a))).toEqual([]);
    expect(argv).toContainEqual(expect.stringMatching(/^gcloud storage rsync web\/dist gs:\/\/orderpally-demo-web /));
    expect(config).not.toHaveProperty('hosting');
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/\*\*The web client in production\*\*[^]*bucket `<project>-web` in asia-east1[^]*\*\*not Firebase Hosting\*\*/);
  });

  it('when firebase.json names a file, then it exists, and the database location is the deploy region', () => {
    const firestore = config.firestore as { rules: string; indexes: string; location: string };
    expect(existsSync(path.join(ROOT, firestore.rules))).toBe(true);
    expect(existsSync(path.join(ROOT, firestore.indexes))).toBe(true);
    expect(firestore.location).toBe(REGION);
  });

  it('when firebase.json lists emulator ports, then they are the ones npm start serves', () => {
    const start = readFileSync(path.join(ROOT, 'scripts/start.mjs'), 'utf8');
    // The fixed ports of `npm start` (the browser tests run it on free ports instead): the object literal naming the hub.
    const fixed = /\{([^{}]*'emulator hub': \d+[^{}]*)\}/.exec(start)?.[1] ?? '';
    const port = (name: string): number => Number(new RegExp(`'?${name}'?: (\\d+)`).exec(fixed)?.[1]);
    const emulators = config.emulators as Record<string, { host?: string; port?: number }>;
    expect(Object.keys(emulators).filter((k) => emulators[k]?.port !== undefined).sort()).toEqual(['auth', 'firestore', 'hub', 'logging']);
    expect(emulators.auth?.port).toBe(port('auth'));
    expect(emulators.firestore?.port).toBe(port('firestore'));
    expect(emulators.hub?.port).toBe(port('emulator hub'));
    expect(emulators.logging?.port).toBe(port('emulator logging'));
  });
});
