import { FUNCTIONS } from '../../src/index';
import { kindOf } from '../../src/http/kind';
import { inventory } from '../../../scripts/deploy/inventory';
import { buildPlan } from '../../../scripts/deploy/plan';
import { renderPlan } from '../../../scripts/deploy/render';
import { commands, deploys, sampleOptions } from './sample';

const CLIENT_KINDS = ['callable', 'public', 'stream'];

describe('deploy plan: functions', () => {
  const steps = buildPlan(sampleOptions());

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

  it('when a function is deployed, then it is a 2nd-gen nodejs20 HTTP function in asia-east1 with its own entry point, service account and SMTP secret', () => {
    for (const { name, argv } of deploys(steps)) {
      expect(argv).toEqual(expect.arrayContaining(['--gen2', '--region=asia-east1', '--runtime=nodejs20', '--source=functions', `--entry-point=${name}`,
        '--trigger-http', '--service-account=orderpally-functions@orderpally-demo.iam.gserviceaccount.com', '--set-secrets=SMTP_URL=orderpally-smtp-url:latest']));
      const env = argv.find((a) => a.startsWith('--set-env-vars=')) ?? '';
      for (const pair of ['GCLOUD_PROJECT=orderpally-demo', 'FUNCTION_REGION=asia-east1', 'TRUSTED_PROXY_HOPS=2', 'PUBLIC_BASE_URL=https://api.orderpally.app',
        'SCHEDULER_INVOKERS=orderpally-scheduler@orderpally-demo.iam.gserviceaccount.com', 'BACKUP_BUCKET=orderpally-demo-backups']) {
        expect(env).toContain(pair);
      }
    }
  });

  it('when a function is client-facing, then it is invokable but only through the load balancer (internal-and-gclb)', () => {
    const clients = deploys(steps).filter((d) => CLIENT_KINDS.includes(kindOf(FUNCTIONS[d.name as keyof typeof FUNCTIONS]) ?? ''));
    expect(clients.length).toBeGreaterThan(20);
    for (const { argv } of clients) {
      expect(argv).toEqual(expect.arrayContaining(['--allow-unauthenticated', '--ingress-settings=internal-and-gclb']));
      expect(argv).not.toContain('--no-allow-unauthenticated');
    }
  });

  it('when a function is scheduled or blocking, then it is private and only the scheduler / Identity Platform agent may invoke it', () => {
    const privates = inventory().filter((f) => f.kind === 'scheduled' || f.kind === 'blocking');
    expect(privates.map((f) => f.name)).toEqual(expect.arrayContaining(['beforeCreate', 'beforeSignIn', 'deliverMail', 'processLifecycle']));
    for (const fn of privates) {
      const argv = deploys(steps).find((d) => d.name === fn.name)?.argv ?? [];
      expect(argv).toContain('--no-allow-unauthenticated');
      expect(argv).not.toContain('--allow-unauthenticated');
      expect(argv).not.toContain('--ingress-settings=internal-and-gclb');
      const member = fn.kind === 'scheduled'
        ? '--member=serviceAccount:orderpally-scheduler@orderpally-demo.iam.gserviceaccount.com'
        : '--member=serviceAccount:service-{{PROJECT_NUMBER}}@gcp-sa-identitytoolkit.iam.gserviceaccount.com';
      const grants = commands(steps).filter((c) => c.create.includes('add-iam-policy-binding') && c.create.includes(fn.name.toLowerCase()));
      expect(grants.map((g) => g.create.filter((a) => a.startsWith('--member=') || a.startsWith('--role=')))).toEqual([[member, '--role=roles/run.invoker']]);
    }
    expect(renderPlan(steps)).not.toMatch(/allUsers|allAuthenticatedUsers/);
  });

  it('when a function needs more time, then its timeout and memory come from the table (exportContent 540 s with more memory, others 60 s)', () => {
    const flags = (name: string): string[] => (deploys(steps).find((d) => d.name === name)?.argv ?? []).filter((a) => /^--(timeout|memory)=/.test(a));
    expect(flags('exportContent')).toEqual(['--memory=1Gi', '--timeout=540s']);
    expect(flags('processLifecycle')).toEqual(['--memory=512Mi', '--timeout=540s']);
    expect(flags('deliverMail')).toEqual(['--memory=512Mi', '--timeout=120s']);
    expect(flags('getAccount')).toEqual(['--memory=256Mi', '--timeout=60s']);
  });

  it('when a function is untagged or a scheduled function has no job, then building the inventory fails rather than leave it out', () => {
    const untagged = { mystery: () => undefined };
    expect(() => inventory(untagged, [])).toThrow(/mystery has no kind/);
    expect(() => inventory({ deliverMail: FUNCTIONS.deliverMail }, [])).toThrow(/deliverMail is scheduled but SCHEDULED_JOBS has no job/);
    expect(() => inventory({}, [{ name: 'ghost', everyMinutes: 5 }])).toThrow(/ghost/);
  });
});
