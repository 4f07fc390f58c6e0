import { setTimeout as sleep } from 'node:timers/promises';
import type { Runners } from '../../../scripts/deploy/execute';
import { deployedName, isFunctionDeploy } from '../../../scripts/deploy/function-compare';
import { deployMain } from '../../../scripts/deploy/main';
import { buildPlan } from '../../../scripts/deploy/plan';
import { SAMPLE_ARGS, sampleOptions } from './sample';

const NAMES = buildPlan(sampleOptions('--only', 'functions')).filter(isFunctionDeploy).map(deployedName);

/**
 * An empty project whose `gcloud functions deploy` takes a while (a few tens of ms, varying by
 * function) and fails for `failing`; every other command succeeds. Records what ran and how many
 * deploys were in flight at once.
 */
function slowProject(failing: readonly string[]) {
  const state = { inFlight: 0, maxInFlight: 0, deployed: [] as string[], commands: [] as string[], log: [] as string[] };
  let tick = 0;
  const runners: Runners = {
    run: async (argv) => {
      const line = argv.join(' ');
      if (argv[1] === 'projects' && argv[2] === 'describe') return { code: 0, stdout: '123456789012\n', stderr: '' };
      if (/\b(describe|get-iam-policy)\b/.test(line)) return { code: 1, stdout: '', stderr: 'ERROR: NOT_FOUND' };
      state.commands.push(line);
      if (!isFunctionDeploy({ kind: 'command', part: 'functions', title: '', create: argv })) return { code: 0, stdout: '', stderr: '' };
      const name = argv[3] ?? '';
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      tick += 1;
      await sleep(15 + (tick % 4) * 10);
      state.inFlight -= 1;
      if (failing.includes(name)) {
        return { code: 1, stdout: '', stderr: `Preparing function...failed.\nERROR: (gcloud.functions.deploy) OperationError: code=3, message=Build failed for ${name}: npm error code E404` };
      }
      state.deployed.push(name);
      return { code: 0, stdout: '', stderr: '' };
    },
    http: async () => ({ status: 404, data: {} }),
    scheduler: {} as Runners['scheduler'],
    storage: {} as Runners['storage'],
    log: (line) => state.log.push(line),
  };
  return { state, runners };
}

async function deploy(runners: Runners, ...args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await deployMain([...SAMPLE_ARGS, ...args], {}, { out: (t) => out.push(t), err: (t) => out.push(t), runners: async () => runners });
  return { code, out: out.join('') };
}

describe('function deploys run concurrently', () => {
  it('when one of many function deploys fails, then the others still finish, at most N at a time, and the summary names the failure with exit 1', async () => {
    const failing = NAMES[3] ?? '';
    const { state, runners } = slowProject([failing]);

    const { code, out } = await deploy(runners, '--only', 'functions', '--concurrency', '3');

    expect(code).toBe(1);
    expect(out).toMatch(/functions 3 at a time/);
    expect(state.deployed.sort()).toEqual(NAMES.filter((n) => n !== failing).sort());
    expect(state.maxInFlight).toBeLessThanOrEqual(3);
    expect(state.maxInFlight).toBeGreaterThan(1);
    const total = NAMES.length;
    const progress = state.log.filter((l) => new RegExp(`^\\[\\s*\\d+/${total}\\] function `).test(l));
    expect(progress).toHaveLength(total);
    expect(progress.map((l) => Number(/^\[\s*(\d+)\//.exec(l)?.[1]))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(progress.filter((l) => / … done in \d+ s \(create\)$/.test(l))).toHaveLength(total - 1);
    expect(progress.filter((l) => l.includes('FAILED'))).toEqual([expect.stringMatching(new RegExp(`^\\[\\s*\\d+/${total}\\] function ${failing} \\(\\w+\\) … FAILED in \\d+ s\\n`))]);
    const summary = state.log.slice(state.log.findIndex((l) => l.includes('FAILED (1)')));
    expect(summary.join('\n')).toContain(`- function ${failing} (`);
    expect(summary.join('\n')).toContain(`Build failed for ${failing}`);
    expect(summary.join('\n')).toContain(`--only ${failing} retries just those functions`);
    // Invokers come after every function is in place: none ran after the failed batch.
    expect(state.commands.filter((c) => c.includes('run services add-iam-policy-binding'))).toEqual([]);
  });

  it('when every deploy succeeds, then functions go in a pool of the chosen size and the invokers follow them', async () => {
    const { state, runners } = slowProject([]);
    const { code } = await deploy(runners, '--only', 'functions', '--concurrency', '5');
    expect(code).toBe(0);
    expect(state.deployed.sort()).toEqual([...NAMES].sort());
    expect(state.maxInFlight).toBeLessThanOrEqual(5);
    expect(state.maxInFlight).toBeGreaterThan(3);
    const lastDeploy = Math.max(...NAMES.map((n) => state.commands.findIndex((c) => c.startsWith(`gcloud functions deploy ${n} `))));
    const firstInvoker = state.commands.findIndex((c) => c.includes('run services add-iam-policy-binding'));
    const lastAccount = state.commands.map((c) => /service-accounts create|add-iam-policy-binding .*--role=roles\/(?!run\.invoker)/.test(c)).lastIndexOf(true);
    expect(firstInvoker).toBeGreaterThan(lastDeploy);
    expect(lastAccount).toBeLessThan(state.commands.findIndex((c) => c.startsWith('gcloud functions deploy')));
  });

  it('when --only names functions, then only those are deployed (with their accounts and invokers), and nothing of other parts', async () => {
    const [a = '', b = ''] = [NAMES[0], NAMES[NAMES.length - 1]];
    const { state, runners } = slowProject([]);
    const { code, out } = await deploy(runners, '--only', `${a},${b}`);
    expect(code).toBe(0);
    expect(out).toContain(`parts functions (functions: ${a}, ${b})`);
    expect(state.deployed.sort()).toEqual([a, b].sort());
    const invoked = state.commands.filter((c) => c.includes('run services add-iam-policy-binding')).map((c) => c.split(' ')[4]);
    expect(invoked.sort()).toEqual([a, b].map((n) => n.toLowerCase()).sort());
    // The functions' source is bundled first, before anything in the project changes.
    expect(state.commands[0]).toBe('npm run bundle -w functions');
    const groups = new Set(state.commands.slice(1).map((c) => c.split(' ').slice(0, 2).join(' ')));
    expect([...groups].filter((g) => !['gcloud services', 'gcloud iam', 'gcloud projects', 'gcloud secrets', 'gcloud functions', 'gcloud run'].includes(g))).toEqual([]);
  });
});
