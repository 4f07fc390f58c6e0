/** Staff roles, from the custom claim `role`. */
export const ROLES = ['admin', 'support'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as proven by a verified credential. Never built from the request body. */
export interface Caller {
  readonly uid: string;
  readonly email: string | null;
  readonly emailVerified: boolean;
  /** `password`, `facebook.com`, … as stated by the token's `firebase.sign_in_provider`. */
  readonly signInProvider: string | null;
  readonly role: Role | null;
  /** How the caller proved who they are: a Firebase ID token or a personal API key (clause 1.3). */
  readonly via: 'idToken' | 'apiKey';
  /**
   * When the user last proved their credentials (the ID token's `auth_time`; refreshing a token
   * keeps it). Absent for API keys, which never count as a recent sign-in.
   */
  readonly authTime?: Date;
}
