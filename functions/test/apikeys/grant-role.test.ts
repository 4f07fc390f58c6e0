import { execFile } from 'node:child_process';
import path from 'node:path';
import { getDeps } from '../../src/deps';
import { uniqueEmail } from '../support/client';

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
});
