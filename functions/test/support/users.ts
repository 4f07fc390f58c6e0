import { getDeps } from '../../src/deps';
import { uniqueEmail, type TestClient } from './client';

/**
 * A user created with the Admin SDK (as staff or a console would), then signed in on `client`.
 * Such users skip blocking functions, so their account document does not exist yet.
 */
export async function adminCreatedUser(client: TestClient, options: { emailVerified?: boolean; displayName?: string } = {}) {
  const email = uniqueEmail('admin-made');
  const password = 'correct horse battery';
  const user = await getDeps().auth.createUser({ email, password, emailVerified: options.emailVerified ?? true, displayName: options.displayName });
  const session = await client.signIn(email, password);
  return { ...session, email, password, user };
}

/** Reads the activity actions of an account, oldest first. */
export async function activityActions(uid: string): Promise<string[]> {
  const snap = await getDeps().db.collection('accounts').doc(uid).collection('activity').orderBy('at').get();
  return snap.docs.map((d) => d.get('action') as string);
}
