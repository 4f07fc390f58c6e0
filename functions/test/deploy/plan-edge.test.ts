import { INCIDENT_LIMITS, reportIncidentInput } from '../../src/incidents/schema';
import { announceInput } from '../../src/notices/schema';
import { EDGE_POLICY, EDGE_RULES, MAX_BODY_BYTES } from '../../../scripts/deploy/edge-policy';
import { buildPlan } from '../../../scripts/deploy/plan';
import { commands, sampleOptions } from './sample';

const PUBLIC_PATHS = ['/health', '/securityTxt', '/securityPolicy', '/listServiceNotices', '/reportIncident', '/.well-known/security.txt', '/security-policy'];

/**
 * Whether a rule's expression matches a request to `path` with `method` and `contentLength`: the
 * few Cloud Armor forms the policy uses, evaluated here so the test checks meaning, not spelling.
 */
function matches(expression: string, path: string, method: string, contentLength: number | null): boolean {
  return expression.split(' && ').every((term) => {
    const eq = /^request\.path == '([^']+)'$/.exec(term);
    if (eq) return path === eq[1];
    const re = /^request\.path\.matches\('(.+)'\)$/.exec(term);
    if (re) return new RegExp(re[1] ?? '$^').test(path);
    if (term === `has(request.headers['content-length'])`) return contentLength !== null;
    if (term === `!has(request.headers['content-length'])`) return contentLength === null;
    const gt = /^int\(request\.headers\['content-length'\]\) > (\d+)$/.exec(term);
    if (gt) return contentLength !== null && contentLength > Number(gt[1]);
    const m = /^request\.method == '(\w+)'$/.exec(term);
    if (m) return method === m[1];
    throw new Error(`unknown term ${term}`);
  });
}

/** The first rule (by priority) a request hits, as Cloud Armor evaluates them (`null`: no Content-Length). */
function firstRule(path: string, method: string, contentLength: number | null) {
  return [...EDGE_RULES].sort((a, b) => a.priority - b.priority).find((r) => matches(r.expression, path, method, contentLength));
}

describe('deploy plan: Cloud Armor edge limits on the load balancer (clause 5.3)', () => {
  const steps = commands(buildPlan(sampleOptions('--only', 'frontdoor')));
  const argvs = steps.map((s) => s.create.join(' '));

  it('when a body is over the cap, then the edge refuses it (403: Cloud Armor cannot answer 413), and so a POST that does not declare its length', () => {
    expect(firstRule('/getAccount', 'POST', MAX_BODY_BYTES + 1)).toMatchObject({ action: 'deny-403', priority: 1000 });
    expect(firstRule('/reportIncident', 'POST', 12_000_000)).toMatchObject({ action: 'deny-403' });
    expect(firstRule('/getAccount', 'POST', null)).toMatchObject({ action: 'deny-403', priority: 1010 });
    expect(firstRule('/getAccount', 'POST', MAX_BODY_BYTES)).toBeUndefined();
    expect(firstRule('/exportContent', 'GET', null)).toBeUndefined();
    // A cap far below what exhausts an instance (~12 MB of JSON in 256 MiB).
    expect(MAX_BODY_BYTES).toBeLessThanOrEqual(1024 * 1024);
  });

  it('when the longest legitimate inputs are sent, with 4-byte characters, then they stay under the cap', () => {
    const wide = (n: number): string => '😀'.repeat(n);
    const report = { category: 'other', summary: wide(INCIDENT_LIMITS.summary), description: wide(INCIDENT_LIMITS.description),
      contactEmail: 'someone@example.com', contactName: wide(INCIDENT_LIMITS.contactName), occurredAt: '2026-03-05T14:03:00+08:00', locale: 'zh-TW' };
    expect(reportIncidentInput.safeParse(report).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify({ data: report }))).toBeLessThan(MAX_BODY_BYTES);
    const notice = { title: wide(200), body: wide(20_000), kind: 'change', effectiveAt: '2099-01-01', exemption: 'legal', justification: wide(2_000),
      idempotencyKey: 'k'.repeat(128) };
    expect(announceInput.safeParse(notice).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify({ data: notice }))).toBeLessThan(MAX_BODY_BYTES);
  });

  it('when a public function is called, then it is throttled per client IP with 429 beyond its rate; signed-in callables are not', () => {
    for (const path of PUBLIC_PATHS) {
      const rule = firstRule(path, 'GET', null);
      expect([path, rule?.action]).toEqual([path, 'throttle']);
    }
    expect(firstRule('/reportIncident', 'POST', 500)).toMatchObject({ action: 'throttle', rate: { count: 20, intervalSec: 60 } });
    for (const path of ['/getAccount', '/adminSuspendAccount', '/exportContent', '/healthz', '/health/x']) expect([path, firstRule(path, 'POST', 10)]).toEqual([path, undefined]);
    for (const rule of EDGE_RULES.filter((r) => r.action === 'throttle')) {
      const step = steps.find((s) => s.title.startsWith(`${EDGE_POLICY} rule ${rule.priority}:`));
      expect(step?.create).toEqual(expect.arrayContaining(['--action=throttle', '--enforce-on-key=IP', '--exceed-action=deny-429', '--conform-action=allow',
        `--rate-limit-threshold-count=${rule.rate?.count ?? 0}`, `--rate-limit-threshold-interval-sec=${rule.rate?.intervalSec ?? 0}`]));
      expect(step?.expect).toBe(['throttle', rule.expression, rule.rate?.count, rule.rate?.intervalSec, 'IP'].join('\t'));
    }
  });

  it('when the policy is planned, then it is a backend policy with every rule readable and repairable, attached to every backend service', () => {
    const policy = steps.findIndex((s) => s.create.join(' ').startsWith(`gcloud compute security-policies create ${EDGE_POLICY} --global --type=CLOUD_ARMOR`));
    expect(policy).toBeGreaterThanOrEqual(0);
    expect(steps[policy]?.expect).toBe('CLOUD_ARMOR');
    for (const rule of EDGE_RULES) {
      // Cloud Armor: at most five subexpressions a rule; a backslash would be a CEL escape before RE2 saw it.
      expect([rule.priority, rule.expression.split(/&&|\|\|/).length <= 5, rule.expression.includes('\\')]).toEqual([rule.priority, true, false]);
      const step = steps.find((s) => s.title.startsWith(`${EDGE_POLICY} rule ${rule.priority}:`));
      expect(step?.create).toEqual(expect.arrayContaining([`--expression=${rule.expression}`, `--action=${rule.action}`, `--security-policy=${EDGE_POLICY}`]));
      expect(step?.update?.slice(0, 6)).toEqual(['gcloud', 'compute', 'security-policies', 'rules', 'update', String(rule.priority)]);
      expect(step?.read?.slice(0, 6)).toEqual(['gcloud', 'compute', 'security-policies', 'rules', 'describe', String(rule.priority)]);
    }
    const backends = argvs.map((a) => /^gcloud compute backend-services create (\S+) /.exec(a)?.[1]).filter((b): b is string => b !== undefined);
    expect(backends.length).toBeGreaterThan(20);
    for (const backend of backends) {
      const attach = steps.findIndex((s) => s.create.join(' ') === `gcloud compute backend-services update ${backend} --global --security-policy=${EDGE_POLICY} --project=orderpally-demo`);
      expect([backend, attach > policy, attach > argvs.findIndex((a) => a.includes(`backend-services create ${backend} `))]).toEqual([backend, true, true]);
      expect(steps[attach]?.expect).toBe(EDGE_POLICY);
      expect(steps[attach]?.read?.join(' ')).toContain(`backend-services describe ${backend} --global --format=value(securityPolicy.basename())`);
    }
  });
});
