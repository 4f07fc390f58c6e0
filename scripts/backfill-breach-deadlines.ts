// `npx tsx scripts/backfill-breach-deadlines.ts [--project <id>] [--emulator <host:port>] [--database <id>]`
// One-time: gives every open breach recorded before `breachDeadlines` existed its
// deadline, so processLifecycle escalates it (functions/src/breaches/backfill-deadlines.ts).
// Run it once after deploying that change, and after restoring a backup taken before it.
// Safe to repeat: it only creates the deadlines that are missing.
//   Default: the Firestore emulator ($FIRESTORE_EMULATOR_HOST, else 127.0.0.1:8080), demo-orderpally.
//   --project <id> without --emulator: that project's database, with Application Default Credentials.
import { getApps, initializeApp } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
import { backfillBreachDeadlines } from '../functions/src/breaches/backfill-deadlines';
import { loadConfig } from '../functions/src/config';
import { createDeps } from '../functions/src/deps';

const USAGE = 'Usage: npx tsx scripts/backfill-breach-deadlines.ts [--project <id>] [--emulator <host:port>] [--database <id>]';

interface Options {
  project?: string;
  emulator?: string;
  database?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (arg !== '--project' && arg !== '--emulator' && arg !== '--database') throw new Error(`unknown argument ${arg} (try --help).`);
    const value = argv[i + 1];
    if (!value || value.startsWith('--')) throw new Error(`${arg} needs a value.`);
    options[arg.slice(2) as keyof Options] = value;
    i += 1;
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'ERROR' };
  if (options.project && !options.emulator) {
    delete env.FIRESTORE_EMULATOR_HOST;
  } else {
    env.FIRESTORE_EMULATOR_HOST = options.emulator ?? env.FIRESTORE_EMULATOR_HOST ?? '127.0.0.1:8080';
  }
  env.GCLOUD_PROJECT = options.project ?? env.GCLOUD_PROJECT ?? 'demo-orderpally';
  // firebase-admin reads the emulator host from process.env, not from our config object.
  if (env.FIRESTORE_EMULATOR_HOST) process.env.FIRESTORE_EMULATOR_HOST = env.FIRESTORE_EMULATOR_HOST;
  else delete process.env.FIRESTORE_EMULATOR_HOST;
  const config = loadConfig(env);
  const app = getApps()[0] ?? initializeApp({ projectId: config.GCLOUD_PROJECT });
  const db = options.database ? getFirestore(app, options.database) : getFirestore(app);
  const where = `${env.FIRESTORE_EMULATOR_HOST ? `the emulator at ${env.FIRESTORE_EMULATOR_HOST}` : `project ${config.GCLOUD_PROJECT}`}, database ${db.databaseId}`;
  process.stdout.write(`Backfilling breach deadlines in ${where} …\n`);
  const result = await backfillBreachDeadlines(createDeps(config, { db }));
  process.stdout.write(`Accounts read: ${result.accounts}. Deadlines created: ${result.created}. Open breaches without a valid cureBy (left alone): ${result.malformed}.\n`);
  await db.terminate();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`backfill-breach-deadlines: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
