import { FirebaseError, deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import {
  applyActionCode,
  connectAuthEmulator,
  createUserWithEmailAndPassword,
  sendEmailVerification,
  getAuth,
  signInWithEmailAndPassword,
  signOut,
  type Auth,
} from 'firebase/auth';
import { connectFunctionsEmulator, getFunctions, httpsCallable, type Functions } from 'firebase/functions';
import { getDeps } from '../../src/deps';
import { PROJECT_ID, REGION } from './server';

/** A client app as a store app would build it, pointed at the emulators and the local server. */
export interface TestClient {
  readonly app: FirebaseApp;
  readonly auth: Auth;
  readonly functions: Functions;
  call<T = unknown>(name: string, data?: unknown): Promise<T>;
  /** Creates an email+password user (via the client SDK) and signs in as them. */
  signUp(email?: string, password?: string): Promise<{ uid: string; token: string }>;
  signIn(email: string, password: string): Promise<{ uid: string; token: string }>;
  signOut(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

/** A unique email address for a test user. */
export function uniqueEmail(tag = 'user'): string {
  counter += 1;
  return `${tag}-${process.pid}-${Date.now()}-${counter}@example.test`;
}

export function createClient(functionsPort: number): TestClient {
  counter += 1;
  const app = initializeApp({ projectId: PROJECT_ID, apiKey: 'fake-api-key', appId: `test-${counter}` }, `client-${counter}-${Date.now()}`);
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}`, { disableWarnings: true });
  const functions = getFunctions(app, REGION);
  connectFunctionsEmulator(functions, '127.0.0.1', functionsPort);
  const session = async (user: { uid: string; getIdToken(): Promise<string> }) => ({ uid: user.uid, token: await user.getIdToken() });
  return {
    app,
    auth,
    functions,
    async call<T>(name: string, data?: unknown) {
      const result = await httpsCallable(functions, name)(data);
      return result.data as T;
    },
    async signUp(email = uniqueEmail(), password = 'correct horse battery') {
      return session((await createUserWithEmailAndPassword(auth, email, password)).user);
    },
    async signIn(email: string, password: string) {
      return session((await signInWithEmailAndPassword(auth, email, password)).user);
    },
    signOut: () => signOut(auth),
    close: () => deleteApp(app),
  };
}

/** Sets custom claims with the Admin SDK; the user must refresh their token to see them. */
export async function setClaims(uid: string, claims: Record<string, unknown> | null): Promise<void> {
  await getDeps().auth.setCustomUserClaims(uid, claims);
}

/** Raw POST in the callable wire format, for what the SDK would never send. */
export async function rawCall(url: string, init: { body?: string; headers?: Record<string, string>; method?: string } = {}) {
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers: { 'Content-Type': 'application/json', ...init.headers },
    body: init.body,
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the caller asserts on text
  }
  return { status: response.status, headers: response.headers, text, json: json as { result?: unknown; error?: { status: string; message: string; details?: Record<string, unknown> } } | null };
}

/**
 * Verifies the signed-in user's email the way a person would: asks for the verification mail,
 * takes the link's code from the Auth emulator, applies it, and refreshes the ID token.
 */
export async function verifyEmail(client: TestClient): Promise<string> {
  const user = client.auth.currentUser;
  if (!user?.email) throw new Error('verifyEmail needs a signed-in email user');
  await sendEmailVerification(user);
  const response = await fetch(`http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/emulator/v1/projects/${PROJECT_ID}/oobCodes`);
  const { oobCodes } = (await response.json()) as { oobCodes: Array<{ email: string; oobCode: string; requestType: string }> };
  const code = oobCodes.filter((c) => c.email === user.email && c.requestType === 'VERIFY_EMAIL').at(-1);
  if (!code) throw new Error(`no verification code for ${user.email}`);
  await applyActionCode(client.auth, code.oobCode);
  await user.reload();
  return user.getIdToken(true);
}

/** The error a call (or a sign-in) failed with, as the Firebase JS SDK reports it; throws if it succeeded. */
export async function callError(fn: () => Promise<unknown>): Promise<FirebaseError & { details?: { reason?: string } & Record<string, unknown> }> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof FirebaseError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** Whether an answer is a well-formed callable success (`200 {result}`) or refusal (4xx `{error: {status}}`). */
export function callableOutcome(response: Awaited<ReturnType<typeof rawCall>>): { succeeded: boolean; refused: boolean } {
  const succeeded = response.status === 200 && response.json !== null && 'result' in response.json;
  const refused = response.status >= 400 && response.status < 500 && /^[A-Z_]+$/.test(response.json?.error?.status ?? '');
  return { succeeded, refused };
}
