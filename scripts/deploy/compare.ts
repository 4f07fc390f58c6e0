import { isDeepStrictEqual } from 'node:util';
import type { CloudSchedulerClient } from '@google-cloud/scheduler';
import type { BucketStep, CommandStep, HttpStep, SchedulerStep } from './steps';

/** One field that is not as planned: its path, what is live and what the plan wants. */
export interface Difference {
  readonly what: string;
  readonly live: unknown;
  readonly plan: unknown;
}

/**
 * What reading a step's resource found. `absent`: nothing there; `differs`: there, not as planned;
 * `matches`; `unread`: the step has nothing to read (it is applied every time). `live` is what the
 * read returned, for the half that applies changes.
 */
export interface Finding<L = unknown> {
  readonly state: 'absent' | 'differs' | 'matches' | 'unread';
  readonly differences: readonly Difference[];
  readonly live?: L;
}

/** A command's exit code and output. */
export type RunResult = { code: number; stdout: string; stderr: string };

/** The read-only edges: what a drift check may touch (deploy's Runners satisfy it). */
export interface Readers {
  run(argv: readonly string[]): Promise<RunResult>;
  /** An authorised Google API GET; `status` 404 means "absent". */
  http(method: 'GET', url: string): Promise<{ status: number; data: unknown }>;
  scheduler: Pick<CloudSchedulerClient, 'getJob'>;
  storage: { bucket(name: string): BucketReader };
}

/** The reading half of `@google-cloud/storage`'s Bucket. */
export interface BucketReader {
  exists(): Promise<[boolean]>;
  getMetadata(): Promise<[BucketMetadataView, ...unknown[]]>;
  iam: { getPolicy(options: { requestedPolicyVersion: number }): Promise<[PolicyView, ...unknown[]]> };
}
/** The bucket fields a comparison names. */
export interface BucketMetadataView {
  location?: string;
  metageneration?: string | number;
  retentionPolicy?: { isLocked?: boolean; retentionPeriod?: string | number } | null;
}
/** An IAM policy's bindings. */
export interface PolicyView {
  bindings: { role: string; members: string[]; condition?: unknown }[];
}

const leaf = (actual: unknown, wanted: unknown): boolean =>
  // int64 fields come back as strings.
  (typeof wanted === 'number' && typeof actual === 'string' && String(wanted) === actual) || isDeepStrictEqual(actual, wanted);

/** Every field of `wanted` whose value in `actual` differs (fields we do not set are ignored). */
export function differences(actual: unknown, wanted: unknown, path = ''): Difference[] {
  if (wanted !== null && typeof wanted === 'object' && !Array.isArray(wanted)) {
    if (actual === null || typeof actual !== 'object') return [{ what: path || '(whole)', live: actual, plan: wanted }];
    return Object.entries(wanted).flatMap(([k, v]) => differences((actual as Record<string, unknown>)[k], v, path ? `${path}.${k}` : k));
  }
  return leaf(actual, wanted) ? [] : [{ what: path || '(whole)', live: actual, plan: wanted }];
}

/** True when every field of `wanted` has that value in `actual`. */
export function covers(actual: unknown, wanted: unknown): boolean {
  return differences(actual, wanted).length === 0;
}

const found = <L>(differences: Difference[], live: L): Finding<L> => ({ state: differences.length > 0 ? 'differs' : 'matches', differences, live });
const firstLine = (text: string): string => text.trim().split('\n').find((l) => l.trim() !== '')?.trim() ?? '';

/** A CLI resource: its `read` prints it (exit 0 with output: it exists), compared with `expect`. */
export async function inspectCommand(step: CommandStep, r: Readers): Promise<Finding<string>> {
  if (!step.read) return { state: 'unread', differences: [] };
  const read = await r.run(step.read);
  const out = read.stdout.trim();
  if (read.code !== 0 || out === '') {
    const why = firstLine(read.stderr);
    return { state: 'absent', differences: [{ what: 'resource', live: why ? `missing (${why})` : 'missing', plan: step.expect ?? 'present' }] };
  }
  return found(step.expect === undefined || out === step.expect ? [] : [{ what: 'read', live: out, plan: step.expect }], out);
}

/** A REST resource; absent without a `create` is as planned (an absent provider is a disabled one). */
export async function inspectHttp(step: HttpStep, r: Readers): Promise<Finding<{ status: number; data: unknown }>> {
  const current = await r.http('GET', step.url);
  if (current.status === 404) {
    return step.create ? { state: 'absent', differences: [{ what: 'resource', live: 'missing', plan: 'present' }], live: current } : { state: 'matches', differences: [], live: current };
  }
  if (current.status >= 300) throw new Error(`${step.title}: GET ${step.url} answered ${current.status}`);
  return found(differences(current.data, step.body), current);
}

/** A Cloud Scheduler job, compared field by field (the body comes back as bytes). */
export async function inspectScheduler(step: SchedulerStep, r: Readers): Promise<Finding> {
  let existing: unknown = null;
  try {
    [existing] = await r.scheduler.getJob({ name: step.job.name });
  } catch (error) {
    // NOT_FOUND is code 5 over gRPC; over the REST fallback (gax 5 + google-auth-library 10) the
    // auth client's fetch throws a GaxiosError with the HTTP status 404 before gax can map it.
    const code = (error as { code?: unknown }).code;
    if (code !== 5 && code !== 404) throw error;
  }
  if (existing === null) return { state: 'absent', differences: [{ what: 'job', live: 'missing', plan: step.job.name }] };
  const wanted = JSON.parse(JSON.stringify({ ...step.job, httpTarget: { ...step.job.httpTarget, body: undefined } })) as unknown;
  const raw = (existing as { httpTarget?: { body?: Uint8Array | string } }).httpTarget?.body;
  const body = raw === undefined ? undefined : Buffer.from(raw as Uint8Array).toString();
  const planned = Buffer.from(step.job.httpTarget.body, 'base64').toString();
  return found([...differences(existing, wanted), ...(body === planned ? [] : [{ what: 'httpTarget.body', live: body, plan: planned }])], existing);
}

/** Bucket metadata without the fields fixed at creation (name, location): what setMetadata may change. */
export function fixedAtCreation(metadata: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(metadata).filter(([k]) => k !== 'name' && k !== 'location'));
}

/** A bucket's metadata, one IAM binding, or its retention lock. */
export async function inspectBucket(step: BucketStep, r: Readers): Promise<Finding<BucketMetadataView | PolicyView>> {
  const b = r.storage.bucket(step.bucket);
  const a = step.action;
  if (a.type === 'metadata') {
    const [exists] = await b.exists();
    if (!exists) return { state: 'absent', differences: [{ what: 'bucket', live: 'missing', plan: `gs://${step.bucket}` }] };
    const [current] = await b.getMetadata();
    const location = a.metadata.location;
    const mutable = fixedAtCreation(a.metadata);
    // The location is fixed at creation, and reads back upper-case.
    const where = current.location?.toLowerCase() === String(location).toLowerCase() ? [] : [{ what: 'location', live: current.location, plan: location }];
    return found([...where, ...differences(current, mutable)], current);
  }
  if (a.type === 'iam') {
    const [policy] = await b.iam.getPolicy({ requestedPolicyVersion: 3 });
    const binding = policy.bindings.find((x) => x.role === a.role && !x.condition);
    return found(binding?.members.includes(a.member) ? [] : [{ what: `${a.role} members`, live: binding?.members ?? [], plan: `includes ${a.member}` }], policy);
  }
  const [current] = await b.getMetadata();
  return found(current.retentionPolicy?.isLocked === true ? [] : [{ what: 'retentionPolicy.isLocked', live: current.retentionPolicy?.isLocked ?? false, plan: true }], current);
}
