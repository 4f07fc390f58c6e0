import { fixedAtCreation, inspectBucket, inspectCommand, inspectHttp, inspectScheduler, type Finding, type PolicyView } from './compare';
import type { Outcome, Runners } from './execute';
import { inspectFunction, isFunctionDeploy } from './function-compare';
import { resolve } from './placeholders';
import type { BucketStep, CommandStep, HttpStep, SchedulerStep, Step } from './steps';

async function command(step: CommandStep, found: Finding, r: Runners): Promise<Outcome> {
  if (found.state === 'matches' && !step.always) return 'unchanged';
  // An always-applied step (a deploy) is simply applied again; anything else needs its update.
  const argv = found.state === 'differs' ? (step.update ?? (step.always ? step.create : undefined)) : step.create;
  if (!argv) throw new Error(`${step.title}: found ${JSON.stringify(found.live)}, expected ${JSON.stringify(step.expect ?? '')}, and it cannot be changed in place`);
  const done = await r.run(argv, step.stdin);
  // A deploy's argv runs to a screenful of flags; its head says which command it was (the dry run shows it whole).
  const shown = argv.length > 8 ? [...argv.slice(0, 5), '…'] : argv;
  if (done.code !== 0) throw new Error(`${step.title}: ${shown.join(' ')} exited ${done.code}\n${done.stderr}`);
  return found.state === 'unread' ? 'applied' : found.state === 'absent' ? 'create' : 'update';
}

async function http(step: HttpStep, found: Finding, r: Runners): Promise<Outcome> {
  const target = found.state === 'absent' ? step.create : found.state === 'differs' ? step.update : undefined;
  if (!target) return 'unchanged';
  const done = await r.http(target.method, target.url, step.body);
  if (done.status >= 300) throw new Error(`${step.title}: ${target.method} ${target.url} answered ${done.status}`);
  return found.state === 'absent' ? 'create' : 'update';
}

async function scheduler(step: SchedulerStep, found: Finding, r: Runners): Promise<Outcome> {
  if (found.state === 'matches') return 'unchanged';
  if (found.state === 'absent') await r.scheduler.createJob({ parent: step.parent, job: step.job });
  else await r.scheduler.updateJob({ job: step.job });
  return found.state === 'absent' ? 'create' : 'update';
}

async function bucket(step: BucketStep, found: Finding, r: Runners): Promise<Outcome> {
  if (found.state === 'matches') return 'unchanged';
  const b = r.storage.bucket(step.bucket);
  const a = step.action;
  if (a.type === 'metadata') {
    if (found.state === 'absent') {
      await r.storage.createBucket(step.bucket, a.metadata);
      return 'create';
    }
    const where = found.differences.find((d) => d.what === 'location');
    if (where) throw new Error(`gs://${step.bucket} is in ${JSON.stringify(where.live ?? '?')}, not ${JSON.stringify(where.plan)}`);
    // The name and location are fixed at creation; everything else can be brought up to date.
    await b.setMetadata(fixedAtCreation(a.metadata));
    return 'update';
  }
  if (a.type === 'iam') {
    const policy = found.live as PolicyView;
    const binding = policy.bindings.find((x) => x.role === a.role && !x.condition);
    if (binding) binding.members.push(a.member);
    else policy.bindings.push({ role: a.role, members: [a.member] });
    await b.iam.setPolicy(policy as Parameters<typeof b.iam.setPolicy>[0]);
    return 'update';
  }
  await b.lock(String((found.live as { metageneration?: unknown }).metageneration));
  return 'update';
}

/**
 * Reads one step's resource, then creates or updates it as needed; a capture keeps its output in
 * `vars` for later steps.
 */
export async function applyStep(raw: Step, vars: Map<string, string>, r: Runners): Promise<Outcome> {
  if (raw.kind === 'capture') {
    const out = await r.run(raw.argv);
    if (out.code !== 0 || out.stdout.trim() === '') throw new Error(`${raw.argv.join(' ')} exited ${out.code}\n${out.stderr}`);
    vars.set(raw.name, out.stdout.trim());
    return 'captured';
  }
  const step = resolve(raw, vars);
  switch (step.kind) {
    case 'command':
      return command(step, isFunctionDeploy(step) ? await inspectFunction(step, r) : await inspectCommand(step, r), r);
    case 'http':
      return http(step, await inspectHttp(step, r), r);
    case 'scheduler':
      return scheduler(step, await inspectScheduler(step, r), r);
    case 'bucket':
      return bucket(step, await inspectBucket(step, r), r);
  }
}
