import { PROJECT_ID } from './server';

/**
 * Points the Auth emulator's blocking functions at `baseUrl` (`…/demo-orderpally/asia-east1`), or
 * removes them with null. The registration is global to the emulator's project, shared by every
 * test file of the run: register in beforeAll, unregister in afterAll.
 * (Same request as registerBlockingFunctions in scripts/lib/stack.mjs, which `npm start` uses.)
 */
export async function registerBlockingFunctions(baseUrl: string | null): Promise<void> {
  const triggers = baseUrl === null ? {} : {
    beforeCreate: { functionUri: `${baseUrl}/beforeCreate` },
    beforeSignIn: { functionUri: `${baseUrl}/beforeSignIn` },
  };
  const response = await fetch(
    `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v2/projects/${PROJECT_ID}/config?updateMask=blockingFunctions`,
    {
      method: 'PATCH',
      headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' },
      body: JSON.stringify({ blockingFunctions: { triggers } }),
    },
  );
  if (!response.ok) throw new Error(`blocking function registration failed: ${response.status} ${await response.text()}`);
}

/** Claims of a blocking token as the Auth emulator mints them (observed from firebase-tools 15). */
export interface BlockingClaims {
  /** `beforeCreate`, `beforeSignIn`, or anything else a forged token may claim. */
  event_type: string;
  sub: string;
  user_record: { uid: string; email?: string; email_verified?: boolean; display_name?: string; provider_data?: { provider_id: string }[] };
  sign_in_method?: string;
  locale?: string;
  [claim: string]: unknown;
}

/**
 * An unsigned (`alg: none`) token shaped like the Auth emulator's, for `aud` = the function URL.
 * Only a process with FIREBASE_AUTH_EMULATOR_HOST set accepts such a token.
 */
export function emulatorBlockingToken(functionUrl: string, claims: Partial<BlockingClaims> & Pick<BlockingClaims, 'event_type' | 'sub'>): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: `https://securetoken.google.com/${PROJECT_ID}`,
    aud: functionUrl,
    iat: now,
    exp: now + 600,
    event_id: `test-${now}`,
    ip_address: '127.0.0.1',
    user_record: { uid: claims.sub, provider_data: [] },
    ...claims,
  };
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
}
