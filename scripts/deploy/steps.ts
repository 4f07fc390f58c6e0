/**
 * The parts of a deployment, in the order a full run applies them (`--only` picks some): logs
 * routed to Taiwan before anything else writes any, the bucket before the scheduler starts
 * backups, the functions before identity registers them, the web client's backend bucket before the
 * URL map routes to it.
 */
export const PARTS = ['logging', 'functions', 'firestore', 'bucket', 'identity', 'scheduler', 'web', 'frontdoor'] as const;
export type Part = (typeof PARTS)[number];

/** Every regional resource lives here (clause 5.10: data in Taiwan). */
export const REGION = 'asia-east1';
/**
 * The Cloud Run functions runtime of every function. Node.js 20 was decommissioned on 2026-10-30;
 * Node.js 24 is supported until 2028-10-31. functions/package.json `engines` names the same major.
 */
export const NODE_RUNTIME = 'nodejs24';
/** Dates people read are Taipei dates; so are the scheduler's crons. */
export const TIME_ZONE = 'Asia/Taipei';

/**
 * A value only known at run time, written `{{NAME}}` in a step and resolved by an earlier `capture`
 * step. A dry run prints the placeholder, so it needs no credentials and never shows a secret.
 */
export const placeholder = (name: string): string => `{{${name}}}`;

/** Runs a CLI (gcloud, firebase): `read` first, then `create` when it found nothing, else `update`. */
export interface CommandStep {
  readonly kind: 'command';
  readonly part: Part;
  readonly title: string;
  /** Prints the resource when it exists: exit 0 with some output means "exists". */
  readonly read?: readonly string[];
  /** When set, the read output the resource must have; anything else calls for `update`. */
  readonly expect?: string;
  readonly create: readonly string[];
  /** Run when the resource exists but differs (or always, with `always`); none: a mismatch is an error. */
  readonly update?: readonly string[];
  /** Apply even when the read matched (deploys, imports: the CLI itself diffs). */
  readonly always?: boolean;
  /** Fed to the command's stdin (a URL map YAML). */
  readonly stdin?: string;
}

/** Runs a read-only command and keeps its trimmed output as `{{name}}` for later steps. */
export interface CaptureStep {
  readonly kind: 'capture';
  readonly part: Part;
  readonly title: string;
  readonly name: string;
  readonly argv: readonly string[];
  /** Never printed, not even at run time. */
  readonly secret?: boolean;
}

/**
 * A REST resource (Identity Toolkit admin API): GET `url`; absent → `create` (or nothing when
 * there is no create: an absent provider is a disabled one); present and differing from `body` → `update`.
 */
export interface HttpStep {
  readonly kind: 'http';
  readonly part: Part;
  readonly title: string;
  readonly url: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly create?: { readonly method: 'POST' | 'PATCH'; readonly url: string };
  readonly update: { readonly method: 'PATCH'; readonly url: string };
}

/** A Cloud Scheduler job (`@google-cloud/scheduler`): getJob, then createJob or updateJob. */
export interface SchedulerStep {
  readonly kind: 'scheduler';
  readonly part: Part;
  readonly title: string;
  readonly parent: string;
  readonly job: SchedulerJob;
}

/** The fields of `google.cloud.scheduler.v1.Job` we set. */
export interface SchedulerJob {
  readonly name: string;
  readonly description: string;
  readonly schedule: string;
  readonly timeZone: string;
  readonly attemptDeadline: { readonly seconds: number };
  readonly retryConfig: {
    readonly retryCount: number;
    readonly minBackoffDuration: { readonly seconds: number };
    readonly maxBackoffDuration: { readonly seconds: number };
    readonly maxDoublings: number;
  };
  readonly httpTarget: {
    readonly uri: string;
    readonly httpMethod: 'POST';
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly oidcToken: { readonly serviceAccountEmail: string; readonly audience: string };
  };
}

/** A Cloud Storage bucket (`@google-cloud/storage`): create, setMetadata, IAM binding or retention lock. */
export interface BucketStep {
  readonly kind: 'bucket';
  readonly part: Part;
  readonly title: string;
  readonly bucket: string;
  readonly action:
    | { readonly type: 'metadata'; readonly metadata: Readonly<Record<string, unknown>> }
    | { readonly type: 'iam'; readonly role: string; readonly member: string }
    | { readonly type: 'lock' };
}

export type Step = CommandStep | CaptureStep | HttpStep | SchedulerStep | BucketStep;

/** `gcloud <args…> --project=<id>`. */
export function gcloud(project: string, ...args: string[]): string[] {
  return ['gcloud', ...args, `--project=${project}`];
}

/** `gcloud services enable …` for a part: idempotent, so it always runs. */
export function enableApis(part: Part, project: string, apis: readonly string[]): CommandStep {
  return {
    kind: 'command',
    part,
    title: `enable ${apis.join(', ')}`,
    create: gcloud(project, 'services', 'enable', ...apis),
    always: true,
  };
}

/** A resource name from a camelCase function name: `adminGetAccount` → `admin-get-account`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The Cloud Run service behind a 2nd-gen function: its name, lower-cased. */
export function runService(name: string): string {
  return name.toLowerCase();
}

/** The deterministic 2nd-gen function URL (also valid on Cloud Run as an OIDC audience). */
export function functionUrl(project: string, name: string): string {
  return `https://${REGION}-${project}.cloudfunctions.net/${name}`;
}
