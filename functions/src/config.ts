import { z } from 'zod';
import { isSafeAddress } from './shared/email';

const hostPort = z
  .string()
  .regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8080');

// A plain, header-safe address: exactly what the mail outbox accepts, so a config value can never
// make every message fail to enqueue.
const emailAddress = z
  .string()
  .trim()
  .refine((a) => isSafeAddress(a), 'must be a plain email address such as support@example.com');

const originList = z
  .string()
  .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(
    z.array(
      z.union([
        z.literal('*'),
        z.string().regex(/^https?:\/\/[^/\s]+$/, 'each origin must look like https://host[:port], with no path'),
      ]),
    ),
  );

function commaList(item: z.ZodString | z.ZodEmail | z.ZodURL) {
  return z
    .string()
    .transform((raw) => raw.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item));
}

// Days before a date that a reminder goes out, e.g. "30,7": whole days 1–365, each once, nearest last.
const reminderDays = z
  .string()
  .transform((raw) => raw.split(',').map((s) => s.trim()))
  .pipe(
    z
      .array(z.string().regex(/^\d+$/, 'each entry must be a whole number of days, e.g. 7,1').transform(Number).pipe(z.number().min(1, 'each entry must be 1 to 365 days').max(365, 'each entry must be 1 to 365 days')))
      .min(1)
      // Piped, so a repeat is only looked for once every entry is a valid day.
      .pipe(z.array(z.number()).refine((days) => new Set(days).size === days.length, 'must not name a day twice')),
  )
  .transform((days) => [...days].sort((a, b) => b - a));

/** Environment variables that hold secrets: never logged in clear. */
export const SECRET_KEYS = ['SMTP_URL'] as const;

const schema = z.object({
  GCLOUD_PROJECT: z.string().regex(/^[a-z][a-z0-9-]{4,29}$/, 'must be a Google Cloud project id').default('demo-orderpally'),
  FUNCTION_REGION: z.string().default('asia-east1'),
  APP_VERSION: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']).default('INFO'),
  ALLOWED_ORIGINS: originList.default([]),
  SUPPORT_EMAIL: emailAddress.default('orderpally.service@17.live'),
  OPS_EMAIL: emailAddress.default('orderpally.service@17.live'),
  MAIL_FROM: emailAddress.default('orderpally.service@17.live'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  PUBLIC_BASE_URL: z
    .string()
    .regex(/^https?:\/\/[^/\s]+$/, 'must be an origin such as https://orderpally.app, with no path')
    .default('http://127.0.0.1:5001'),
  SECURITY_POLICY_URL: z.url('must be a URL').optional(),
  SECURITY_TXT_EXPIRES_DAYS: z.coerce.number().int().min(1).max(364).default(180),
  /**
   * X-Forwarded-For entries our proxies append (1: Cloud Run's front end on a direct call; 2: the
   * external HTTPS load balancer's `<client-ip>,<lb-ip>`). The client address is the entry that
   * many places from the end: entries before it are whatever the client sent (http/client-ip.ts).
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(5).default(1),
  /** Customer termination (clause 3.1(a)): days ahead the date may be, and the default (Taipei calendar days). */
  TERMINATION_MIN_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  TERMINATION_MAX_DAYS: z.coerce.number().int().min(1).max(730).default(90),
  TERMINATION_DEFAULT_DAYS: z.coerce.number().int().min(1).max(730).default(30),
  /** Breach cure period in days when staff do not name one (clause 3.1(b)(i)). */
  BREACH_CURE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /**
   * What an uncured breach becomes at its cure date: `immediate` termination for cause, or a
   * dated one `BREACH_NOTICE_DAYS` ahead.
   */
  BREACH_ESCALATION: z.enum(['immediate', 'notice']).default('immediate'),
  BREACH_NOTICE_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /**
   * Calendar months of notice a service change or discontinuation needs without an exemption
   * (clause 2.1: one month; Taipei calendar).
   */
  SERVICE_NOTICE_MIN_MONTHS: z.coerce.number().int().min(1, 'must be at least 1 (agreement clause 2.1)').max(24).default(1),
  /**
   * Calendar months of notice OrderPally gives when it terminates for convenience (clause 3.1(a);
   * DESIGN §4: at least one). Separate from SERVICE_NOTICE_MIN_MONTHS: the two rules move independently.
   */
  PROVIDER_TERMINATION_NOTICE_MIN_MONTHS: z.coerce.number().int().min(1, 'must be at least 1 (DESIGN §4)').max(24).default(1),
  /** Days before a termination takes effect that the customer is reminded (DESIGN §4). */
  TERMINATION_REMINDER_DAYS: reminderDays.default([7, 1]),
  /** Days before a contract ends that the customer is reminded. */
  CONTRACT_REMINDER_DAYS: reminderDays.default([30, 7]),
  /**
   * Days a Firestore export is kept (clause 5.4: at least 7). Also tells a terminated customer
   * when the last backup holding their content is gone.
   */
  BACKUP_RETENTION_DAYS: z.coerce.number().int().min(7, 'must be at least 7 (agreement clause 5.4)').max(3650).default(7),
  /**
   * The Cloud Storage bucket (name only, no `gs://`) that `runBackup` exports to. Required for a
   * production export; unused on the emulators, which export into BACKUP_LOCAL_DIR.
   */
  BACKUP_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/, 'must be a bucket name such as orderpally-backups (no gs://)')
    .optional(),
  /** Cloud KMS key (`projects/…/locations/asia-east1/keyRings/…/cryptoKeys/…`) for the bucket's default CMEK. */
  BACKUP_KMS_KEY: z
    .string()
    .regex(/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/, 'must be a Cloud KMS key resource name')
    .optional(),
  /** Local exports on the emulators: an absolute path, or relative to the working directory (the repo root). */
  BACKUP_LOCAL_DIR: z.string().min(1).default('.emulators/backups'),
  /** `checkBackups` alerts when the newest successful backup started longer ago than this. */
  BACKUP_STALE_HOURS: z.coerce.number().int().min(1).max(24 * 14).default(26),
  /**
   * TESTS ONLY: a local HTTP endpoint (`host:port` or `http://host:port`) standing in for the
   * Firestore Admin API, so the official client's export/import requests can be recorded. Never
   * set it in a deployment: the client then speaks plain HTTP with a dummy token.
   */
  FIRESTORE_ADMIN_ENDPOINT: z
    .string()
    .regex(/^(https?:\/\/)?[\w.-]+:\d{1,5}\/?$/, 'must be host:port or http://host:port')
    .optional(),
  /**
   * Service-account emails allowed to call the scheduled functions (Cloud Scheduler's OIDC
   * identity), comma-separated. Empty: every scheduled call is refused outside the emulators.
   */
  SCHEDULER_INVOKERS: commaList(z.email('each entry must be a service-account email address')).default([]),
  /** Accepted OIDC audiences (the Scheduler jobs' target URLs), comma-separated. Empty: the URL the request was sent to. */
  SCHEDULER_AUDIENCE: commaList(z.url('each entry must be a URL')).default([]),
  /** Where Google's OIDC signing certificates are published (PEM); replaced only to test against a local endpoint. */
  GOOGLE_OIDC_CERTS_URL: z.url('must be a URL').default('https://www.googleapis.com/oauth2/v1/certs'),
  /**
   * Days a delivered message stays in `mail/{id}` before its `expiresAt` lets the TTL policy
   * delete it. Failed messages are the evidence behind an ops alert, so they are kept longer.
   */
  MAIL_SENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  MAIL_FAILED_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /**
   * How long one instance serves `listServiceNotices` from memory before it queries Firestore
   * again: the anonymous list costs at most one query per instance per this many seconds.
   */
  NOTICES_CACHE_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
  FIRESTORE_EMULATOR_HOST: hostPort.optional(),
  FIREBASE_AUTH_EMULATOR_HOST: hostPort.optional(),
});

/** The validated configuration of every function. */
export type Config = z.infer<typeof schema>;

/**
 * Thrown when the environment is invalid; the message lists every bad key. `emulatorVariables`
 * names the emulator variables found in a deployed instance (see `emulatorsInDeployment`).
 */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly emulatorVariables: readonly string[] = [],
  ) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Set by Google's runtimes, never by our local stack: Cloud Run (and so Cloud Functions 2nd gen)
 * sets K_SERVICE and reserves the name, so a deployment cannot remove it; the Cloud Functions
 * buildpack sets FUNCTION_TARGET. Locally nothing sets them: `npm start` and the tests mount the
 * functions with functions-framework's `getTestServer`, and its CLI reads FUNCTION_TARGET (or
 * `--target`) but never sets it.
 */
export const DEPLOYMENT_MARKERS = ['K_SERVICE', 'FUNCTION_TARGET'] as const;

const EMULATOR_VARIABLE = /_EMULATOR_HOST$/;

/**
 * The emulator variables (`FIRESTORE_EMULATOR_HOST`, `FIREBASE_AUTH_EMULATOR_HOST`, any
 * `*_EMULATOR_HOST`) set in an environment that is deployed (a DEPLOYMENT_MARKERS variable set).
 * Any one of them is fatal: firebase-admin reads them from the environment on its own and then
 * accepts unsigned ID tokens (the Auth emulator's `alg: none`), or talks to a stranger's "emulator"
 * instead of the production database; our code also relaxes checks on the emulators (blocking
 * token audience, the local cron's loopback pass). Names only, never values.
 *
 * There is deliberately no override ("I know, serve anyway"): any variable that switched the
 * guard off could be set in production by the same mistake, or the same attacker with access to
 * the deployment's environment, that set the emulator variable in the first place.
 * @returns the marker found and the emulator variables, or null when the environment is safe.
 */
export function emulatorsInDeployment(env: NodeJS.ProcessEnv = process.env): { marker: string; variables: string[] } | null {
  const marker = DEPLOYMENT_MARKERS.find((key) => (env[key] ?? '') !== '');
  if (!marker) return null;
  // Empty values count as unset, as they do for firebase-admin and loadConfig.
  const variables = Object.keys(env).filter((key) => EMULATOR_VARIABLE.test(key) && (env[key] ?? '') !== '').sort();
  return variables.length > 0 ? { marker, variables } : null;
}

/**
 * Parses and validates the environment once. Empty strings count as unset, so
 * `FOO=` in a .env file falls back to the default rather than failing. A deployed environment
 * with an emulator variable is refused like an invalid key (`emulatorsInDeployment`).
 * @throws ConfigError listing every invalid key at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = schema
    .refine((c) => c.TERMINATION_MIN_DAYS <= c.TERMINATION_DEFAULT_DAYS && c.TERMINATION_DEFAULT_DAYS <= c.TERMINATION_MAX_DAYS, {
      message: 'must lie between TERMINATION_MIN_DAYS and TERMINATION_MAX_DAYS',
      path: ['TERMINATION_DEFAULT_DAYS'],
    })
    // Parsed once per instance: zod's compiled fast path would cost more to generate (~7 ms of a
    // cold start) than it could save on a single parse.
    .safeParse(input, { jitless: true });
  const unsafe = emulatorsInDeployment(env);
  const problems = [
    ...(unsafe?.variables ?? []).map((key) => `${key}: an emulator variable in a deployed instance (${unsafe?.marker} is set); firebase-admin would accept unsigned ID tokens: remove it from the deployment`),
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)),
  ];
  if (!parsed.success || unsafe) throw new ConfigError(problems, unsafe?.variables ?? []);
  return parsed.data;
}

/** A copy of the config that is safe to log: secrets are replaced by a marker. */
export function redactConfig(config: Config): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  for (const key of SECRET_KEYS) {
    if (copy[key] !== undefined) copy[key] = '[redacted]';
  }
  return copy;
}

/** True when this process talks to the local emulators rather than Google Cloud. */
export function usesEmulators(config: Config): boolean {
  return config.FIRESTORE_EMULATOR_HOST !== undefined || config.FIREBASE_AUTH_EMULATOR_HOST !== undefined;
}
