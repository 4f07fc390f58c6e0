import { functionMatrix, planWarnings, renderMatrix } from './matrix';
import type { Step } from './steps';

/** Quotes one argument for a POSIX shell when it needs it, so a printed command can be pasted. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./{}-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

const command = (argv: readonly string[]): string => argv.map(shellQuote).join(' ');
const json = (value: unknown): string => JSON.stringify(value, null, 2).replace(/\n/g, '\n    ');

/**
 * What a step does, as the lines a dry run prints: the read, then the request or command it
 * would send. Placeholders (`{{PROJECT_NUMBER}}`) stay as they are.
 */
export function renderStep(step: Step, index: number): string[] {
  const head = `[${String(index + 1).padStart(2, '0')}] ${step.part}: ${step.title}`;
  switch (step.kind) {
    case 'command':
      return [
        head,
        ...(step.read ? [`  read:   $ ${command(step.read)}${step.expect !== undefined ? `   (expect ${JSON.stringify(step.expect)})` : ''}`] : []),
        `  ${step.read && !step.always ? 'create' : 'apply'}: $ ${command(step.create)}${step.stdin !== undefined ? ' <<EOF' : ''}`,
        ...(step.stdin !== undefined ? [...step.stdin.trimEnd().split('\n').map((l) => `    ${l}`), '    EOF'] : []),
        ...(step.update && !step.always ? [`  update: $ ${command(step.update)}`] : []),
      ];
    case 'capture':
      return [head, `  capture {{${step.name}}}${step.secret ? ' (secret, never printed)' : ''}: $ ${command(step.argv)}`];
    case 'http':
      return [
        head,
        `  read:   GET ${step.url}`,
        ...(step.create ? [`  create: ${step.create.method} ${step.create.url}`] : ['  absent: unchanged (nothing to turn off)']),
        `  update: ${step.update.method} ${step.update.url}`,
        `    ${json(step.body)}`,
      ];
    case 'scheduler':
      return [
        head,
        `  read:   CloudSchedulerClient.getJob({name: ${step.job.name}})`,
        `  create: CloudSchedulerClient.createJob({parent: ${step.parent}, job}) / update: updateJob({job})`,
        `    ${json(step.job)}`,
      ];
    case 'bucket': {
      const a = step.action;
      if (a.type === 'metadata') {
        return [head, `  read:   Storage.bucket(${step.bucket}).getMetadata()`, `  create: Storage.createBucket(${step.bucket}, metadata) / update: bucket.setMetadata(metadata)`, `    ${json(a.metadata)}`];
      }
      if (a.type === 'iam') {
        return [head, `  read:   bucket(${step.bucket}).iam.getPolicy()`, `  update: bucket.iam.setPolicy(+ ${a.role} → ${a.member})`];
      }
      return [head, `  read:   bucket(${step.bucket}).getMetadata() retentionPolicy.isLocked`, `  update: bucket.lock(metageneration)   IRREVERSIBLE`];
    }
  }
}

/**
 * The printed plan: its warnings, the functions' identity matrix, then every step in order.
 * @param warnings what the options alone show (a part skipped for want of a flag), printed first.
 */
export function renderPlan(steps: readonly Step[], warnings: readonly string[] = []): string {
  const head = [...warnings, ...planWarnings(steps), ...renderMatrix(functionMatrix(steps))];
  return [...head, ...(head.length > 0 ? [''] : []), ...steps.flatMap((s, i) => renderStep(s, i))].join('\n');
}
