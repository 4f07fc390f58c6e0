import { DEFAULT_RUNTIME, isClientFacing, RUNTIME, type DeployableFunction } from './inventory';
import type { DeployOptions } from './options';
import { enableApis, functionUrl, gcloud, placeholder, REGION, runService, type CaptureStep, type CommandStep, type Step } from './steps';

/** Roles the functions' runtime service account needs on the project. */
const RUNTIME_ROLES = [
  'roles/datastore.user', // Firestore reads and writes
  'roles/firebaseauth.admin', // disable users, revoke tokens, custom claims (clauses 3.2, 5.2)
  'roles/datastore.importExportAdmin', // runBackup's managed export (clause 5.4)
  'roles/logging.logWriter',
];

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

function serviceAccount(o: DeployOptions, email: string, display: string): CommandStep {
  const id = email.split('@')[0] ?? email;
  return {
    kind: 'command',
    part: 'functions',
    title: `service account ${email}`,
    read: gcloud(o.project, 'iam', 'service-accounts', 'describe', email, '--format=value(email)'),
    create: gcloud(o.project, 'iam', 'service-accounts', 'create', id, `--display-name=${display}`),
  };
}

function projectRole(o: DeployOptions, member: string, role: string): CommandStep {
  return {
    kind: 'command',
    part: 'functions',
    title: `${role} for ${member}`,
    read: gcloud(o.project, 'projects', 'get-iam-policy', o.project, '--flatten=bindings[].members', `--filter=bindings.role=${role} AND bindings.members=${member}`, '--format=value(bindings.role)'),
    create: ['gcloud', 'projects', 'add-iam-policy-binding', o.project, `--member=${member}`, `--role=${role}`, '--condition=None'],
  };
}

/** `--set-env-vars`, switching gcloud's list delimiter when a value holds a comma. */
function envFlag(env: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return pairs.some((p) => p.includes(',')) ? `--set-env-vars=^;^${pairs.join(';')}` : `--set-env-vars=${pairs.join(',')}`;
}

function environment(o: DeployOptions, fn: DeployableFunction): Record<string, string> {
  return {
    GCLOUD_PROJECT: o.project,
    FUNCTION_REGION: REGION,
    // Google's front end plus the external load balancer each append to X-Forwarded-For.
    TRUSTED_PROXY_HOPS: '2',
    PUBLIC_BASE_URL: `https://${o.domain}`,
    ...(o.allowedOrigins.length > 0 ? { ALLOWED_ORIGINS: o.allowedOrigins.join(',') } : {}),
    SCHEDULER_INVOKERS: o.schedulerServiceAccount,
    // The audience the job's OIDC token carries: this function's own URL (scheduler part).
    ...(fn.kind === 'scheduled' ? { SCHEDULER_AUDIENCE: functionUrl(o.project, fn.name) } : {}),
    BACKUP_BUCKET: o.bucket,
    BACKUP_RETENTION_DAYS: String(o.retentionDays),
    ...(o.kmsKeyName ? { BACKUP_KMS_KEY: o.kmsKeyName } : {}),
  };
}

function deploy(o: DeployOptions, fn: DeployableFunction): CommandStep {
  const size = RUNTIME[fn.name] ?? DEFAULT_RUNTIME;
  const client = isClientFacing(fn.kind);
  return {
    kind: 'command',
    part: 'functions',
    title: `function ${fn.name} (${fn.kind})`,
    read: gcloud(o.project, 'functions', 'describe', fn.name, '--gen2', `--region=${REGION}`, '--format=value(name)'),
    create: gcloud(o.project, 'functions', 'deploy', fn.name, '--gen2', `--region=${REGION}`, '--runtime=nodejs20', '--source=functions',
      `--entry-point=${fn.name}`, '--trigger-http', `--memory=${size.memory}`, `--timeout=${size.timeoutSeconds}s`,
      `--service-account=${o.functionsServiceAccount}`, envFlag(environment(o, fn)), `--set-secrets=SMTP_URL=${o.smtpSecret}:latest`,
      // Clause 5.3: client traffic only through the TLS 1.3 load balancer; the functions check tokens themselves.
      // Scheduler calls count as internal; Identity Platform's do not, so blocking functions keep ingress all and rely on IAM.
      ...(client ? ['--allow-unauthenticated', '--ingress-settings=internal-and-gclb']
        : ['--no-allow-unauthenticated', `--ingress-settings=${fn.kind === 'scheduled' ? 'internal-only' : 'all'}`]),
      '--quiet'),
    always: true,
  };
}

function invoker(o: DeployOptions, fn: DeployableFunction): CommandStep {
  const member = fn.kind === 'scheduled'
    ? `serviceAccount:${o.schedulerServiceAccount}`
    : `serviceAccount:service-${placeholder('PROJECT_NUMBER')}@gcp-sa-identitytoolkit.iam.gserviceaccount.com`;
  const service = runService(fn.name);
  return {
    kind: 'command',
    part: 'functions',
    title: `invoker of ${fn.name}: ${member}`,
    read: gcloud(o.project, 'run', 'services', 'get-iam-policy', service, `--region=${REGION}`, '--flatten=bindings[].members',
      `--filter=bindings.role=roles/run.invoker AND bindings.members=${member}`, '--format=value(bindings.role)'),
    create: gcloud(o.project, 'run', 'services', 'add-iam-policy-binding', service, `--region=${REGION}`, `--member=${member}`, '--role=roles/run.invoker'),
  };
}

/**
 * Part 1: the runtime and scheduler service accounts, their roles, then every function deployed
 * once, and the private ones' invokers (issue #8 §1).
 */
export function functionsPart(o: DeployOptions, functions: readonly DeployableFunction[]): Step[] {
  const runtime = `serviceAccount:${o.functionsServiceAccount}`;
  const secret: CommandStep = {
    kind: 'command',
    part: 'functions',
    title: `${o.smtpSecret} readable by the functions`,
    read: gcloud(o.project, 'secrets', 'get-iam-policy', o.smtpSecret, '--flatten=bindings[].members',
      `--filter=bindings.role=roles/secretmanager.secretAccessor AND bindings.members=${runtime}`, '--format=value(bindings.role)'),
    create: gcloud(o.project, 'secrets', 'add-iam-policy-binding', o.smtpSecret, `--member=${runtime}`, '--role=roles/secretmanager.secretAccessor'),
  };
  return [
    enableApis('functions', o.project, ['cloudfunctions.googleapis.com', 'run.googleapis.com', 'cloudbuild.googleapis.com',
      'artifactregistry.googleapis.com', 'secretmanager.googleapis.com', 'iam.googleapis.com']),
    projectNumberStep(o, 'functions'),
    serviceAccount(o, o.functionsServiceAccount, 'OrderPally functions runtime'),
    serviceAccount(o, o.schedulerServiceAccount, 'OrderPally Cloud Scheduler invoker'),
    ...RUNTIME_ROLES.map((role) => projectRole(o, runtime, role)),
    secret,
    ...functions.map((fn) => deploy(o, fn)),
    ...functions.filter((fn) => !isClientFacing(fn.kind)).map((fn) => invoker(o, fn)),
  ];
}
