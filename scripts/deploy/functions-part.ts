import { accountOf, groupOf, groupSecrets, identitySteps, serviceAccountStep } from './identities';
import { isClientFacing, type DeployableFunction } from './inventory';
import type { DeployOptions } from './options';
import { sizingOf } from './sizing';
import { enableApis, functionUrl, gcloud, NODE_RUNTIME, REGION, runService, type CaptureStep, type CommandStep, type Step } from './steps';
import { webOrigins } from './web-part';

/** Captures the project number: service agents' emails are built from it. */
export function projectNumberStep(o: DeployOptions, part: Step['part']): CaptureStep {
  return {
    kind: 'capture',
    part,
    title: 'project number',
    name: 'PROJECT_NUMBER',
    argv: ['gcloud', 'projects', 'describe', o.project, '--format=value(projectNumber)'],
  };
}

/** `--set-env-vars`, switching gcloud's list delimiter when a value holds a comma. */
function envFlag(env: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return pairs.some((p) => p.includes(',')) ? `--set-env-vars=^;^${pairs.join(';')}` : `--set-env-vars=${pairs.join(',')}`;
}

function environment(o: DeployOptions, fn: DeployableFunction): Record<string, string> {
  // The web client calls the functions from its own host (CORS).
  const origins = [...new Set([...o.allowedOrigins, ...webOrigins(o)])];
  return {
    GCLOUD_PROJECT: o.project,
    FUNCTION_REGION: REGION,
    // The external load balancer appends `<client-ip>,<lb-ip>` to X-Forwarded-For, Cloud Run nothing after (http/client-ip.ts).
    TRUSTED_PROXY_HOPS: '2',
    PUBLIC_BASE_URL: `https://${o.domain}`,
    ...(origins.length > 0 ? { ALLOWED_ORIGINS: origins.join(',') } : {}),
    SCHEDULER_INVOKERS: o.schedulerServiceAccount,
    // The audience the job's OIDC token carries: this function's own URL (scheduler part).
    ...(fn.kind === 'scheduled' ? { SCHEDULER_AUDIENCE: functionUrl(o.project, fn.name) } : {}),
    BACKUP_BUCKET: o.bucket,
    BACKUP_RETENTION_DAYS: String(o.retentionDays),
    ...(o.kmsKeyName ? { BACKUP_KMS_KEY: o.kmsKeyName } : {}),
  };
}

/**
 * Who may invoke a function, and through which ingress:
 * - client-facing: anyone, but only through the TLS 1.3 load balancer and its Cloud Armor policy
 *   (clause 5.3); the functions verify ID tokens and API keys themselves;
 * - scheduled: only the scheduler's service account, internal traffic only;
 * - blocking (`beforeCreate`/`beforeSignIn`): anyone, from anywhere — as the Firebase CLI deploys
 *   auth blocking triggers (firebase-tools `release/fabricator.ts`: "Auth Blocking functions should
 *   always be public"). Identity Platform calls the run.app URL without an IAM identity the
 *   function could require, and from Google's network rather than our VPC or load balancer. It is
 *   safe because the request proves itself: functions/src/http/blocking.ts accepts nothing but a
 *   body JWT that firebase-admin's `_verifyAuthBlockingToken` verified — Google's signature, issuer
 *   `https://securetoken.google.com/<project>` (only Identity Platform of this project mints those),
 *   an unexpired `exp`, an `aud` on run.app — and then requires `event_type` to be this function's
 *   event and `user_record.uid` to equal `sub`. Anything else is a 400/401 before Firestore is
 *   touched; a replayed genuine token can only repeat an idempotent decision. The sizing table
 *   bounds what junk requests can cost (they get no Cloud Armor in front).
 */
export function accessOf(fn: DeployableFunction, o: DeployOptions): { invoker: string; ingress: string } {
  if (fn.kind === 'scheduled') return { invoker: `serviceAccount:${o.schedulerServiceAccount}`, ingress: 'internal-only' };
  if (fn.kind === 'blocking') return { invoker: 'allUsers', ingress: 'all' };
  if (isClientFacing(fn.kind)) return { invoker: 'allUsers', ingress: 'internal-and-gclb' };
  throw new Error(`${fn.name}: no access rule for kind ${fn.kind as string}`);
}

/**
 * Where scripts/bundle-functions.mjs writes the functions' bundles: a folder per function (its code and zod in
 * one file, Google's libraries as pinned dependencies the Cloud Functions build installs), not functions/ itself,
 * whose compiled output loads zod's CommonJS entry and every one of its locales at cold start.
 */
export const FUNCTIONS_SOURCE = 'functions/dist';

/** What `gcloud functions deploy --source` uploads for one function: its own bundle, no other function's code. */
export const sourceOf = (name: string): string => `${FUNCTIONS_SOURCE}/${name}`;

/** Builds FUNCTIONS_SOURCE from the working tree, first: a failed bundle stops the run before anything changes. */
function bundleStep(): CommandStep {
  return { kind: 'command', part: 'functions', title: `bundle the functions into ${FUNCTIONS_SOURCE} (esbuild)`, create: ['npm', 'run', 'bundle', '-w', 'functions'], always: true };
}

function deploy(o: DeployOptions, fn: DeployableFunction): CommandStep {
  const size = sizingOf(fn.name);
  const group = groupOf(fn.name);
  const account = accountOf(o.project, group);
  const { invoker, ingress } = accessOf(fn, o);
  return {
    kind: 'command',
    part: 'functions',
    title: `function ${fn.name} (${fn.kind})`,
    read: gcloud(o.project, 'functions', 'describe', fn.name, '--gen2', `--region=${REGION}`, '--format=value(name)'),
    create: gcloud(o.project, 'functions', 'deploy', fn.name, '--gen2', `--region=${REGION}`, `--runtime=${NODE_RUNTIME}`, `--source=${sourceOf(fn.name)}`,
      `--entry-point=${fn.name}`, '--trigger-http', `--memory=${size.memory}`, `--cpu=${size.cpu}`, `--timeout=${size.timeoutSeconds}s`,
      `--concurrency=${size.concurrency}`, `--max-instances=${size.maxInstances}`, `--service-account=${account}`, envFlag(environment(o, fn)),
      // Only the functions that deliver mail get the secret (their account alone may read it).
      ...(groupSecrets(group).includes('SMTP_URL') ? [`--set-secrets=SMTP_URL=${o.smtpSecret}:latest`] : ['--clear-secrets']),
      invoker === 'allUsers' ? '--allow-unauthenticated' : '--no-allow-unauthenticated', `--ingress-settings=${ingress}`, '--quiet'),
    always: true,
  };
}

function invokerStep(o: DeployOptions, fn: DeployableFunction): CommandStep {
  const { invoker } = accessOf(fn, o);
  const service = runService(fn.name);
  return {
    kind: 'command',
    part: 'functions',
    title: `invoker of ${fn.name}: ${invoker}`,
    read: gcloud(o.project, 'run', 'services', 'get-iam-policy', service, `--region=${REGION}`, '--flatten=bindings[].members',
      `--filter=bindings.role=roles/run.invoker AND bindings.members=${invoker}`, '--format=value(bindings.role)'),
    create: gcloud(o.project, 'run', 'services', 'add-iam-policy-binding', service, `--region=${REGION}`, `--member=${invoker}`, '--role=roles/run.invoker'),
  };
}

/**
 * The `functions` part: the bundle, one runtime service account per function group with only its roles
 * (identities.ts), the scheduler's account, every function deployed from its own bundle on NODE_RUNTIME with its
 * sizing, and each function's invoker.
 */
export function functionsPart(o: DeployOptions, functions: readonly DeployableFunction[]): Step[] {
  return [
    bundleStep(),
    enableApis('functions', o.project, ['cloudfunctions.googleapis.com', 'run.googleapis.com', 'cloudbuild.googleapis.com',
      'artifactregistry.googleapis.com', 'secretmanager.googleapis.com', 'iam.googleapis.com']),
    ...identitySteps(o, functions.map((fn) => fn.name)),
    serviceAccountStep(o, o.schedulerServiceAccount, 'OrderPally Cloud Scheduler invoker'),
    ...functions.map((fn) => deploy(o, fn)),
    ...functions.map((fn) => invokerStep(o, fn)),
  ];
}
