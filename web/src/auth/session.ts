import { onIdTokenChanged, type User } from 'firebase/auth';
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { auth } from '../firebase';

/** Staff roles (custom claim `role`, set with `npm run grant-role`). */
export type Role = 'support' | 'admin';

/** Who is signed in on this page. */
export interface Session {
  /** False until Firebase Auth has restored (or not) the last session. */
  readonly ready: boolean;
  readonly user: User | null;
  readonly role: Role | null;
  /** An email+password user who has not yet opened the verification link (clause 5.2). */
  readonly unverified: boolean;
}

const SIGNED_OUT: Session = { ready: true, user: null, role: null, unverified: false };

/** Follows the ID token (sign-in, sign-out, refresh), reading the role claim from it. */
export function useSessionSource(): Session {
  const [session, setSession] = useState<Session>({ ...SIGNED_OUT, ready: false });
  useEffect(() => onIdTokenChanged(auth, (user) => {
    if (!user) {
      setSession(SIGNED_OUT);
      return;
    }
    void user.getIdTokenResult().then((token) => {
      const role = token.claims.role === 'admin' || token.claims.role === 'support' ? token.claims.role : null;
      const password = user.providerData.some((p) => p.providerId === 'password');
      setSession({ ready: true, user, role, unverified: password && !user.emailVerified });
    });
  }), []);
  return session;
}

/** The session, for every page under <SessionContext.Provider>. */
export const SessionContext = createContext<Session>({ ...SIGNED_OUT, ready: false });

/** The current session. */
export function useSession(): Session {
  return useContext(SessionContext);
}
