import type { Auth } from 'firebase-admin/auth';
import { loadConfig } from '../../src/config';
import { createDeps, getDeps } from '../../src/deps';
import { authenticate } from '../../src/http/auth';
import { useLocalFunctions } from '../support/local';
import { adminCreatedUser } from '../support/users';

/**
 * firebase-admin always checks revocation when the Auth emulator is configured, whatever it is
 * asked, so no emulator round trip can tell `verifyIdToken(token, true)` from `verifyIdToken(token)`.
 * Deps are injected by design: here `auth` is a verifier that records what it was asked and then
 * lets the real (emulator-backed) Auth verify the real token with exactly those arguments.
 */
function recordingVerifier(): { auth: Auth; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const real = getDeps().auth;
  const verifier = {
    verifyIdToken: (...args: Parameters<Auth['verifyIdToken']>) => {
      calls.push(args);
      return real.verifyIdToken(...args);
    },
  };
  return { auth: verifier as unknown as Auth, calls };
}

const local = useLocalFunctions();

describe('authenticate() and the revocation check', () => {
  it('when an ID token is presented, then it is verified with checkRevoked === true, and the caller carries the token\'s uid and auth_time', async () => {
    const { uid, token } = await adminCreatedUser(local.client);
    const { auth, calls } = recordingVerifier();
    const deps = createDeps(loadConfig(), { auth });

    const caller = await authenticate(deps, `Bearer ${token}`);

    expect(calls).toEqual([[token, true]]);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { auth_time: number };
    expect(caller).toMatchObject({ uid, via: 'idToken', authTime: new Date(payload.auth_time * 1000) });
  });

  it('when the header is absent or an API key is refused, then the verifier is never asked', async () => {
    const { auth, calls } = recordingVerifier();
    const deps = createDeps(loadConfig(), { auth });
    await expect(authenticate(deps, undefined)).resolves.toBeNull();
    await expect(authenticate(deps, `ApiKey opk_${'A'.repeat(43)}`)).rejects.toMatchObject({ reason: 'API_KEY_NOT_ACCEPTED' });
    expect(calls).toEqual([]);
  });
});
