// `npm run restore -- [<backup>] [--yes] [--project <id>] [--emulator <host:port>] [--no-build]`
// Restores a Firestore backup made by runBackup (agreement clause 5.4, DESIGN §7).
//   Locally (default): imports a folder of the local backup folder (BACKUP_LOCAL_DIR, default
//   .emulators/backups) into the Firestore emulator (FIRESTORE_EMULATOR_HOST, default 127.0.0.1:8080).
//   With --project <id>: imports gs://<bucket>/<id>/ into that project's production database with
//   importDocuments (Application Default Credentials with roles/datastore.importExportAdmin).
// With no backup named, lists the backups. An import OVERWRITES documents with the same path and
// does NOT delete documents that are not in the backup: restore into an empty database to get
// exactly the backup's state.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline/promises';
import { ROOT } from './lib/stack.mjs';

const say = (line) => process.stdout.write(`${line}\n`);
const fail = (message) => {
  process.stderr.write(`npm run restore: ${message}\n`);
  process.exit(1);
};

function parseArgs(argv) {
  const options = { backup: null, yes: false, project: null, emulator: null, build: true };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--yes' || arg === '-y') options.yes = true;
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--project' || arg === '--emulator') {
      const value = argv[i + 1];
      if (!value || value.startsWith('--')) fail(`${arg} needs a value.`);
      options[arg.slice(2)] = value;
      i += 1;
    } else if (arg === '--help' || arg === '-h') {
      say('Usage: npm run restore -- [<backup id | folder | gs://…/>] [--yes] [--project <id>] [--emulator <host:port>] [--no-build]');
      process.exit(0);
    } else if (arg.startsWith('--')) fail(`unknown option ${arg} (try --help).`);
    else if (options.backup) fail(`only one backup can be restored at a time (got ${options.backup} and ${arg}).`);
    else options.backup = arg;
  }
  return options;
}

/** The environment the functions' config is read from: the emulator locally, production with --project. */
function environment(options) {
  const env = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'ERROR' };
  if (options.project && !options.emulator) {
    env.GCLOUD_PROJECT = options.project;
    delete env.FIRESTORE_EMULATOR_HOST;
    delete env.FIREBASE_AUTH_EMULATOR_HOST;
  } else {
    env.GCLOUD_PROJECT = options.project ?? env.GCLOUD_PROJECT ?? 'demo-orderpally';
    env.FIRESTORE_EMULATOR_HOST = options.emulator ?? env.FIRESTORE_EMULATOR_HOST ?? '127.0.0.1:8080';
  }
  // firebase-admin reads the emulator host from process.env, not from our config object.
  for (const key of ['GCLOUD_PROJECT', 'FIRESTORE_EMULATOR_HOST', 'FIREBASE_AUTH_EMULATOR_HOST']) {
    if (env[key] === undefined) delete process.env[key];
    else process.env[key] = env[key];
  }
  return env;
}

async function confirm(question) {
  if (!process.stdin.isTTY) fail('not a terminal: pass --yes to restore without asking.');
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`${question} Type "yes" to continue: `);
  rl.close();
  return answer.trim().toLowerCase() === 'yes';
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.build) {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) fail('the TypeScript build failed (see above).');
  }
  const env = environment(options);
  const require = createRequire(import.meta.url);
  const lib = path.join(ROOT, 'functions', 'lib');
  const { loadConfig } = require(path.join(lib, 'config.js'));
  const { createDeps } = require(path.join(lib, 'deps.js'));
  const { listRestorableBackups, restoreBackup } = require(path.join(lib, 'backups', 'restore.js'));
  const { closeFirestoreAdminClients } = require(path.join(lib, 'backups', 'admin-client.js'));
  const deps = createDeps(loadConfig(env));
  const where = env.FIRESTORE_EMULATOR_HOST ? `the Firestore emulator at ${env.FIRESTORE_EMULATOR_HOST}` : `the production database of ${env.GCLOUD_PROJECT}`;

  if (!options.backup) {
    const backups = await listRestorableBackups(deps);
    if (backups.length === 0) say(`No backups to restore into ${where}.`);
    else {
      say(`Backups (newest first) that can be restored into ${where}:`);
      for (const b of backups) say(`  ${b.id}  ${b.location}${b.documents === null ? '' : `  (${b.documents} documents)`}`);
      say('\nRestore one with: npm run restore -- <id> [--yes]');
    }
    return;
  }
  say(`Restoring ${options.backup} into ${where}.`);
  say('Documents with the same path are overwritten; documents that are not in the backup are kept (restore into an empty database for an exact copy).');
  if (!options.yes && !(await confirm('Continue?'))) fail('cancelled; nothing was changed.');
  const result = await restoreBackup(deps, options.backup, (event) => {
    if (event.phase === 'started') say('Import started …');
    if (event.phase === 'progress') say(`  … ${event.completed ?? '?'} of ~${event.estimated ?? '?'} documents`);
  });
  say(`Restored backup ${result.backupId} from ${result.source} in ${(result.ms / 1000).toFixed(1)} s.`);
  say(result.target === 'emulator'
    ? `The database now holds ${result.documents} documents.`
    : `Documents imported: ${result.documents ?? 'unknown'}.`);
  await closeFirestoreAdminClients();
}

main().then(
  () => process.exit(0),
  (error) => fail(error instanceof Error ? error.message : String(error)),
);
