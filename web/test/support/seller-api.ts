import { adminAuth, uniqueEmail } from './stack';

/** A function's answer over plain HTTP, as a client app without the SDK sees it. */
export interface Answer {
  readonly status: number;
  readonly body: { result?: unknown; error?: { status?: string; details?: { reason?: string } & Record<string, unknown> } };
}

/** Calls a callable function of the running stack by name, with `Authorization` as given. */
export async function callFunction(name: string, data: unknown, authorization: string): Promise<Answer> {
  const response = await fetch(`${process.env.FUNCTIONS_URL}/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: authorization },
    body: JSON.stringify({ data }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/**
 * An ID token of a new staff member (role claim as `npm run grant-role` sets it), signed in through
 * the Auth emulator's REST sign-in, as the console's Firebase SDK would.
 */
export async function staffIdToken(role: 'support' | 'admin'): Promise<string> {
  const email = uniqueEmail(role);
  const password = 'staff password 1';
  const user = await adminAuth().createUser({ email, password, emailVerified: true });
  await adminAuth().setCustomUserClaims(user.uid, { role });
  const url = `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-api-key`;
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password, returnSecureToken: true }) });
  const { idToken } = (await response.json()) as { idToken?: string };
  if (!idToken) throw new Error(`the Auth emulator did not sign ${email} in (${response.status})`);
  return idToken;
}
