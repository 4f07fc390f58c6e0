import { effectiveStatus, type RightsFacts } from '../accounts/effective-status';
import { ALLOWED_PROVIDERS } from '../accounts/model';
import { ALLOW, type BlockingDecision } from './event';

// How to name a refused sign-in method to a person.
const METHOD_LABELS: Record<string, string> = {
  'google.com': 'Google',
  'apple.com': 'Apple',
  'twitter.com': 'X (Twitter)',
  'github.com': 'GitHub',
  'microsoft.com': 'Microsoft',
  'yahoo.com': 'Yahoo',
  'playgames.google.com': 'Google Play Games',
  'gc.apple.com': 'Game Center',
  phone: 'a phone number',
  anonymous: 'an anonymous (guest) session',
  custom: 'a custom token',
  emailLink: 'an email link',
};

const ACCEPTED = 'OrderPally accepts only an email address with a password, or Facebook.';

/**
 * Clauses 5.1/5.2: sign-up and sign-in only with `password` or `facebook.com`. Everything else —
 * other identity providers, phone, anonymous, custom tokens, email links, an unknown method — is refused.
 */
export function signInMethodDecision(method: string | null): BlockingDecision {
  if (method !== null && (ALLOWED_PROVIDERS as readonly string[]).includes(method)) return ALLOW;
  if (method === null || method === '') {
    return {
      kind: 'block',
      reason: 'SIGN_IN_METHOD_NOT_ALLOWED',
      message: `The sign-in method could not be determined, so sign-in is refused. ${ACCEPTED}`,
      details: { signInMethod: null },
    };
  }
  const label = METHOD_LABELS[method] ?? method;
  return {
    kind: 'block',
    reason: 'SIGN_IN_METHOD_NOT_ALLOWED',
    message: `Signing in with ${label} is not allowed. ${ACCEPTED}`,
    details: { signInMethod: method },
  };
}

/**
 * No sign-in for a suspended or terminated account (DESIGN §4/§5); `terminating` still may, until
 * its termination date: from that instant the account counts as terminated (clause 3.2(a)(i)),
 * though processLifecycle has not yet disabled the user.
 */
export function accountStatusDecision(account: RightsFacts, now: Date, supportEmail: string): BlockingDecision {
  const status = effectiveStatus(account, now);
  if (status === 'suspended') {
    return {
      kind: 'block',
      reason: 'ACCOUNT_SUSPENDED',
      message: `This OrderPally account is suspended, so it cannot sign in. Contact ${supportEmail} for help.`,
    };
  }
  if (status === 'terminated') {
    return {
      kind: 'block',
      reason: 'ACCOUNT_TERMINATED',
      message: `This OrderPally account has been terminated and can no longer sign in. Contact ${supportEmail} with any questions.`,
    };
  }
  return ALLOW;
}
