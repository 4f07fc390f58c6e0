// `npm run restore -- [<backup>] [--yes] [--project <id>] [--database <id> | --in-place [--force]] [--emulator <host:port>] [--no-build]`
// `npm run restore -- --account <uid> [<backup>] [--from-database <id>] [--by <staff>] [--yes] [--project <id>]`
// Restores a Firestore backup made by runBackup (agreement clause 5.4, DESIGN §7).
//   Locally (default): imports a folder of the local backup folder (BACKUP_LOCAL_DIR, default
//   .emulators/backups) into the Firestore emulator (FIRESTORE_EMULATOR_HOST, default 127.0.0.1:8080),
//   in place: the emulator is a developer's copy, and every function keeps working afterwards.
//   With --project <id>: imports gs://<bucket>/<id>/ with importDocuments (Application Default
//   Credentials with roles/datastore.importExportAdmin, and roles/datastore.owner to create the
//   database) into a NEW database (--database <id>, else restore-<UTC timestamp>) in the live
//   database's location. The live (default) database is only written with --in-place, which is
//   refused while it holds accounts unless --force is given too.
// With no backup named, lists the backups. An import OVERWRITES documents with the same path and
// does NOT delete documents that are not in the backup.
// With --account <uid>: only that account's content is copied into the live database, from a copy
// the backup is imported into first (the emulator's scratch project locally, a NEW database in
// production), or from a restored copy named with --from-database. A dry run unless --yes.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline/promises';
import { ROOT } from './lib/stack.mjs';

const USAGE = `Usage: npm run restore -- [<backup id | folder | gs://…/>] [options]

  (no backup)          list the backups that can be restored
  --yes, -y            do not ask for confirmation
  --project <id>       production: restore from gs://<bucket>/ into a NEW database of that project
  --database <id>      production: the new database's id (default restore-<UTC timestamp>)
  --in-place           production: import into the live (default) database instead (see the warnings it prints)
  --force              with --in-place: even when the live database holds accounts
  --emulator <host>    the Firestore emulator (default $FIRESTORE_EMULATOR_HOST or 127.0.0.1:8080)
  --no-build           use functions/lib as it is

One account's content (every collection under accounts/<uid> but its records), into the live database:
  --account <uid>      copy only this account's content from the backup; a DRY RUN that counts unless --yes
  --from-database <id> copy from this restored copy database (made by an earlier restore) instead of a backup
  --by <email | uid>   the staff member doing it, for the account's activity log (default: the gcloud account)
  --yes, -y            write (without it nothing is written)`;

const say = (line) => process.stdout.write(`${line}\n`);
const fail = (message) => {
  process.stderr.write(`npm run restore: ${message}\n`);
  process.exit(1);
};

function parseArgs(argv) {
  const options = { backup: null, yes: false, project: null, emulator: null, database: null, inPlace: false, force: false, build: true, account: null, fromDatabase: null, by: null };
  const named = { '--project': 'project', '--emulator': 'emulator', '--database': 'database', '--account': 'account', '--from-database': 'fromDatabase', '--by': 'by' };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--yes' || arg === '-y') options.yes = true;
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--in-place') options.inPlace = true;
    else if (arg === '--force') options.force = true;
    else if (named[arg]) {
      const value = argv[i + 1];
      if (!value || value.startsWith('--')) fail(`${arg} needs a value.`);
      options[named[arg]] = value;
      i += 1;
    } else if (arg === '--help' || arg === '-h') {
      say(USAGE);
      process.exit(0);
    } else if (arg.startsWith('--')) fail(`unknown option ${arg} (try --help).`);
    else if (options.backup) fail(`only one backup can be restored at a time (got ${options.backup} and ${arg}).`);
    else options.backup = arg;
  }
  if (options.force && !options.inPlace) fail('--force only goes with --in-place.');
  if (options.account === null && (options.fromDatabase !== null || options.by !== null)) fail('--from-database and --by only go with --account.');
  if (options.account !== null) {
    if (options.inPlace) fail('--account never imports a whole backup in place: it copies one account\'s content (drop --in-place).');
    if (!options.backup && !options.fromDatabase) fail('--account needs a backup to restore from, or a restored copy with --from-database.');
    if (options.fromDatabase && options.database) fail('give either --from-database (an existing copy) or --database (the new copy\'s id), not both.');
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

/** What the operator is about to do, said before asking. */
function describePlan(plan, backup, project, emulatorHost, consequences) {
  if (plan.target === 'cloud' && !plan.inPlace) {
    say(`Restoring ${backup} into a NEW database "${plan.database}" of ${project}, in the live database's location.`);
    say('The live (default) database is not touched.');
    return;
  }
  const where = plan.target === 'emulator' ? `the Firestore emulator at ${emulatorHost}` : `THE LIVE (default) DATABASE of ${project}`;
  say(`Restoring ${backup} in place into ${where}.`);
  say('Documents with the same path are overwritten; documents that are not in the backup are kept.');
  say('A restore in place cannot undo what happened since the backup:');
  for (const line of consequences) say(`  - ${line}`);
}

/** How to look at (and use) a new database after a production restore. */
function nextSteps(result, project) {
  const db = result.database;
  say(`\nInspect it: https://console.cloud.google.com/firestore/databases/${db}/data?project=${project}`);
  say(`  or: gcloud firestore databases describe --database=${db} --project=${project}`);
  say('It has no security rules release (clients are refused) and no composite indexes; the functions keep using (default).');
  say('To bring data back into (default), export what you need from it and import that with --in-place, or copy');
  say('documents one by one. Delete it when done:');
  say(`  gcloud firestore databases delete --database=${db} --project=${project}`);
}

/** Who is restoring, for the account's activity log: --by, else the account gcloud acts as. */
function staffMember(options) {
  if (options.by !== null) return options.by.trim();
  const gcloud = spawnSync('gcloud', ['config', 'get-value', 'account'], { encoding: 'utf8' });
  return gcloud.status === 0 ? gcloud.stdout.trim() : '';
}

/** Prints a restore summary: per first-level content collection, then in total. */
function printCounts(summary) {
  const verb = summary.dryRun ? ['to create', 'to overwrite'] : ['created', 'overwritten'];
  const line = (name, c) => `  ${name}: ${c.documents} documents (${c.created} ${verb[0]}, ${c.overwritten} ${verb[1]}, ${c.unchanged} unchanged)`;
  for (const [name, counts] of Object.entries(summary.collections)) say(line(name, counts));
  say(line('in total', summary));
  if (summary.wholeDoubles) say(`Note: ${summary.wholeDoubles} documents hold whole numbers stored as doubles (e.g. 10.0); they are written as integers of the same value.`);
}

/** `--account <uid>`: one account's content from a copy of the backup into the live database. */
async function restoreOneAccount(options, deps, project, emulatorHost) {
  const require = createRequire(import.meta.url);
  const lib = path.join(ROOT, 'functions', 'lib');
  const { openRestoreSource } = require(path.join(lib, 'backups', 'copy-source.js'));
  const { restorableAccount, restoreAccountContent } = require(path.join(lib, 'content', 'restore-account.js'));
  const by = staffMember(options);
  if (!by) fail('name the staff member restoring with --by <email or uid>: it goes into the account\'s activity log.');
  // Refused before anything is imported (in production: before a new database is created).
  await restorableAccount(deps, options.account);
  const live = emulatorHost ? `the emulator at ${emulatorHost}` : `the live (default) database of ${project}`;
  if (!options.fromDatabase) say(`Importing ${options.backup} into a copy first (${emulatorHost ? 'a scratch project of the emulator' : `a NEW database of ${project}`}); ${live} is not touched by it …`);
  const source = await openRestoreSource(deps, {
    backup: options.backup ?? undefined,
    fromDatabase: options.fromDatabase ?? undefined,
    database: options.database ?? undefined,
    onProgress: (event) => {
      if (event.phase === 'progress') say(`  … ${event.completed ?? '?'} of ~${event.estimated ?? '?'} documents imported`);
    },
  });
  try {
    say(`${options.yes ? 'Restoring' : 'DRY RUN (nothing is written; --yes writes):'} the content of account ${options.account} from ${source.label} into ${live}, as ${by}.`);
    say('Only documents under its content collections are written; the account, its records and other accounts are not. Nothing is deleted.');
    const summary = await restoreAccountContent(deps, source, {
      uid: options.account,
      by,
      write: options.yes,
      onPage: (collection, c) => say(`  … ${collection}: ${c.documents} compared, ${c.created + c.overwritten} ${options.yes ? 'written' : 'to write'}`),
    });
    printCounts(summary);
    if (summary.dryRun) {
      // In production the copy just made is reused rather than imported again.
      const from = source.database ? `--from-database ${source.database}${options.backup ? ` ${options.backup}` : ''}` : options.backup;
      say(`Dry run: nothing was written. To write: npm run restore -- --account ${options.account} ${from} --by ${by} --yes`);
    } else if (!summary.complete) {
      throw new Error(`${summary.failed} documents could not be written. Run the same command again: what is already restored is found unchanged and skipped.`);
    } else say(`Restored. The account's activity log records content.restored by ${by}.`);
    if (source.database && !options.fromDatabase && !emulatorHost) say(`The copy database ${source.database} is kept; delete it when done: gcloud firestore databases delete --database=${source.database} --project=${project}`);
  } finally {
    await source.close();
  }
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
  const { IN_PLACE_CONSEQUENCES, listRestorableBackups, planRestore, restoreBackup } = require(path.join(lib, 'backups', 'restore.js'));
  const { closeFirestoreAdminClients } = require(path.join(lib, 'backups', 'admin-client.js'));
  const deps = createDeps(loadConfig(env));
  const project = env.GCLOUD_PROJECT;
  if (options.account !== null) {
    await restoreOneAccount(options, deps, project, options.project && !options.emulator ? null : env.FIRESTORE_EMULATOR_HOST);
    await closeFirestoreAdminClients();
    return;
  }
  const plan = planRestore(deps, { database: options.database ?? undefined, inPlace: options.inPlace });
  if (plan.target === 'emulator' && (options.inPlace || options.force)) say('(Locally a restore is always in place: --in-place and --force change nothing.)');

  if (!options.backup) {
    const backups = await listRestorableBackups(deps);
    const from = plan.target === 'emulator' ? `the local folder (emulator ${env.FIRESTORE_EMULATOR_HOST})` : `project ${project}`;
    if (backups.length === 0) say(`No backups to restore in ${from}.`);
    else {
      say(`Backups (newest first) in ${from}:`);
      for (const b of backups) say(`  ${b.id}  ${b.location}${b.documents === null ? '' : `  (${b.documents} documents)`}`);
      say('\nRestore one with: npm run restore -- <id> [--yes]');
    }
    return;
  }
  describePlan(plan, options.backup, project, env.FIRESTORE_EMULATOR_HOST, IN_PLACE_CONSEQUENCES);
  if (!options.yes && !(await confirm('Continue?'))) fail('cancelled; nothing was changed.');
  const result = await restoreBackup(deps, options.backup, {
    database: plan.inPlace ? undefined : plan.database,
    inPlace: plan.target === 'cloud' && plan.inPlace,
    force: options.force,
    onProgress: (event) => {
      if (event.phase === 'started') say('Import started …');
      if (event.phase === 'progress') say(`  … ${event.completed ?? '?'} of ~${event.estimated ?? '?'} documents`);
    },
  });
  say(`Restored backup ${result.backupId} from ${result.source} into database ${result.database} in ${(result.ms / 1000).toFixed(1)} s.`);
  say(result.target === 'emulator' ? `The database now holds ${result.documents} documents.` : `Documents imported: ${result.documents ?? 'unknown'}.`);
  if (result.mailKeptSent) say(`Outbox: ${result.mailKeptSent} messages the backup had as unsent were already sent; they stay sent.`);
  if (result.mailToSend) say(`Outbox: ${result.mailToSend} messages are pending or sending and will be sent by deliverMail.`);
  if (result.target === 'cloud' && !result.inPlace) nextSteps(result, project);
  await closeFirestoreAdminClients();
}

main().then(
  () => process.exit(0),
  (error) => fail(error instanceof Error ? error.message : String(error)),
);
