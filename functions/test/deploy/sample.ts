import { parseOptions, type DeployOptions } from '../../../scripts/deploy/options';
import type { CommandStep, Step } from '../../../scripts/deploy/steps';

/** The flags of the sample project every plan test deploys. */
export const SAMPLE_ARGS = ['--project', 'orderpally-demo', '--domain', 'api.orderpally.app', '--facebook-app-id', '1234567890'];

/** Options for the sample project, plus `extra` flags. */
export function sampleOptions(...extra: string[]): DeployOptions {
  return parseOptions([...SAMPLE_ARGS, ...extra], {});
}

/** The command steps of a plan. */
export function commands(steps: readonly Step[]): CommandStep[] {
  return steps.filter((s): s is CommandStep => s.kind === 'command');
}

/** Every `gcloud functions deploy` in a plan, in order, with the function it deploys. */
export function deploys(steps: readonly Step[]): { name: string; argv: readonly string[] }[] {
  return commands(steps)
    .filter((c) => c.create[1] === 'functions' && c.create[2] === 'deploy')
    .map((c) => ({ name: c.create[3] ?? '', argv: c.create }));
}

/** The flags that add the web client (its host and the project's Web API key) to the sample project. */
export const WEB_ARGS = ['--web-domain', 'app.orderpally.app', '--web-api-key', 'AIzaSyDemoDemoDemoDemoDemoDemoDemoDemo1'];
