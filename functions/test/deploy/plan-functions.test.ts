import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FUNCTIONS } from '../../src/index';
import { kindOf } from '../../src/http/kind';
import { inventory } from '../../../scripts/deploy/inventory';
import { buildPlan } from '../../../scripts/deploy/plan';
import { renderPlan } from '../../../scripts/deploy/render';
import { SIZING } from '../../../scripts/deploy/sizing';
import { NODE_RUNTIME } from '../../../scripts/deploy/steps';
import { commands, deploys, sampleOptions } from './sample';

const CLIENT_KINDS = ['callable', 'public', 'stream'];

describe('deploy plan: functions', () => {
  const steps = buildPlan(sampleOptions());
  /** The invoker bindings of one function's Cloud Run service, as `[--member, --role]`. */
  const invokers = (name: string): string[][] => commands(steps)
    .filter((c) => c.create.includes('add-iam-policy-binding') && c.create.includes(name.toLowerCase()))
    .map((g) => g.create.filter((a) => a.startsWith('--member=') || a.startsWith('--role=')));

  it('when the plan is built, then every function in FUNCTIONS is deployed exactly once and nothing else is', () => {
    const names = deploys(steps).map((d) => d.name);
    expect([...names].sort()).toEqual(Object.keys(FUNCTIONS).sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it('when FUNCTIONS is read, then every function carries a kind from its HTTP wrapper', () => {
    for (const [name, fn] of Object.entries(FUNCTIONS)) {
      expect([name, kindOf(fn)]).toEqual([name, expect.stringMatching(/^(callable|public|blocking|scheduled|stream)$/)]);
    }
    expect(kindOf(FUNCTIONS.getAccount)).toBe('callable');
    expect(kindOf(FUNCTIONS.beforeCreate)).toBe('blocking');
    expect(kindOf(FUNCTIONS.deliverMail)).toBe('scheduled');
    expect(kindOf(FUNCTIONS.securityTxt)).toBe('public');
    expect(kindOf(FUNCTIONS.exportContent)).toBe('stream');
  });

  it('when a function is deployed, then it is a 2nd-gen nodejs24 HTTP function in asia-east1 with its own entry point and environment', () => {
    expect(NODE_RUNTIME).toBe('nodejs24');
    // The runtime the functions are built and tested for: functions/package.json engines names the same major.
    const engines = (JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toMatch(/^(>=|\^|~)?24(\b|\.)/);
    expect(deploys(steps)).toHaveLength(Object.keys(FUNCTIONS).length);
    for (const { name, argv } of deploys(steps)) {
      expect(argv).toEqual(expect.arrayContaining(['--gen2', '--region=asia-east1', '--runtime=nodejs24', `--source=functions/dist/${name}`, `--entry-point=${name}`,
        '--trigger-http']));
      expect([name, argv.filter((a) => a.startsWith('--runtime='))]).toEqual([name, ['--runtime=nodejs24']]);
      const env = argv.find((a) => a.startsWith('--set-env-vars=')) ?? '';
      for (const pair of ['GCLOUD_PROJECT=orderpally-demo', 'FUNCTION_REGION=asia-east1', 'PUBLIC_BASE_URL=https://api.orderpally.app',
        'SCHEDULER_INVOKERS=orderpally-scheduler@orderpally-demo.iam.gserviceaccount.com', 'BACKUP_BUCKET=orderpally-demo-backups']) {
        expect(env).toContain(pair);
      }
    }
    expect(renderPlan(steps)).not.toMatch(/nodejs(1\d|20|22)\b/);
  });

  it('when a function is client-facing, then it is invokable but only through the load balancer (internal-and-gclb)', () => {
    const clients = deploys(steps).filter((d) => CLIENT_KINDS.includes(kindOf(FUNCTIONS[d.name as keyof typeof FUNCTIONS]) ?? ''));
    expect(clients.length).toBeGreaterThan(20);
    for (const { argv } of clients) {
      expect(argv).toEqual(expect.arrayContaining(['--allow-unauthenticated', '--ingress-settings=internal-and-gclb']));
      expect(argv).not.toContain('--no-allow-unauthenticated');
    }
  });

  it('when a function is scheduled, then it is private: internal ingress and only the scheduler\'s account may invoke it', () => {
    const scheduled = inventory().filter((f) => f.kind === 'scheduled');
    expect(scheduled.map((f) => f.name)).toEqual(expect.arrayContaining(['deliverMail', 'processLifecycle', 'runBackup']));
    for (const fn of scheduled) {
      const argv = deploys(steps).find((d) => d.name === fn.name)?.argv ?? [];
      expect(argv).toEqual(expect.arrayContaining(['--no-allow-unauthenticated', '--ingress-settings=internal-only']));
      expect(argv).not.toContain('--allow-unauthenticated');
      expect(invokers(fn.name)).toEqual([['--member=serviceAccount:orderpally-scheduler@orderpally-demo.iam.gserviceaccount.com', '--role=roles/run.invoker']]);
    }
  });

  it('when a function is blocking, then Identity Platform can reach it: public invoker and ingress all, as the Firebase CLI deploys them', () => {
    for (const name of ['beforeCreate', 'beforeSignIn']) {
      const argv = deploys(steps).find((d) => d.name === name)?.argv ?? [];
      expect([name, argv.filter((a) => /allow-unauthenticated|ingress-settings/.test(a))]).toEqual([name, ['--allow-unauthenticated', '--ingress-settings=all']]);
      expect(invokers(name)).toEqual([['--member=allUsers', '--role=roles/run.invoker']]);
      const invoker = commands(steps).find((c) => c.title === `invoker of ${name}: allUsers`);
      expect(invoker?.read?.join(' ')).toContain(`run services get-iam-policy ${name.toLowerCase()} --region=asia-east1`);
      expect(invoker?.read?.join(' ')).toContain('bindings.members=allUsers');
    }
    // The identity toolkit agent is no longer the (useless) invoker.
    expect(JSON.stringify(steps)).not.toContain('gcp-sa-identitytoolkit');
  });

  it('when a function is client-facing, then every invoker and ingress is readable back for the drift check', () => {
    for (const { name } of deploys(steps)) expect([name, invokers(name).length]).toEqual([name, 1]);
  });

  it('when the functions are sized, then every one has deliberate memory, cpu, timeout, concurrency and max instances from the table', () => {
    for (const { name, argv } of deploys(steps)) {
      const size = SIZING[name as keyof typeof SIZING];
      expect([name, argv.filter((a) => /^--(memory|cpu|timeout|concurrency|max-instances)=/.test(a))]).toEqual([name, [`--memory=${size.memory}`,
        `--cpu=${size.cpu}`, `--timeout=${size.timeoutSeconds}s`, `--concurrency=${size.concurrency}`, `--max-instances=${size.maxInstances}`]]);
      expect(size.why.length).toBeGreaterThan(20);
      // More than one request at a time needs a whole vCPU on Cloud Run.
      expect([name, size.concurrency === 1 || size.cpu >= 1]).toEqual([name, true]);
    }
    const flags = (name: string): string[] => (deploys(steps).find((d) => d.name === name)?.argv ?? []).filter((a) => /^--(concurrency|max-instances)=/.test(a));
    expect(flags('runBackup')).toEqual(['--concurrency=1', '--max-instances=1']);
    expect(flags('beforeSignIn')).toEqual(['--concurrency=1', '--max-instances=50']);
    expect(flags('health')).toEqual(['--concurrency=80', '--max-instances=5']);
  });

  it('when a function needs more time, then its timeout and memory come from the table (exportContent 540 s with more memory, others 60 s)', () => {
    const flags = (name: string): string[] => (deploys(steps).find((d) => d.name === name)?.argv ?? []).filter((a) => /^--(timeout|memory)=/.test(a));
    expect(flags('exportContent')).toEqual(['--memory=1Gi', '--timeout=540s']);
    expect(flags('processLifecycle')).toEqual(['--memory=512Mi', '--timeout=540s']);
    expect(flags('deliverMail')).toEqual(['--memory=512Mi', '--timeout=120s']);
    expect(flags('getAccount')).toEqual(['--memory=256Mi', '--timeout=60s']);
  });

  it('when a scheduled function declares no schedule or another kind declares one, then building the inventory fails rather than leave it out', () => {
    expect(() => inventory([['deliverMail', { kind: 'scheduled' }]])).toThrow(/deliverMail is scheduled but declares no schedule/);
    expect(() => inventory([['ghost', { kind: 'callable', schedule: { cron: '*/5 * * * *', everyMinutes: 5 } }]])).toThrow(/ghost has a schedule but is callable/);
  });
});
