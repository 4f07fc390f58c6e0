import { FIREBASE_AUTH_ORIGINS, FIREBASE_POPUP_SCRIPT_ORIGINS, securityHeaders } from '../../../web/security-headers.mjs';
import { deployMain } from '../../../scripts/deploy/main';
import { parseOptions, UsageError } from '../../../scripts/deploy/options';
import { buildPlan } from '../../../scripts/deploy/plan';
import { WEB_SKIPPED_WARNING } from '../../../scripts/deploy/web-part';
import type { BucketStep, CommandStep, Step } from '../../../scripts/deploy/steps';
import { describedFunction } from './live-project';
import { commands, deploys, SAMPLE_ARGS, sampleOptions, WEB_ARGS } from './sample';

const steps = buildPlan(sampleOptions(...WEB_ARGS));
const titled = (prefix: string): CommandStep => commands(steps).find((s) => s.title.startsWith(prefix)) as CommandStep;
const backendBucket = titled('backend bucket orderpally-web');
const urlMap = titled('URL map').stdin ?? '';

/** The `--custom-response-header=Name: value` flags of a gcloud command, as a header record. */
function headersOf(argv: readonly string[]): Record<string, string> {
  const flags = argv.filter((a) => a.startsWith('--custom-response-header=')).map((a) => a.slice('--custom-response-header='.length));
  return Object.fromEntries(flags.map((f) => [f.slice(0, f.indexOf(': ')), f.slice(f.indexOf(': ') + 2)]));
}

/** Every source a CSP allows that is a host (not a keyword such as 'self' or the data: scheme). */
function cspHosts(csp: string): string[] {
  return csp.split(';').flatMap((d) => d.trim().split(/\s+/).slice(1)).filter((s) => !/^'[\w-]+'$/.test(s) && s !== 'data:');
}

/** `npm run deploy -- <args> --dry-run`: what it printed. */
async function dryRun(...args: string[]): Promise<string> {
  const out: string[] = [];
  const code = await deployMain([...SAMPLE_ARGS, ...args, '--dry-run'], {}, { out: (t) => out.push(t), err: (t) => out.push(t), runners: () => Promise.reject(new Error('a dry run reads nothing')) });
  expect(code).toBe(0);
  return out.join('');
}

describe('deploy plan: the web client behind the same load balancer (issue 16, clause 5.3)', () => {
  it('when --web-domain is given, then the build is served from a bucket in asia-east1 with uniform access, objects readable by anyone, index.html for every page', () => {
    const bucket = steps.filter((s): s is BucketStep => s.kind === 'bucket' && s.part === 'web');
    expect(bucket.map((s) => s.action)).toEqual([
      { type: 'metadata', metadata: { name: 'orderpally-demo-web', location: 'asia-east1', storageClass: 'STANDARD',
        iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'inherited' }, versioning: { enabled: false },
        website: { mainPageSuffix: 'index.html', notFoundPage: 'index.html' } } },
      { type: 'iam', role: 'roles/storage.objectViewer', member: 'allUsers' },
    ]);
    // The backup bucket stays private: only the web bucket is public.
    expect(steps.filter((s) => s.kind === 'bucket' && s.action.type === 'iam' && s.action.member === 'allUsers').map((s) => (s as BucketStep).bucket)).toEqual(['orderpally-demo-web']);
    expect(backendBucket.create).toContain('--gcs-bucket-name=orderpally-demo-web');
  });

  it('when the backend bucket is planned, then it sends exactly the headers of web/security-headers.mjs, and --check reads every one back', () => {
    const planned = securityHeaders({ connectSrc: ['https://api.orderpally.app', ...FIREBASE_AUTH_ORIGINS], frameSrc: ['https://orderpally-demo.firebaseapp.com'], scriptSrc: FIREBASE_POPUP_SCRIPT_ORIGINS });
    expect(headersOf(backendBucket.create)).toEqual(planned);
    expect(headersOf(backendBucket.update ?? [])).toEqual(planned);
    expect(backendBucket.read).toEqual(expect.arrayContaining(['describe', 'orderpally-web', '--flatten=customResponseHeaders[]']));
    expect(backendBucket.expect?.split('\n')).toEqual(Object.entries(planned).map(([k, v]) => `orderpally-demo-web\t${k}: ${v}`));
  });

  it('when the production CSP is built, then it names no host but the functions, Firebase Auth, the project\'s auth handler and the handler\'s loader, and allows no inline or eval script', () => {
    const csp = headersOf(backendBucket.create)['Content-Security-Policy'] ?? '';
    expect(new Set(cspHosts(csp))).toEqual(new Set(['https://api.orderpally.app', 'https://identitytoolkit.googleapis.com',
      'https://securetoken.googleapis.com', 'https://orderpally-demo.firebaseapp.com', 'https://apis.google.com']));
    expect(csp).toMatch(/(^|; )default-src 'self'(;|$)/);
    expect(csp).toMatch(/(^|; )script-src 'self' https:\/\/apis\.google\.com(;|$)/);
    expect(csp).toMatch(/(^|; )frame-ancestors 'none'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|http:/);
  });

  it('when the URL map is planned, then the web host goes to the backend bucket and the API host still to the functions', () => {
    expect(urlMap).toContain("- hosts: ['app.orderpally.app']\n  pathMatcher: web\n");
    expect(urlMap).toContain("- hosts: ['api.orderpally.app']\n  pathMatcher: functions\n");
    expect(urlMap).toMatch(/- name: web\n {2}defaultService: https:\/\/www\.googleapis\.com\/compute\/v1\/projects\/orderpally-demo\/global\/backendBuckets\/orderpally-web\n/);
    // The bucket exists before the URL map that routes to it.
    expect(steps.indexOf(backendBucket)).toBeLessThan(steps.indexOf(titled('URL map')));
  });

  it('when both domains are served, then each has a managed certificate, both are on the HTTPS proxy, which keeps the TLS 1.3 policy', () => {
    const cmd = commands(steps).map((c) => c.create.join(' '));
    expect(cmd).toContainEqual(expect.stringMatching(/^gcloud compute ssl-certificates create orderpally-cert --domains=api\.orderpally\.app /));
    expect(cmd).toContainEqual(expect.stringMatching(/^gcloud compute ssl-certificates create orderpally-web-cert --domains=app\.orderpally\.app /));
    const proxy = titled('HTTPS proxy');
    expect(proxy.create).toEqual(expect.arrayContaining(['--ssl-certificates=orderpally-cert,orderpally-web-cert', '--ssl-policy=orderpally-tls13']));
    const onProxy = titled('certificates on orderpally-https-proxy');
    expect(onProxy.expect).toBe('orderpally-cert\norderpally-web-cert');
    expect(onProxy.update).toEqual(expect.arrayContaining(['--ssl-certificates=orderpally-cert,orderpally-web-cert', '--ssl-policy=orderpally-tls13']));
  });

  it('when the web client is deployed, then every function accepts its origin, next to the --allowed-origins ones', () => {
    // As the deployed function sees its environment (gcloud's `^;^` delimiter included).
    const origins = (s: readonly Step[]): string[] => deploys(s).map((d) =>
      (describedFunction(d.argv, '1').serviceConfig as { environmentVariables: Record<string, string> }).environmentVariables.ALLOWED_ORIGINS ?? '(none)');
    expect(new Set(origins(steps))).toEqual(new Set(['https://app.orderpally.app']));
    expect(new Set(origins(buildPlan(sampleOptions(...WEB_ARGS, '--allowed-origins', 'https://partner.example'))))).toEqual(new Set(['https://partner.example,https://app.orderpally.app']));
    expect(new Set(origins(buildPlan(sampleOptions())))).toEqual(new Set(['(none)']));
  });

  it('when the build is planned, then it targets the production project and functions, never the emulators, and uploads assets before the page that names them', () => {
    const build = titled('build the web client');
    expect(build.create).toEqual(['env', '-u', 'VITE_AUTH_EMULATOR', '-u', 'VITE_FUNCTIONS_EMULATOR', 'VITE_FIREBASE_API_KEY=AIzaSyDemoDemoDemoDemoDemoDemoDemoDemo1',
      'VITE_FIREBASE_PROJECT_ID=orderpally-demo', 'VITE_FIREBASE_AUTH_DOMAIN=orderpally-demo.firebaseapp.com',
      'VITE_FUNCTIONS_BASE_URL=https://api.orderpally.app', 'npm', 'run', 'build', '-w', 'web']);
    const assets = titled('upload web/dist/assets');
    const page = titled('upload web/dist (');
    expect(assets.create).toEqual(expect.arrayContaining(['web/dist/assets', 'gs://orderpally-demo-web/assets', '--cache-control=public, max-age=31536000, immutable']));
    expect(assets.create).not.toContain('--delete-unmatched-destination-objects');
    expect(page.create).toEqual(expect.arrayContaining(['web/dist', 'gs://orderpally-demo-web', '--delete-unmatched-destination-objects', '--exclude=^assets/', '--cache-control=no-cache']));
    expect([build, assets, page].map((s) => steps.indexOf(s))).toEqual([...[build, assets, page].map((s) => steps.indexOf(s))].sort((a, b) => a - b));
  });

  it('when --web-domain is not given, then the dry run warns that the web client is not deployed and plans no web step, host rule or certificate', async () => {
    const printed = await dryRun();
    expect(printed).toContain(WEB_SKIPPED_WARNING);
    const plain = buildPlan(sampleOptions());
    expect(plain.filter((s) => s.part === 'web')).toEqual([]);
    expect(JSON.stringify(plain)).not.toMatch(/orderpally-web|app\.orderpally\.app|backendBuckets/);
    expect(await dryRun(...WEB_ARGS)).not.toContain(WEB_SKIPPED_WARNING);
    // A part that was not asked for is not missed.
    expect(await dryRun('--only', 'frontdoor')).not.toContain(WEB_SKIPPED_WARNING);
  });

  it('when the web flags are incomplete or clash, then the command line is refused with what to give', () => {
    expect(() => sampleOptions('--web-domain', 'app.orderpally.app')).toThrow(/--web-api-key \(or WEB_API_KEY\)/);
    expect(() => sampleOptions('--only', 'web')).toThrow(/--web-domain \(or DEPLOY_WEB_DOMAIN\)/);
    // The page is built to call the functions' host: without it there is nothing to point it at.
    expect(() => parseOptions(['--project', 'orderpally-demo', '--only', 'web', ...WEB_ARGS], {})).toThrow(/--domain \(or DEPLOY_DOMAIN\)[^\n]*web/);
    expect(() => sampleOptions('--web-domain', 'api.orderpally.app', '--web-api-key', WEB_ARGS[3] ?? '')).toThrow(/--web-domain must differ from --domain/);
    expect(() => sampleOptions('--web-domain', 'app.orderpally.app', '--web-api-key', 'not-a-key')).toThrow(UsageError);
    expect(() => sampleOptions('--web-domain', 'https://app.orderpally.app', '--web-api-key', WEB_ARGS[3] ?? '')).toThrow(/--web-domain: must be a host name/);
  });
});
