import { FUNCTIONS } from '../../src/index';
import { kindOf } from '../../src/http/kind';
import { SCHEDULED_JOBS } from '../../src/local/schedule';
import { bucketPart } from '../../../scripts/deploy/bucket-part';
import { DISABLED_PROVIDERS } from '../../../scripts/deploy/identity-part';
import { UsageError } from '../../../scripts/deploy/options';
import { buildPlan } from '../../../scripts/deploy/plan';
import { renderPlan } from '../../../scripts/deploy/render';
import type { BucketStep, HttpStep, SchedulerStep } from '../../../scripts/deploy/steps';
import { commands, sampleOptions } from './sample';

const SCHEDULER_SA = 'orderpally-scheduler@orderpally-demo.iam.gserviceaccount.com';

describe('deploy plan: regions, TLS, scheduler, bucket, identity', () => {
  const steps = buildPlan(sampleOptions());
  const text = JSON.stringify(steps);

  it('when the plan names a region or location anywhere, then it is asia-east1', () => {
    const printed = `${text}\n${renderPlan(steps)}`;
    const found = [...printed.matchAll(/(?:--region=|--location=|--storage-location=|--network-endpoint-group-region=|locations\/|"location":")([a-z0-9-]+)/g)].map((m) => m[1]);
    expect(found.length).toBeGreaterThan(40);
    expect(new Set(found)).toEqual(new Set(['asia-east1']));
    // Any Google Cloud region-shaped name at all, and the multi-regions.
    const regions = [...printed.matchAll(/\b(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-[a-z]+\d+\b/g)].map((m) => m[0]);
    expect(new Set(regions)).toEqual(new Set(['asia-east1']));
    expect([...printed.matchAll(/--region=(?!asia-east1)\S*|locations\/global|"location":"(?:US|EU|ASIA)"|--location=(?:global|us|eu|asia)(?![\w-])/g)].map((m) => m[0])).toEqual([]);
    expect(printed).toContain('--storage-location=asia-east1');
  });

  it('when the front door is built, then its SSL policy is RESTRICTED with TLS 1.3 minimum and the HTTPS proxy on 443 uses it', () => {
    const cmd = commands(steps).map((c) => c.create.join(' '));
    expect(cmd).toContainEqual(expect.stringMatching(/^gcloud compute ssl-policies create orderpally-tls13 --profile=RESTRICTED --min-tls-version=1\.3 /));
    expect(cmd).toContainEqual(expect.stringMatching(/^gcloud compute target-https-proxies create orderpally-https-proxy .*--ssl-policy=orderpally-tls13/));
    expect(cmd).toContainEqual(expect.stringMatching(/^gcloud compute forwarding-rules create orderpally-https .*--target-https-proxy=orderpally-https-proxy --ports=443/));
    expect(cmd).toContainEqual(expect.stringMatching(/^gcloud compute ssl-certificates create orderpally-cert --domains=api\.orderpally\.app /));
    expect(text).not.toMatch(/target-http-proxies|--ports=80\b|TLS_1_[012]\b|--min-tls-version=1\.[012]/);
  });

  it('when the front door is built, then every client-facing function has a serverless NEG and security.txt is routed to securityTxt', () => {
    const clients = Object.entries(FUNCTIONS).filter(([, fn]) => ['callable', 'public', 'stream'].includes(kindOf(fn) ?? '')).map(([n]) => n);
    const negs = commands(steps).filter((c) => c.create.includes('network-endpoint-groups') && c.create.includes('create'));
    expect(negs.map((c) => c.create.find((a) => a.startsWith('--cloud-run-service='))).sort()).toEqual(clients.map((n) => `--cloud-run-service=${n.toLowerCase()}`).sort());
    expect(negs.every((c) => c.create.includes('--network-endpoint-type=serverless'))).toBe(true);
    const urlMap = commands(steps).find((c) => c.create.includes('url-maps'))?.stdin ?? '';
    expect(urlMap).toMatch(/paths: \['\/\.well-known\/security\.txt'\]\n\s+service: \S+\/backendServices\/op-be-security-txt/);
    expect(urlMap).toMatch(/paths: \['\/security-policy'\]\n\s+service: \S+\/backendServices\/op-be-security-policy/);
    expect(urlMap).toContain("hosts: ['api.orderpally.app']");
    expect(urlMap).not.toMatch(/before-create|deliver-mail/);
  });

  it('when scheduler jobs are planned, then there is one per scheduled function, with its cron, Asia/Taipei and an OIDC token for the function URL', () => {
    const jobs = steps.filter((s): s is SchedulerStep => s.kind === 'scheduler').map((s) => s.job);
    const scheduled = Object.entries(FUNCTIONS).filter(([, fn]) => kindOf(fn) === 'scheduled').map(([n]) => n);
    expect(jobs.map((j) => j.name.split('/').pop()).sort()).toEqual([...scheduled].sort());
    for (const job of jobs) {
      const name = job.name.split('/').pop() ?? '';
      const url = `https://asia-east1-orderpally-demo.cloudfunctions.net/${name}`;
      expect(job.name).toBe(`projects/orderpally-demo/locations/asia-east1/jobs/${name}`);
      expect(job.timeZone).toBe('Asia/Taipei');
      expect(job.schedule).toBe(SCHEDULED_JOBS.find((j) => j.name === name)?.cron);
      expect(job.httpTarget).toMatchObject({ uri: url, httpMethod: 'POST', oidcToken: { serviceAccountEmail: SCHEDULER_SA, audience: url } });
      expect(job.retryConfig.retryCount).toBeGreaterThan(0);
    }
    expect(jobs.find((j) => j.name.endsWith('/processLifecycle'))?.schedule).toBe('*/5 * * * *');
  });

  it('when the backup bucket is planned, then it keeps exports at least 7 days in asia-east1, never public, and only the Firestore agent has access', () => {
    const bucketSteps = steps.filter((s): s is BucketStep => s.kind === 'bucket');
    const meta = bucketSteps.find((s) => s.action.type === 'metadata')?.action;
    expect(meta).toMatchObject({ metadata: { name: 'orderpally-demo-backups', location: 'asia-east1',
      iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
      lifecycle: { rule: [{ action: { type: 'Delete' }, condition: { age: 8 } }] } } });
    const period = Number((meta as unknown as { metadata: { retentionPolicy: { retentionPeriod: string } } }).metadata.retentionPolicy.retentionPeriod);
    expect(period).toBeGreaterThanOrEqual(7 * 86_400);
    expect(bucketSteps).toContainEqual(expect.objectContaining({ action: { type: 'iam', role: 'roles/storage.objectAdmin',
      member: 'serviceAccount:service-{{PROJECT_NUMBER}}@gcp-sa-firestore.iam.gserviceaccount.com' } }));
    // No function reads the bucket: the export and the import run as the Firestore service agent.
    const members = bucketSteps.flatMap((s) => (s.action.type === 'iam' ? [s.action.member] : []));
    expect(new Set(members)).toEqual(new Set(['serviceAccount:service-{{PROJECT_NUMBER}}@gcp-sa-firestore.iam.gserviceaccount.com']));
  });

  it('when a retention below 7 days is asked for, then it is refused, on the command line and in the plan builder', () => {
    expect(() => sampleOptions('--retention-days', '6')).toThrow(UsageError);
    expect(() => sampleOptions('--retention-days', '6')).toThrow(/at least 7 \(agreement clause 5\.4\)/);
    expect(() => bucketPart({ ...sampleOptions(), retentionDays: 6 })).toThrow(/at least 7/);
    const thirty = buildPlan(sampleOptions('--retention-days', '30', '--only', 'bucket'));
    expect(JSON.stringify(thirty)).toContain(`"retentionPeriod":"${30 * 86_400}"`);
  });

  it('when identity is planned, then only email+password and Facebook are on and both blocking functions are registered', () => {
    const http = steps.filter((s): s is HttpStep => s.kind === 'http');
    const config = http.find((s) => s.url.endsWith('/projects/orderpally-demo/config'));
    expect(config?.body).toEqual({
      signIn: { email: { enabled: true, passwordRequired: true }, anonymous: { enabled: false }, phoneNumber: { enabled: false } },
      blockingFunctions: { triggers: { beforeCreate: { functionUri: '{{BEFORE_CREATE_URI}}' }, beforeSignIn: { functionUri: '{{BEFORE_SIGN_IN_URI}}' } } },
    });
    expect(config?.update.url).toMatch(/^https:\/\/identitytoolkit\.googleapis\.com\/admin\/v2\/projects\/orderpally-demo\/config\?updateMask=/);
    expect(http.find((s) => s.url.endsWith('/defaultSupportedIdpConfigs/facebook.com'))?.body)
      .toEqual({ enabled: true, clientId: '1234567890', clientSecret: '{{FACEBOOK_APP_SECRET}}' });
    for (const idp of DISABLED_PROVIDERS) {
      expect(http.find((s) => s.url.endsWith(`/defaultSupportedIdpConfigs/${idp}`))?.body).toEqual({ enabled: false });
    }
    expect(steps).toContainEqual(expect.objectContaining({ kind: 'capture', name: 'FACEBOOK_APP_SECRET', secret: true }));
  });

  it('when the plan is built twice from the same options, then it is the same plan', () => {
    expect(buildPlan(sampleOptions())).toEqual(steps);
    expect(renderPlan(buildPlan(sampleOptions()))).toBe(renderPlan(steps));
  });

  it('when --only names parts, then the plan holds those parts only, in deployment order', () => {
    const only = buildPlan(sampleOptions('--only', 'scheduler', '--only', 'functions'));
    expect([...new Set(only.map((s) => s.part))]).toEqual(['functions', 'scheduler']);
    expect([...new Set(buildPlan(sampleOptions('--only', 'frontdoor,firestore')).map((s) => s.part))]).toEqual(['firestore', 'frontdoor']);
    expect(() => sampleOptions('--only', 'everything')).toThrow(/unknown part everything/);
  });

  it('when the database step is read, then an existing database outside asia-east1 does not match', () => {
    const db = commands(steps).find((c) => c.create.join(' ').includes('firestore databases create'));
    expect(db?.expect).toBe('asia-east1');
    expect(db?.update).toBeUndefined();
    expect(db?.create).toContain('--location=asia-east1');
    expect(commands(steps).map((c) => c.create.join(' '))).toContainEqual(expect.stringMatching(/firebase deploy --only firestore:rules,firestore:indexes --project orderpally-demo/));
  });
});
