// `npm run grant-role -- <email> <admin|support|none> [--emulator | --project <id>]`
// Sets (or with `none` removes) the staff custom claim `role` on a Firebase Auth user, keeping
// every other custom claim. Targets the Auth emulator unless a real project is asked for.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROLES = ['admin', 'support'];
const DEFAULT_EMULATOR = '127.0.0.1:9099';
const DEFAULT_PROJECT = 'demo-orderpally';

const USAGE = `Usage: npm run grant-role -- <email> <admin|support|none> [--emulator | --project <id>]

  <email>            the user, as registered in Firebase Auth
  admin|support      sets the custom claim role to this value
  none               removes the role claim (other custom claims are kept)
  --emulator         use the Auth emulator: $FIREBASE_AUTH_EMULATOR_HOST, else ${DEFAULT_EMULATOR}
  --project <id>     use this real project with application-default credentials
                     (gcloud auth application-default login, or GOOGLE_APPLICATION_CREDENTIALS;
                     with user credentials also: gcloud auth application-default set-quota-project <id>)

Without --project and without GOOGLE_APPLICATION_CREDENTIALS the Auth emulator is used
(project $GCLOUD_PROJECT or ${DEFAULT_PROJECT}). When FIREBASE_AUTH_EMULATOR_HOST is set, the
emulator is always used, whatever else is given.`;

class UsageError extends Error {}

const say = (line) => process.stdout.write(`${line}\n`);

function parseArgs(argv) {
  const positional = [];
  let emulator = false;
  let project;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--emulator') emulator = true;
    else if (arg === '--project') {
      project = argv[i + 1];
      i += 1;
      if (!project || project.startsWith('-')) throw new UsageError('--project needs a project id.');
    } else if (arg.startsWith('--project=')) {
      project = arg.slice('--project='.length);
      if (!project) throw new UsageError('--project needs a project id.');
    } else if (arg.startsWith('-')) throw new UsageError(`Unknown option ${arg}.`);
    else positional.push(arg);
  }
  if (positional.length !== 2) throw new UsageError(`Expected an email and a role, got ${positional.length} argument(s).`);
  const [email, role] = positional;
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError(`"${email}" is not an email address.`);
  if (role !== 'none' && !ROLES.includes(role)) {
    throw new UsageError(`"${role}" is not a role: use ${ROLES.join(', ')} or none.`);
  }
  return { help: false, email, role, emulator, project };
}

/** Decides where to act: the emulator, or a real project with application-default credentials. */
function chooseTarget({ emulator, project }) {
  const envHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  const useEmulator = emulator || Boolean(envHost) || (!project && !process.env.GOOGLE_APPLICATION_CREDENTIALS);
  if (useEmulator) {
    const host = envHost || DEFAULT_EMULATOR;
    const projectId = project || process.env.GCLOUD_PROJECT || process.env.GOOGLE_CLOUD_PROJECT || DEFAULT_PROJECT;
    return { emulatorHost: host, projectId, description: `Auth emulator ${host}, project ${projectId}` };
  }
  const projectId = project || process.env.GOOGLE_CLOUD_PROJECT || process.env.GCLOUD_PROJECT;
  return { emulatorHost: null, projectId, description: `project ${projectId ?? '(from the credentials)'}` };
}

function loadAdmin() {
  // firebase-admin is a dependency of the functions workspace; resolve it from there.
  const require = createRequire(path.join(ROOT, 'functions', 'package.json'));
  return { app: require('firebase-admin/app'), auth: require('firebase-admin/auth') };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    say(USAGE);
    return;
  }
  const target = chooseTarget(args);
  // firebase-admin reads the emulator address from the environment when it builds Auth.
  if (target.emulatorHost) {
    process.env.FIREBASE_AUTH_EMULATOR_HOST = target.emulatorHost;
    // The emulator needs no credentials: never probe the GCE metadata server for them.
    process.env.METADATA_SERVER_DETECTION ??= 'none';
  }
  const admin = loadAdmin();
  const options = target.emulatorHost
    ? { projectId: target.projectId }
    : { credential: admin.app.applicationDefault(), ...(target.projectId ? { projectId: target.projectId } : {}) };
  const auth = admin.auth.getAuth(admin.app.initializeApp(options, 'grant-role'));

  let user;
  try {
    user = await auth.getUserByEmail(args.email);
  } catch (error) {
    if (error?.code === 'auth/user-not-found') throw new UsageError(`No user with the email ${args.email} in ${target.description}.`);
    if (target.emulatorHost && /ECONNREFUSED/.test(String(error?.message))) {
      throw new Error(`Cannot reach the Auth emulator at ${target.emulatorHost}: start the local stack (npm start) or pass --project <id>.`);
    }
    throw error;
  }
  const { role: previous, ...others } = user.customClaims ?? {};
  const previousRole = previous ?? 'none';
  const who = `${args.email} (uid ${user.uid}) in ${target.description}`;
  if (previousRole === args.role) {
    say(`Nothing to do: ${who} already has role ${args.role}.`);
    return;
  }
  const claims = args.role === 'none' ? others : { ...others, role: args.role };
  await auth.setCustomUserClaims(user.uid, Object.keys(claims).length > 0 ? claims : null);
  say(
    args.role === 'none'
      ? `Removed role ${previousRole} from ${who}.`
      : `Set role ${args.role} on ${who} (was ${previousRole}).`,
  );
  if (Object.keys(others).length > 0) say(`Other custom claims kept: ${Object.keys(others).join(', ')}.`);
  say(
    'The change reaches the user with their next ID token: they must refresh it (sign out and in again, or ' +
      'getIdToken(true)). ID tokens already issued keep the old claims until they expire (at most one hour).',
  );
}

main().catch((error) => {
  if (error instanceof UsageError) {
    process.stderr.write(`grant-role: ${error.message}\n\n${USAGE}\n`);
  } else {
    process.stderr.write(`grant-role: ${error?.message ?? error}\n`);
  }
  process.exit(1);
});
