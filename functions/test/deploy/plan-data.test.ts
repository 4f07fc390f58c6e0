import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../../scripts/deploy/options';
import { planWarnings } from '../../../scripts/deploy/matrix';
import { buildPlan } from '../../../scripts/deploy/plan';
import { renderPlan } from '../../../scripts/deploy/render';
import { PARTS, type BucketStep, type Step } from '../../../scripts/deploy/steps';
import { commands, sampleOptions } from './sample';

const SRC = path.resolve(__dirname, '../../src');
const bucketSteps = (steps: readonly Step[]): BucketStep[] => steps.filter((s): s is BucketStep => s.kind === 'bucket');

describe('deploy plan: TTL, locked backup retention, logs in Taiwan', () => {
  it('when Firestore is planned, then TTL policies expire rate-limit buckets and finished mail on the fields the code writes', () => {
    const ttl = commands(buildPlan(sampleOptions('--only', 'firestore'))).filter((c) => c.create.includes('ttls'));
    expect(ttl.map((c) => c.create.join(' '))).toEqual([
      'gcloud firestore fields ttls update expiresAt --collection-group=rateLimits --enable-ttl --async --project=orderpally-demo',
      'gcloud firestore fields ttls update expiresAt --collection-group=mail --enable-ttl --async --project=orderpally-demo',
    ]);
    for (const step of ttl) {
      const group = step.create.find((a) => a.startsWith('--collection-group='));
      expect(step.read).toEqual(['gcloud', 'firestore', 'fields', 'describe', 'expiresAt', group, '--format=value(ttlConfig.state)', '--project=orderpally-demo']);
      expect(step.expect).toBe('ACTIVE');
      expect(step.update).toEqual(step.create);
    }
    // The policies name fields that exist: a TTL on a field nobody writes deletes nothing.
    expect(readFileSync(path.join(SRC, 'shared/rate-limit.ts'), 'utf8')).toMatch(/expiresAt: Timestamp\.fromMillis/);
    const mailModules = readdirSync(path.join(SRC, 'mail')).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(path.join(SRC, 'mail', f), 'utf8'));
    expect(mailModules.some((text) => /expiresAt: mailExpiresAt\(/.test(text))).toBe(true);
  });

  it('when the bucket is planned with the defaults, then its retention policy is locked, after the policy is set, and nothing warns', () => {
    const steps = buildPlan(sampleOptions('--only', 'bucket'));
    const actions = bucketSteps(steps).map((s) => s.action.type);
    expect(actions.filter((a) => a === 'lock')).toHaveLength(1);
    expect(actions.indexOf('lock')).toBeGreaterThan(actions.indexOf('metadata'));
    expect(actions[actions.length - 1]).toBe('lock');
    expect(renderPlan(steps)).toMatch(/lock the 7-day retention policy \(IRREVERSIBLE; --no-lock-retention to skip\)\n {2}read: {3}bucket\(orderpally-demo-backups\)\.getMetadata\(\) retentionPolicy\.isLocked\n {2}update: bucket\.lock\(metageneration\) {3}IRREVERSIBLE/);
    expect(planWarnings(steps)).toEqual([]);
    expect(sampleOptions('--lock-retention').lockRetention).toBe(true);
  });

  it('when --no-lock-retention is given, then no lock step is planned and the plan opens with a warning', () => {
    const steps = buildPlan(sampleOptions('--no-lock-retention', '--only', 'bucket'));
    expect(bucketSteps(steps).some((s) => s.action.type === 'lock')).toBe(false);
    expect(planWarnings(steps)).toEqual([expect.stringMatching(/^WARNING: --no-lock-retention: .*UNLOCKED.*clause 5\.4/)]);
    expect(renderPlan(steps).split('\n')[0]).toMatch(/^WARNING: --no-lock-retention/);
    expect(() => sampleOptions('--no-lock-retention', '--lock-retention')).toThrow(UsageError);
    // Parts without the bucket have nothing to warn about.
    expect(planWarnings(buildPlan(sampleOptions('--no-lock-retention', '--only', 'scheduler')))).toEqual([]);
  });

  it('when logging is planned, then it comes first and routes the project\'s logs to a bucket in asia-east1, each step readable', () => {
    expect(PARTS[0]).toBe('logging');
    const steps = buildPlan(sampleOptions());
    expect(steps[0]?.part).toBe('logging');
    const logging = commands(steps).filter((c) => c.part === 'logging' && c.read);
    const destination = 'logging.googleapis.com/projects/orderpally-demo/locations/asia-east1/buckets/orderpally-logs';
    expect(logging.map((c) => [c.create.join(' '), c.expect])).toEqual([
      [`gcloud logging buckets create orderpally-logs --location=asia-east1 --retention-days=30 --description=OrderPally logs, kept in Taiwan (clause 5.10) --project=orderpally-demo`, '30'],
      [`gcloud logging sinks update _Default ${destination} --project=orderpally-demo`, destination],
      ['gcloud logging settings update --storage-location=asia-east1 --project=orderpally-demo', 'asia-east1'],
    ]);
    for (const step of logging) expect([step.title, step.update !== undefined]).toEqual([step.title, true]);
    expect(logging[0]?.read).toContain('--location=asia-east1');
    // _Required cannot be re-routed; the plan must not pretend otherwise.
    expect(JSON.stringify(steps)).not.toMatch(/_Required/);
  });
});
