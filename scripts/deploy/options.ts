import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PARTS, type Part } from './steps';

/** Everything a deployment is decided from: command-line flags, with environment fallbacks. */
export interface DeployOptions {
  readonly project: string;
  readonly dryRun: boolean;
  readonly parts: readonly Part[];
  /** Public host of the front door (clause 5.3), e.g. api.orderpally.app. */
  readonly domain: string;
  readonly bucket: string;
  readonly retentionDays: number;
  /**
   * Locks the bucket's retention policy (the default): until then any bucket admin could remove it
   * and void clause 5.4. Irreversible; `--no-lock-retention` leaves it unlocked, with a warning.
   */
  readonly lockRetention: boolean;
  readonly kmsKeyName?: string;
  readonly allowedOrigins: readonly string[];
  readonly smtpSecret: string;
  readonly facebookAppId: string;
  readonly facebookSecret: string;
  readonly schedulerServiceAccount: string;
  /** Public host of the web client (e.g. app.orderpally.app), on the same load balancer; '' skips the web part. */
  readonly webDomain: string;
  /** The Firebase project's Web API key, built into the web client (it identifies the project; it is no secret). */
  readonly webApiKey: string;
  /** The bucket the web client's build is served from. */
  readonly webBucket: string;
}

/** A bad command line: the message says what to change. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const projectId = z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'must be a Google Cloud project id such as orderpally-prod');
// '' is "not given": whether it is needed depends on the parts chosen.
const optionalMatch = (pattern: RegExp, message: string) => z.string().refine((v) => v === '' || pattern.test(v), message);

const schema = z
  .object({
    project: projectId,
    domain: optionalMatch(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a host name such as api.orderpally.app'),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, 'must be a valid bucket name'),
    // Clause 5.4: snapshots are kept at least 7 days.
    retentionDays: z.coerce.number().int('must be a whole number of days').min(7, 'must be at least 7 (agreement clause 5.4)').max(3650),
    kmsKeyName: z.string().regex(/^projects\/[^/]+\/locations\/asia-east1\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/, 'must be a Cloud KMS key in asia-east1').optional(),
    allowedOrigins: z.array(z.string().regex(/^https:\/\/[^/\s,]+$/, 'each origin must look like https://host')),
    smtpSecret: z.string().regex(/^[\w-]{1,255}$/, 'must be a Secret Manager secret id'),
    facebookAppId: optionalMatch(/^\d{5,20}$/, 'must be the numeric Facebook app id'),
    facebookSecret: z.string().regex(/^[\w-]{1,255}$/, 'must be a Secret Manager secret id'),
    webDomain: optionalMatch(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a host name such as app.orderpally.app'),
    webApiKey: optionalMatch(/^AIza[\w-]{35}$/, "must be the project's Web API key (AIza…, 39 characters)"),
    webBucket: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, 'must be a valid bucket name'),
  })
  .strict();

const USAGE = `usage: npm run deploy -- --project <id> --domain <host> [--dry-run] [--only ${PARTS.join('|')}]...
  [--bucket <name>] [--retention-days <n ≥ 7>] [--no-lock-retention] [--kms-key <key>] [--allowed-origins <o1,o2>]
  [--smtp-secret <id>] [--facebook-app-id <id>] [--facebook-secret <id>]
  [--web-domain <host> --web-api-key <key>] [--web-bucket <name>]`;

/**
 * Parses `argv` (without node and the script) with `env` fallbacks (FACEBOOK_APP_ID,
 * BACKUP_RETENTION_DAYS, DEPLOY_DOMAIN, ALLOWED_ORIGINS, DEPLOY_WEB_DOMAIN, WEB_API_KEY).
 * @throws UsageError naming every bad value at once.
 */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DeployOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        project: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        only: { type: 'string', multiple: true },
        domain: { type: 'string' },
        bucket: { type: 'string' },
        'retention-days': { type: 'string' },
        'lock-retention': { type: 'boolean', default: false },
        'no-lock-retention': { type: 'boolean', default: false },
        'kms-key': { type: 'string' },
        'allowed-origins': { type: 'string' },
        'smtp-secret': { type: 'string' },
        'facebook-app-id': { type: 'string' },
        'facebook-secret': { type: 'string' },
        'web-domain': { type: 'string' },
        'web-api-key': { type: 'string' },
        'web-bucket': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const project = values.project ?? '';
  const only = (values.only ?? []).flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean);
  const unknown = only.filter((o) => !(PARTS as readonly string[]).includes(o));
  if (unknown.length > 0) throw new UsageError(`--only: unknown part ${unknown.join(', ')}; choose from ${PARTS.join(', ')}.\n${USAGE}`);
  const parsed = schema.safeParse({
    project,
    domain: values.domain ?? env.DEPLOY_DOMAIN ?? '',
    bucket: values.bucket ?? `${project}-backups`,
    retentionDays: values['retention-days'] ?? env.BACKUP_RETENTION_DAYS ?? 7,
    kmsKeyName: values['kms-key'],
    allowedOrigins: (values['allowed-origins'] ?? env.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    smtpSecret: values['smtp-secret'] ?? 'orderpally-smtp-url',
    facebookAppId: values['facebook-app-id'] ?? env.FACEBOOK_APP_ID ?? '',
    facebookSecret: values['facebook-secret'] ?? 'orderpally-facebook-app-secret',
    webDomain: values['web-domain'] ?? env.DEPLOY_WEB_DOMAIN ?? '',
    webApiKey: values['web-api-key'] ?? env.WEB_API_KEY ?? '',
    webBucket: values['web-bucket'] ?? `${project}-web`,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  --${kebabFlag(String(i.path[0] ?? ''))}: ${i.message}`);
    throw new UsageError(`Invalid options:\n${problems.join('\n')}\n${USAGE}`);
  }
  const o = parsed.data;
  const parts = only.length > 0 ? PARTS.filter((p) => only.includes(p)) : PARTS;
  const missing = [
    ...(o.domain === '' && (parts.includes('functions') || parts.includes('frontdoor') || (parts.includes('web') && o.webDomain !== ''))
      ? ['  --domain (or DEPLOY_DOMAIN): the public host, needed for functions, frontdoor and web'] : []),
    ...(o.facebookAppId === '' && parts.includes('identity') ? ['  --facebook-app-id (or FACEBOOK_APP_ID): needed for identity'] : []),
    ...(o.webDomain === '' && only.includes('web') ? ['  --web-domain (or DEPLOY_WEB_DOMAIN): the web client\'s public host, needed for --only web'] : []),
    ...(o.webDomain !== '' && o.webApiKey === '' && parts.includes('web') ? ['  --web-api-key (or WEB_API_KEY): the Firebase Web API key, needed with --web-domain'] : []),
  ];
  if (missing.length > 0) throw new UsageError(`Missing options:\n${missing.join('\n')}\n${USAGE}`);
  if (values['lock-retention'] === true && values['no-lock-retention'] === true) {
    throw new UsageError(`--lock-retention and --no-lock-retention contradict each other: give one.\n${USAGE}`);
  }
  // One host rule per host: the URL map cannot send one host both to the functions and to the bucket.
  if (o.webDomain !== '' && o.webDomain === o.domain) throw new UsageError(`--web-domain must differ from --domain (${o.domain} serves the functions).\n${USAGE}`);
  return {
    ...o,
    dryRun: values['dry-run'] === true,
    parts,
    // --lock-retention is still accepted: it names the default.
    lockRetention: values['no-lock-retention'] !== true,
    schedulerServiceAccount: `orderpally-scheduler@${o.project}.iam.gserviceaccount.com`,
  };
}

function kebabFlag(key: string): string {
  return key === 'kmsKeyName' ? 'kms-key' : key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
