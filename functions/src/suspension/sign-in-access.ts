import type { Deps } from '../deps';

function isUserNotFound(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'auth/user-not-found';
}

/**
 * Stops the user signing in and ends their sessions now (DESIGN §4: suspended users are disabled
 * in Firebase Auth and their tokens revoked): ID tokens are verified with the revocation check,
 * so a token issued before this is refused at once. Idempotent, so a retried suspension repairs a
 * crash between the Firestore write and this call. A user already deleted from Auth is fine.
 */
export async function blockSignIn(deps: Deps, uid: string): Promise<void> {
  try {
    await deps.auth.updateUser(uid, { disabled: true });
    await deps.auth.revokeRefreshTokens(uid);
  } catch (error) {
    if (!isUserNotFound(error)) throw error;
    deps.log.log('WARNING', 'suspension.auth_user_missing', { uid });
  }
}

/** Lets the user sign in again (old sessions stay revoked: they sign in afresh). Idempotent. */
export async function allowSignIn(deps: Deps, uid: string): Promise<void> {
  try {
    await deps.auth.updateUser(uid, { disabled: false });
  } catch (error) {
    if (!isUserNotFound(error)) throw error;
    deps.log.log('WARNING', 'suspension.auth_user_missing', { uid });
  }
}

/** Whether the Auth user is disabled; false when there is no such user. */
export async function signInBlocked(deps: Deps, uid: string): Promise<boolean> {
  try {
    return (await deps.auth.getUser(uid)).disabled;
  } catch (error) {
    if (!isUserNotFound(error)) throw error;
    return false;
  }
}
