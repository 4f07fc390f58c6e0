import { attachEdgePolicy, edgePolicySteps } from './edge-policy';
import { isClientFacing, type DeployableFunction } from './inventory';
import type { DeployOptions } from './options';
import { enableApis, gcloud, kebab, REGION, runService, type CommandStep, type Step } from './steps';
import { BACKEND_BUCKET } from './web-part';

/** Clause 5.3: TLS 1.3 or newer only, with the RESTRICTED cipher profile. */
export const SSL_POLICY = 'orderpally-tls13';
const URL_MAP = 'orderpally-frontdoor';
const CERT = 'orderpally-cert';
// The web host's own certificate: a managed certificate's domains cannot change, so adding the web host to
// CERT would replace the API's live certificate and leave the API without one until the new one is issued.
const WEB_CERT = 'orderpally-web-cert';
const PROXY = 'orderpally-https-proxy';
const ADDRESS = 'orderpally-ip';
const RULE = 'orderpally-https';

/** Paths served besides `/<name>` (RFC 9116 location and the policy it links to). */
export const EXTRA_ROUTES: Readonly<Record<string, string>> = {
  '/.well-known/security.txt': 'securityTxt',
  '/security-policy': 'securityPolicy',
};

const neg = (name: string): string => `op-neg-${kebab(name)}`;
/** The backend service of a client-facing function. */
export const backend = (name: string): string => `op-be-${kebab(name)}`;

function ensure(o: DeployOptions, title: string, read: string[], create: string[], extra: Partial<CommandStep> = {}): CommandStep {
  return { kind: 'command', part: 'frontdoor', title, read: gcloud(o.project, ...read), create: gcloud(o.project, ...create), ...extra };
}

/** The certificates on the HTTPS proxy: the API's, and the web host's when there is one. */
export function certificates(o: DeployOptions): string[] {
  return o.webDomain === '' ? [CERT] : [CERT, WEB_CERT];
}

/**
 * The URL map as `gcloud compute url-maps import` takes it: `/<name>` per function, plus the extra routes;
 * with a web domain, that host goes to the web client's backend bucket.
 */
export function urlMapYaml(o: DeployOptions, names: readonly string[]): string {
  const service = (name: string): string => `https://www.googleapis.com/compute/v1/projects/${o.project}/global/backendServices/${backend(name)}`;
  const routes = [...names.map((n): [string, string] => [`/${n}`, n]), ...Object.entries(EXTRA_ROUTES).filter(([, n]) => names.includes(n))];
  const fallback = names.includes('health') ? 'health' : (names[0] ?? 'health');
  return [
    `name: ${URL_MAP}`,
    `defaultService: ${service(fallback)}`,
    'hostRules:',
    `- hosts: ['${o.domain}']`,
    '  pathMatcher: functions',
    ...(o.webDomain === '' ? [] : [`- hosts: ['${o.webDomain}']`, '  pathMatcher: web']),
    'pathMatchers:',
    '- name: functions',
    `  defaultService: ${service(fallback)}`,
    '  pathRules:',
    ...routes.flatMap(([path, name]) => [`  - paths: ['${path}']`, `    service: ${service(name)}`]),
    ...(o.webDomain === '' ? [] : [
      '- name: web',
      `  defaultService: https://www.googleapis.com/compute/v1/projects/${o.project}/global/backendBuckets/${BACKEND_BUCKET}`,
    ]),
    '',
  ].join('\n');
}

/**
 * The `frontdoor` part (clause 5.3): the external HTTPS load balancer in front of the client-facing functions —
 * a serverless NEG and backend service each, every backend behind the Cloud Armor edge policy
 * (body cap, per-IP throttles: edge-policy.ts), the URL map (the web domain's host rule to the web part's
 * backend bucket), a Google-managed certificate for each domain, the TLS 1.3 RESTRICTED SSL policy on the HTTPS proxy, and a global forwarding rule on 443.
 */
export function frontdoorPart(o: DeployOptions, functions: readonly DeployableFunction[]): Step[] {
  const clients = functions.filter((fn) => isClientFacing(fn.kind)).map((fn) => fn.name);
  const tls = ['--profile=RESTRICTED', '--min-tls-version=1.3', '--global'];
  const proxy = [`--url-map=${URL_MAP}`, `--ssl-certificates=${certificates(o).join(',')}`, `--ssl-policy=${SSL_POLICY}`, '--global'];
  return [
    enableApis('frontdoor', o.project, ['compute.googleapis.com']),
    ensure(o, `SSL policy ${SSL_POLICY}`, ['compute', 'ssl-policies', 'describe', SSL_POLICY, '--global', '--format=value(profile,minTlsVersion)'],
      ['compute', 'ssl-policies', 'create', SSL_POLICY, ...tls], { expect: 'RESTRICTED\tTLS_1_3', update: gcloud(o.project, 'compute', 'ssl-policies', 'update', SSL_POLICY, ...tls) }),
    ...edgePolicySteps(o),
    ...clients.flatMap((name) => [
      ensure(o, `serverless NEG for ${name}`, ['compute', 'network-endpoint-groups', 'describe', neg(name), `--region=${REGION}`, '--format=value(name)'],
        ['compute', 'network-endpoint-groups', 'create', neg(name), `--region=${REGION}`, '--network-endpoint-type=serverless', `--cloud-run-service=${runService(name)}`]),
      ensure(o, `backend service for ${name}`, ['compute', 'backend-services', 'describe', backend(name), '--global', '--format=value(name)'],
        ['compute', 'backend-services', 'create', backend(name), '--global', '--load-balancing-scheme=EXTERNAL_MANAGED']),
      ensure(o, `${name}'s NEG behind its backend service`,
        ['compute', 'backend-services', 'describe', backend(name), '--global', `--flatten=backends[]`, `--filter=backends.group~/${neg(name)}$`, '--format=value(backends.group)'],
        ['compute', 'backend-services', 'add-backend', backend(name), '--global', `--network-endpoint-group=${neg(name)}`, `--network-endpoint-group-region=${REGION}`]),
      attachEdgePolicy(o, backend(name)),
    ]),
    {
      kind: 'command',
      part: 'frontdoor',
      title: `URL map ${URL_MAP}`,
      read: gcloud(o.project, 'compute', 'url-maps', 'describe', URL_MAP, '--global', '--format=value(name)'),
      create: gcloud(o.project, 'compute', 'url-maps', 'import', URL_MAP, '--global', '--source=/dev/stdin', '--quiet'),
      stdin: urlMapYaml(o, clients),
      always: true,
    },
    ensure(o, `managed certificate for ${o.domain}`, ['compute', 'ssl-certificates', 'describe', CERT, '--global', '--format=value(managed.domains)'],
      ['compute', 'ssl-certificates', 'create', CERT, `--domains=${o.domain}`, '--global'], { expect: o.domain }),
    ...(o.webDomain === '' ? [] : [
      ensure(o, `managed certificate for ${o.webDomain}`, ['compute', 'ssl-certificates', 'describe', WEB_CERT, '--global', '--format=value(managed.domains)'],
        ['compute', 'ssl-certificates', 'create', WEB_CERT, `--domains=${o.webDomain}`, '--global'], { expect: o.webDomain }),
    ]),
    ensure(o, `HTTPS proxy ${PROXY} with ${SSL_POLICY}`, ['compute', 'target-https-proxies', 'describe', PROXY, '--global', '--format=value(sslPolicy.basename())'],
      ['compute', 'target-https-proxies', 'create', PROXY, ...proxy], { expect: SSL_POLICY, update: gcloud(o.project, 'compute', 'target-https-proxies', 'update', PROXY, ...proxy) }),
    ...(o.webDomain === '' ? [] : [
      ensure(o, `certificates on ${PROXY}: ${certificates(o).join(', ')}`,
        ['compute', 'target-https-proxies', 'describe', PROXY, '--global', '--flatten=sslCertificates[]', '--format=value(sslCertificates.basename())'],
        ['compute', 'target-https-proxies', 'update', PROXY, ...proxy], { expect: certificates(o).join('\n'), update: gcloud(o.project, 'compute', 'target-https-proxies', 'update', PROXY, ...proxy) }),
    ]),
    ensure(o, `global address ${ADDRESS}`, ['compute', 'addresses', 'describe', ADDRESS, '--global', '--format=value(address)'],
      ['compute', 'addresses', 'create', ADDRESS, '--global', '--ip-version=IPV4']),
    ensure(o, `forwarding rule ${RULE} on 443`, ['compute', 'forwarding-rules', 'describe', RULE, '--global', '--format=value(portRange)'],
      ['compute', 'forwarding-rules', 'create', RULE, '--global', '--load-balancing-scheme=EXTERNAL_MANAGED', `--address=${ADDRESS}`,
        `--target-https-proxy=${PROXY}`, '--ports=443']),
  ];
}
