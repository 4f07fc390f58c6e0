import type { DeployOptions } from './options';
import { gcloud, type CommandStep } from './steps';

/** The Cloud Armor policy on every backend service of the load balancer (clause 5.3 front door). */
export const EDGE_POLICY = 'orderpally-edge';

/**
 * Largest request body the edge lets through: 256 KiB. The longest legitimate input is a 20,000
 * character text (an incident description, a notice body) plus its short fields — under 90 KB
 * even at 4 UTF-8 bytes a character. Without a cap, the Functions Framework parses up to 1 GB
 * (Cloud Run stops at 32 MiB) before our code runs, and ~12 MB of JSON exhausts a 256 MiB instance.
 */
export const MAX_BODY_BYTES = 262_144;

/** One rule of the policy, as `gcloud compute security-policies rules create` takes it. */
export interface EdgeRule {
  readonly priority: number;
  readonly description: string;
  readonly expression: string;
  /** Cloud Armor can answer only 403, 404, 429 or 502: a refused body gets 403, not 413. */
  readonly action: 'deny-403' | 'throttle';
  /** For `throttle`: requests per client IP per interval; beyond that, 429. */
  readonly rate?: { readonly count: number; readonly intervalSec: number };
}

// The functions anyone may call without signing in (reportIncident has its own, tighter rule). A
// literal dot is `[.]`: a backslash would have to survive both the CEL string and RE2.
const PUBLIC_READS = ['health', 'securityTxt', 'securityPolicy', 'security-policy', 'listServiceNotices', '[.]well-known/security[.]txt'];

/**
 * The rules, highest priority first. The body cap reads `Content-Length`: Cloud Armor cannot
 * measure a body it has not buffered, so a POST that does not declare its length (a chunked
 * upload, an HTTP/2 stream without the header) is refused too — the callable protocol never
 * streams a request. The throttles are per client IP as the load balancer sees it (`IP` key:
 * the TCP peer, which a client cannot forge, unlike X-Forwarded-For); the code's own per-IP and
 * per-address limits stay behind them. Thresholds leave room for carrier-grade NAT, where many
 * phones share one address.
 */
export const EDGE_RULES: readonly EdgeRule[] = [
  {
    priority: 1000,
    description: `bodies over ${MAX_BODY_BYTES} bytes`,
    expression: `has(request.headers['content-length']) && int(request.headers['content-length']) > ${MAX_BODY_BYTES}`,
    action: 'deny-403',
  },
  {
    priority: 1010,
    description: 'POST without Content-Length (chunked)',
    expression: `request.method == 'POST' && !has(request.headers['content-length'])`,
    action: 'deny-403',
  },
  {
    priority: 2000,
    description: 'reportIncident per client IP',
    expression: `request.path == '/reportIncident'`,
    action: 'throttle',
    rate: { count: 20, intervalSec: 60 },
  },
  {
    priority: 2100,
    description: 'anonymous reads per client IP',
    expression: `request.path.matches('^/(${PUBLIC_READS.join('|')})$')`,
    action: 'throttle',
    rate: { count: 300, intervalSec: 60 },
  },
];

function ruleFlags(rule: EdgeRule): string[] {
  return [
    `--security-policy=${EDGE_POLICY}`,
    `--description=${rule.description}`,
    `--expression=${rule.expression}`,
    `--action=${rule.action}`,
    ...(rule.rate
      ? ['--conform-action=allow', '--exceed-action=deny-429', '--enforce-on-key=IP',
        `--rate-limit-threshold-count=${rule.rate.count}`, `--rate-limit-threshold-interval-sec=${rule.rate.intervalSec}`]
      : []),
  ];
}

/** How `rules describe` prints a rule we made (action, expression, and the rate limit if any). */
function ruleExpect(rule: EdgeRule): string {
  const action = rule.action === 'deny-403' ? 'deny(403)' : 'throttle';
  return [action, rule.expression, ...(rule.rate ? [rule.rate.count, rule.rate.intervalSec, 'IP'] : [])].join('\t');
}

/** The policy and its rules; each step reads first and brings a drifted rule back. */
export function edgePolicySteps(o: DeployOptions): CommandStep[] {
  const describe = ['action', 'match.expr.expression', 'rateLimitOptions.rateLimitThreshold.count',
    'rateLimitOptions.rateLimitThreshold.intervalSec', 'rateLimitOptions.enforceOnKey'];
  return [
    {
      kind: 'command',
      part: 'frontdoor',
      title: `Cloud Armor policy ${EDGE_POLICY}`,
      read: gcloud(o.project, 'compute', 'security-policies', 'describe', EDGE_POLICY, '--global', '--format=value(type)'),
      expect: 'CLOUD_ARMOR',
      create: gcloud(o.project, 'compute', 'security-policies', 'create', EDGE_POLICY, '--global', '--type=CLOUD_ARMOR',
        '--description=OrderPally edge limits (clause 5.3)'),
    },
    ...EDGE_RULES.map((rule): CommandStep => ({
      kind: 'command',
      part: 'frontdoor',
      title: `${EDGE_POLICY} rule ${rule.priority}: ${rule.action} ${rule.description}`,
      read: gcloud(o.project, 'compute', 'security-policies', 'rules', 'describe', String(rule.priority), `--security-policy=${EDGE_POLICY}`,
        `--format=value(${describe.join(',')})`),
      expect: ruleExpect(rule),
      create: gcloud(o.project, 'compute', 'security-policies', 'rules', 'create', String(rule.priority), ...ruleFlags(rule)),
      update: gcloud(o.project, 'compute', 'security-policies', 'rules', 'update', String(rule.priority), ...ruleFlags(rule)),
    })),
  ];
}

/** Attaches the policy to one backend service. */
export function attachEdgePolicy(o: DeployOptions, backendService: string): CommandStep {
  const update = gcloud(o.project, 'compute', 'backend-services', 'update', backendService, '--global', `--security-policy=${EDGE_POLICY}`);
  return {
    kind: 'command',
    part: 'frontdoor',
    title: `${EDGE_POLICY} on ${backendService}`,
    read: gcloud(o.project, 'compute', 'backend-services', 'describe', backendService, '--global', '--format=value(securityPolicy.basename())'),
    expect: EDGE_POLICY,
    create: update,
    update,
  };
}
