// `npm run grant-role -- <email> <admin|support|none> [--emulator | --project <id>]`
// `npm run grant-role -- --uid <uid> <admin|support|none> [--emulator | --project <id>]`
// Sets (or with `none` removes) the staff custom claim `role` on a Firebase Auth user, keeping
// every other custom claim. Targets the Auth emulator unless a real project is asked for.
// A role goes only to a verified address, or to a uid the operator names: anyone can register
// an address, so whoever signed up first with a future staff address must not become staff.
// Changing or removing a role revokes the user's sessions, so a demoted admin's ID token is
// refused at once (functions verify tokens with the revocation check). Every change is audited:
// `auditLog/{id}` and the user's `accounts/{uid}/activity` (both closed to other clients).
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROLES = ['admin', 'support'];
const DEFAULT_EMULATOR = '127.0.0.1:9099';
const DEFAULT_FIRESTORE = '127.0.0.1:8080';
const DEFAULT_PROJECT = 'demo-orderpally';

const USAGE = `Usage: npm run grant-role -- <email> <admin|support|none> [--emulator | --project <id>]
       npm run grant-role -- --uid <uid> <admin|support|none> [--emulator | --project <id>]

  <email>            the user, as registered in Firebase Auth; a role needs a verified address
  --uid <uid>        the user by uid instead (after checking who it is), verified or not
  admin|support      sets the custom claim role to this value
  none               removes the role claim (other custom claims are kept)
  --emulator         use the Auth emulator: $FIREBASE_AUTH_EMULATOR_HOST, else ${DEFAULT_EMULATOR}
  --project <id>     use this real project with application-default credentials
                     (gcloud auth application-default login, or GOOGLE_APPLICATION_CREDENTIALS;
                     with user credentials also: gcloud auth application-default set-quota-project <id>)

Without --project and without GOOGLE_APPLICATION_CREDENTIALS the Auth emulator is used
(project $GCLOUD_PROJECT or ${DEFAULT_PROJECT}), with the Firestore emulator for the audit entry
($FIRESTORE_EMULATOR_HOST, else ${DEFAULT_FIRESTORE}). When FIREBASE_AUTH_EMULATOR_HOST is set,
the emulator is always used, whatever else is given.

Changing or removing a role signs the user out everywhere (their refresh tokens are revoked).
Every change is written to auditLog and to the user's activity log.`;

class UsageError extends Error {}

const say = (line) => process.stdout.write(`${line}\n`);

function parseArgs(argv) {
  const positional = [];
  let emulator = false;
  let project;
  let uid;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--emulator') emulator = true;
    else if (arg === '--project' || arg === '--uid') {
      const value = argv[i + 1];
      i += 1;
      if (!value || value.startsWith('-')) throw new UsageError(`${arg} needs a value.`);
      if (arg === '--project') project = value;
      else uid = value;
    } else if (arg.startsWith('--project=')) {
      project = arg.slice('--project='.length);
      if (!project) throw new UsageError('--project needs a project id.');
    } else if (arg.startsWith('-')) throw new UsageError(`Unknown option ${arg}.`);
    else positional.push(arg);
  }
  const expected = uid === undefined ? 2 : 1;
  if (positional.length !== expected) {
    throw new UsageError(uid === undefined ? `Expected an email and a role, got ${positional.length} argument(s).` : `With --uid, expected only a role, got ${positional.length} argument(s).`);
  }
  const [email, role] = uid === undefined ? positional : [undefined, positional[0]];
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError(`"${email}" is not an email address.`);
  if (role !== 'none' && !ROLES.includes(role)) {
    throw new UsageError(`"${role}" is not a role: use ${ROLES.join(', ')} or none.`);
  }
  return { help: false, email, uid, role, emulator, project };
}

/** Decides where to act: the emulators, or a real project with application-default credentials. */
function chooseTarget({ emulator, project }) {
  const envHost = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  const useEmulator = emulator || Boolean(envHost) || (!project && !process.env.GOOGLE_APPLICATION_CREDENTIALS);
  if (useEmulator) {
    const host = envHost || DEFAULT_EMULATOR;
    const firestoreHost = process.env.FIRESTORE_EMULATOR_HOST || DEFAULT_FIRESTORE;
    const projectId = project || process.env.GCLOUD_PROJECT || process.env.GOOGLE_CLOUD_PROJECT || DEFAULT_PROJECT;
    return { emulatorHost: host, firestoreHost, projectId, description: `Auth emulator ${host}, project ${projectId}` };
  }
  const projectId = project || process.env.GOOGLE_CLOUD_PROJECT || process.env.GCLOUD_PROJECT;
  return { emulatorHost: null, firestoreHost: null, projectId, description: `project ${projectId ?? '(from the credentials)'}` };
}

function loadAdmin() {
  // firebase-admin is a dependency of the functions workspace; resolve it from there.
  const require = createRequire(path.join(ROOT, 'functions', 'package.json'));
  return { app: require('firebase-admin/app'), auth: require('firebase-admin/auth'), firestore: require('firebase-admin/firestore') };
}

/** The Auth user the operator means: by uid, or by an address that must be verified to get a role. */
async function findUser(auth, args, target) {
  try {
    const user = args.uid !== undefined ? await auth.getUser(args.uid) : await auth.getUserByEmail(args.email);
    if (args.uid === undefined && !user.emailVerified && args.role !== 'none') {
      throw new Error(
        `The address ${args.email} is not verified in ${target.description}: anyone can register an address, so a role ` +
          'goes only to a verified one. Ask the person to verify it first, or, once you have checked who the user is, ' +
          `pass --uid ${user.uid}. Nothing was changed.`,
      );
    }
    return user;
  } catch (error) {
    if (error?.code === 'auth/user-not-found') {
      throw new UsageError(args.uid !== undefined ? `No user with the uid ${args.uid} in ${target.description}.` : `No user with the email ${args.email} in ${target.description}.`);
    }
    if (target.emulatorHost && /ECONNREFUSED/.test(String(error?.message))) {
      throw new Error(`Cannot reach the Auth emulator at ${target.emulatorHost}: start the local stack (npm start) or pass --project <id>.`);
    }
    throw error;
  }
}

/** Who ran the script, as the machine knows them (Cloud Audit Logs name the credentials). */
function operatorName() {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/**
 * The audit of one change, in one batch: `auditLog/{id}` (every staff grant in one place) and the
 * user's own activity log (clause 1.1(a)). The actor is the system; auditLog also names who ran it.
 */
async function writeAudit(db, { Timestamp }, user, change) {
  const at = Timestamp.now();
  const action = change.role === 'none' ? 'role.revoked' : 'role.granted';
  const actor = { uid: null, role: 'system' };
  const details = {
    role: change.role === 'none' ? null : change.role,
    previousRole: change.previousRole === 'none' ? null : change.previousRole,
    sessionsRevoked: change.sessionsRevoked,
    via: 'grant-role',
  };
  const batch = db.batch();
  // Who ran it (machine account and host) is for staff only, not for the user's own log.
  batch.create(db.collection('auditLog').doc(), { at, actor, action, details: { uid: user.uid, ...details, operator: `${operatorName()}@${os.hostname()}` } });
  batch.create(db.collection('accounts').doc(user.uid).collection('activity').doc(), { at, actor, action, details });
  await batch.commit();
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    say(USAGE);
    return;
  }
  const target = chooseTarget(args);
  // firebase-admin reads the emulator addresses from the environment when it builds Auth and Firestore.
  if (target.emulatorHost) {
    process.env.FIREBASE_AUTH_EMULATOR_HOST = target.emulatorHost;
    process.env.FIRESTORE_EMULATOR_HOST = target.firestoreHost;
    // The emulator needs no credentials: never probe the GCE metadata server for them.
    process.env.METADATA_SERVER_DETECTION ??= 'none';
  } else {
    delete process.env.FIRESTORE_EMULATOR_HOST;
  }
  const admin = loadAdmin();
  const options = target.emulatorHost
    ? { projectId: target.projectId }
    : { credential: admin.app.applicationDefault(), ...(target.projectId ? { projectId: target.projectId } : {}) };
  const app = admin.app.initializeApp(options, 'grant-role');
  const auth = admin.auth.getAuth(app);

  const user = await findUser(auth, args, target);
  const { role: previous, ...others } = user.customClaims ?? {};
  const previousRole = previous ?? 'none';
  const who = `${user.email ?? '(no email)'} (uid ${user.uid}) in ${target.description}`;
  if (previousRole === args.role) {
    say(`Nothing to do: ${who} already has role ${args.role}.`);
    return;
  }
  const claims = args.role === 'none' ? others : { ...others, role: args.role };
  await auth.setCustomUserClaims(user.uid, Object.keys(claims).length > 0 ? claims : null);
  // A role taken away or changed must not live on in tokens already issued.
  const sessionsRevoked = previousRole !== 'none';
  if (sessionsRevoked) await auth.revokeRefreshTokens(user.uid);
  try {
    await writeAudit(admin.firestore.getFirestore(app), admin.firestore, user, { role: args.role, previousRole, sessionsRevoked });
  } catch (error) {
    // No unaudited grant: put the claims back (a revocation cannot be undone, and only signs out).
    await auth.setCustomUserClaims(user.uid, user.customClaims && Object.keys(user.customClaims).length > 0 ? user.customClaims : null);
    throw new Error(`The audit entry could not be written (${error?.message ?? error}); the role was put back to ${previousRole}.`);
  }
  say(
    args.role === 'none'
      ? `Removed role ${previousRole} from ${who}.`
      : `Set role ${args.role} on ${who} (was ${previousRole}).`,
  );
  if (Object.keys(others).length > 0) say(`Other custom claims kept: ${Object.keys(others).join(', ')}.`);
  say(
    sessionsRevoked
      ? 'Their sessions were ended (refresh tokens revoked): ID tokens already issued are refused at once, and they ' +
          'must sign in again.'
      : 'The role reaches the user with their next ID token: they must refresh it (sign out and in again, or ' +
          'getIdToken(true)).',
  );
  say('Written to auditLog and to their activity log.');
}

main().catch((error) => {
  if (error instanceof UsageError) {
    process.stderr.write(`grant-role: ${error.message}\n\n${USAGE}\n`);
  } else {
    process.stderr.write(`grant-role: ${error?.message ?? error}\n`);
  }
  process.exit(1);
});
