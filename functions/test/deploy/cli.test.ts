import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { FUNCTIONS } from '../../src/index';
import { SAMPLE_ARGS } from './sample';

const ROOT = path.resolve(__dirname, '../../..');

/** `npx tsx scripts/deploy.ts …` with no Google credentials reachable at all. */
function deploy(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, GOOGLE_APPLICATION_CREDENTIALS: path.join(ROOT, 'no-such-credentials.json'),
    METADATA_SERVER_DETECTION: 'none', CLOUDSDK_CONFIG: path.join(ROOT, '.no-gcloud-config'), HOME: '/nonexistent' };
  delete env.FACEBOOK_APP_ID;
  delete env.DEPLOY_DOMAIN;
  delete env.DEPLOY_WEB_DOMAIN;
  delete env.WEB_API_KEY;
  const result = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/deploy.ts', ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run deploy', () => {
  it('when run with --dry-run and no credentials, then it prints every step in order and exits 0', () => {
    const run = deploy(...SAMPLE_ARGS, '--dry-run');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const count = Number(/: (\d+) steps, nothing is changed/.exec(run.stdout)?.[1]);
    const numbers = [...run.stdout.matchAll(/^\[(\d+)\] /gm)].map((m) => Number(m[1]));
    expect(numbers).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    for (const name of Object.keys(FUNCTIONS)) expect(run.stdout).toContain(`gcloud functions deploy ${name} --gen2 --region=asia-east1`);
    expect(run.stdout).toContain('CloudSchedulerClient.createJob');
    expect(run.stdout).toContain('PATCH https://identitytoolkit.googleapis.com/admin/v2/projects/orderpally-demo/config?updateMask=');
    expect(run.stdout).toContain('Storage.createBucket(orderpally-demo-backups, metadata)');
    expect(run.stdout).toContain('--profile=RESTRICTED --min-tls-version=1.3');
    // Parts appear in deployment order.
    const firstOf = (part: string): number => run.stdout.indexOf(`] ${part}: `);
    expect(['functions', 'firestore', 'bucket', 'identity', 'scheduler', 'frontdoor'].map(firstOf)).toEqual(
      [...['functions', 'firestore', 'bucket', 'identity', 'scheduler', 'frontdoor'].map(firstOf)].sort((a, b) => a - b));
  });

  it('when run twice with --dry-run, then both runs print the same plan', () => {
    expect(deploy(...SAMPLE_ARGS, '--dry-run', '--only', 'scheduler').stdout).toBe(deploy(...SAMPLE_ARGS, '--dry-run', '--only', 'scheduler').stdout);
  });

  it('when --only scheduler is given, then only scheduler steps are printed', () => {
    const run = deploy('--project', 'orderpally-demo', '--dry-run', '--only', 'scheduler');
    expect(run.status).toBe(0);
    const parts = new Set([...run.stdout.matchAll(/^\[\d+\] (\w+): /gm)].map((m) => m[1]));
    expect(parts).toEqual(new Set(['scheduler']));
  });

  it('when --only names functions, then the dry run deploys just those (with their accounts and invokers) and no other part', () => {
    const run = deploy(...SAMPLE_ARGS, '--dry-run', '--only', 'getAccount,health');
    expect(run.status).toBe(0);
    expect([...run.stdout.matchAll(/gcloud functions deploy (\w+)/g)].map((m) => m[1]).sort()).toEqual(['getAccount', 'health']);
    expect([...run.stdout.matchAll(/run services add-iam-policy-binding (\w+)/g)].map((m) => m[1]).sort()).toEqual(['getaccount', 'health']);
    expect(new Set([...run.stdout.matchAll(/^\[\d+\] (\w+): /gm)].map((m) => m[1]))).toEqual(new Set(['functions']));
  });

  it('when --only, --check or --concurrency is wrong, then it exits 2 saying what to change and contacts nothing', () => {
    const unknown = deploy(...SAMPLE_ARGS, '--dry-run', '--only', 'getAcount');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--only: unknown part or function getAcount/);
    const both = deploy(...SAMPLE_ARGS, '--dry-run', '--check');
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--check and --dry-run: choose one/);
    const zero = deploy(...SAMPLE_ARGS, '--check', '--concurrency', '0');
    expect(zero.status).toBe(2);
    expect(zero.stderr).toMatch(/--concurrency: must be a whole number from 1 to 20/);
    expect(`${unknown.stdout}${both.stdout}${zero.stdout}`).toBe('');
  });

  it('when the options are wrong, then it exits 2 naming each problem and prints no plan', () => {
    const missing = deploy('--dry-run');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--project: must be a Google Cloud project id/);
    const short = deploy(...SAMPLE_ARGS, '--dry-run', '--retention-days', '3');
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/--retention-days: must be at least 7 \(agreement clause 5\.4\)/);
    expect(short.stdout).toBe('');
    const noDomain = deploy('--project', 'orderpally-demo', '--dry-run', '--only', 'frontdoor');
    expect(noDomain.status).toBe(2);
    expect(noDomain.stderr).toMatch(/--domain/);
  });
});
