import { execFile } from 'node:child_process';
import path from 'node:path';
import { connectFirestoreEmulator, doc, getDoc, getFirestore, setLogLevel } from 'firebase/firestore';
import { getDeps } from '../../src/deps';
import { call, PASSWORD, staffUser } from '../incidents/helpers';
import { createClient, uniqueEmail, type TestClient } from '../support/client';
import { useLocalFunctions } from '../support/local';

// `npm run grant-role`, run as a person would, against the test Auth emulator.
const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'grant-role.mjs');

function grantRole(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { cwd: ROOT, env: process.env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function userWithClaims(claims: Record<string, unknown> | null): Promise<{ uid: string; email: string }> {
  const email = uniqueEmail('staff');
  const { uid } = await getDeps().auth.createUser({ email, password: 'correct horse battery', emailVerified: true });
  if (claims) await getDeps().auth.setCustomUserClaims(uid, claims);
  return { uid, email };
}

const claimsOf = async (uid: string) => (await getDeps().auth.getUser(uid)).customClaims;

interface AuditEntry {
  id: string;
  action: string;
  actor: { uid: string | null; role: string };
  details: Record<string, unknown>;
}

/** The audit entries about `uid`: in `auditLog`, and in the user's own activity log. */
async function auditOf(uid: string): Promise<{ auditLog: AuditEntry[]; activity: AuditEntry[] }> {
  const db = getDeps().db;
  const [log, activity] = await Promise.all([
    db.collection('auditLog').where('details.uid', '==', uid).get(),
    db.collection('accounts').doc(uid).collection('activity').where('details.via', '==', 'grant-role').get(),
  ]);
  const entries = (snap: typeof log) => snap.docs.map((d) => ({ id: d.id, ...(d.data() as Omit<AuditEntry, 'id'>) }));
  return { auditLog: entries(log), activity: entries(activity) };
}

const local = useLocalFunctions();

/** Waits until the clock has moved to the next second: revocation compares whole seconds with auth_time. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_050 - (Date.now() % 1_000)));

describe('npm run grant-role', () => {
  it('when given an email and admin, then the role claim is set, other claims are kept, and it says to refresh the token', async () => {
    const { uid, email } = await userWithClaims({ tier: 'gold' });
    const run = await grantRole(email, 'admin');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Set role admin on ${email} (uid ${uid})`);
    expect(run.stdout).toMatch(/Auth emulator/);
    expect(run.stdout).toMatch(/refresh/);
    await expect(claimsOf(uid)).resolves.toEqual({ tier: 'gold', role: 'admin' });
  });

  it('when given none, then the role claim is removed and the other claims stay', async () => {
    const { uid, email } = await userWithClaims({ role: 'support', tier: 'gold' });
    const run = await grantRole(email, 'none');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Removed role support');
    await expect(claimsOf(uid)).resolves.toEqual({ tier: 'gold' });
  });

  it('when the user has only the role claim and it is removed, then no custom claims are left', async () => {
    const { uid, email } = await userWithClaims(null);
    expect((await grantRole(email, 'support')).code).toBe(0);
    await expect(claimsOf(uid)).resolves.toEqual({ role: 'support' });
    expect((await grantRole(email, 'none')).code).toBe(0);
    expect((await claimsOf(uid)) ?? {}).toEqual({}); // the emulator answers {} where production omits the field
  });

  it('when the role is already set, then it says so and changes nothing', async () => {
    const { uid, email } = await userWithClaims({ role: 'admin' });
    const run = await grantRole(email, 'admin');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/already has role admin/);
    await expect(claimsOf(uid)).resolves.toEqual({ role: 'admin' });
  });

  it.each([
    ['an unknown role', ['owner'], /"owner" is not a role/],
    ['no role', [], /Expected an email and a role/],
    ['an unknown option', ['admin', '--force'], /Unknown option --force/],
  ])('when given %s, then it exits 1 with a usage message and changes nothing', async (_case, rest, message) => {
    const { uid, email } = await userWithClaims({ tier: 'gold' });
    const run = await grantRole(email, ...rest);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/Usage: npm run grant-role/);
    await expect(claimsOf(uid)).resolves.toEqual({ tier: 'gold' });
  });

  it('when no user has the email, then it exits 1 naming the email', async () => {
    const email = uniqueEmail('nobody');
    const run = await grantRole(email, 'admin');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`No user with the email ${email}`);
  });

  it('when the address is not verified, then no role is given, it says how to go on, and nothing is changed or audited', async () => {
    const email = uniqueEmail('squatter');
    const { uid } = await getDeps().auth.createUser({ email, password: PASSWORD, emailVerified: false });
    const run = await grantRole(email, 'admin');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`The address ${email} is not verified`);
    expect(run.stderr).toContain(`--uid ${uid}`);
    expect((await claimsOf(uid)) ?? {}).toEqual({});
    expect(await auditOf(uid)).toEqual({ auditLog: [], activity: [] });
  });

  it('when an operator names an unverified user by --uid, then the role is given and audited', async () => {
    const { uid } = await getDeps().auth.createUser({ email: uniqueEmail('byuid'), password: PASSWORD, emailVerified: false });
    const run = await grantRole('--uid', uid, 'support');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    await expect(claimsOf(uid)).resolves.toEqual({ role: 'support' });
    expect((await auditOf(uid)).auditLog).toMatchObject([{ action: 'role.granted', details: { role: 'support', previousRole: null } }]);
  });

  it('when a verified address gets a role, then auditLog and the user\'s activity log record it, and the user reads only their activity', async () => {
    const { uid, email } = await userWithClaims(null);
    expect((await grantRole(email, 'admin')).code).toBe(0);
    const { auditLog, activity } = await auditOf(uid);
    const details = { role: 'admin', previousRole: null, sessionsRevoked: false, via: 'grant-role' };
    const actor = { uid: null, role: 'system' };
    expect(auditLog).toMatchObject([{ action: 'role.granted', actor, details: { uid, ...details, operator: expect.stringContaining('@') as unknown } }]);
    // The user's own log says what changed, not which machine did it.
    expect(activity).toEqual([{ id: expect.any(String) as unknown, at: expect.anything() as unknown, action: 'role.granted', actor, details }]);

    // Through the Firebase JS SDK against the emulator's rules, as the user themself.
    const client = createClient(local.server.port);
    try {
      await client.signIn(email, PASSWORD);
      const firestore = getFirestore(client.app);
      const [host = '', port = ''] = (process.env.FIRESTORE_EMULATOR_HOST ?? '').split(':');
      connectFirestoreEmulator(firestore, host, Number(port));
      setLogLevel('silent');
      const own = await getDoc(doc(firestore, 'accounts', uid, 'activity', activity[0]?.id ?? ''));
      expect(own.get('action')).toBe('role.granted');
      await expect(getDoc(doc(firestore, 'auditLog', auditLog[0]?.id ?? ''))).rejects.toMatchObject({ code: 'permission-denied' });
    } finally {
      await client.close();
    }
  });

  describe('a demoted admin', () => {
    let admin: TestClient;
    beforeEach(() => {
      admin = createClient(local.server.port);
    });
    afterEach(async () => {
      await admin.close();
    });

    it.each([
      ['none', 'role.revoked', null],
      ['support', 'role.granted', 'support'],
    ])('when the role becomes %s, then their current ID token is refused by adminGetAccount at once and the change is audited', async (role, action, stored) => {
      const { uid, email, token } = await staffUser(admin, 'admin');
      await admin.call('getAccount');
      const before = await call(local.server.baseUrl, 'adminGetAccount', { uid }, { token });
      expect(before.status).toBe(200);
      await nextSecond();

      const run = await grantRole(email, role);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/sessions were ended/);

      const after = await call(local.server.baseUrl, 'adminGetAccount', { uid }, { token });
      expect({ status: after.status, reason: after.json?.error?.details?.reason }).toEqual({ status: 401, reason: 'TOKEN_REVOKED' });
      expect((await auditOf(uid)).auditLog).toMatchObject([{ action, details: { role: stored, previousRole: 'admin', sessionsRevoked: true } }]);
    });
  });
});
