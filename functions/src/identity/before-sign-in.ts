import { recordActivity } from '../accounts/activity-log';
import { findAccount } from '../accounts/repository';
import type { Deps } from '../deps';
import { mailOwner } from '../mail/mail-owner';
import { newSignInMail } from '../mail/templates/new-sign-in';
import { ALLOW, type BlockingDecision, type BlockingEvent } from './event';
import { deviceLabel, METHOD_NAMES, UNKNOWN } from './labels';
import { accountStatusDecision, signInMethodDecision } from './policy';
import { judgeSignIn, signInHistoryRef, type SignInHistoryDoc } from './sign-in-history';
import { deviceOf, networkOf, summariseUserAgent } from './sign-in-origin';

/**
 * `beforeSignIn`: refuses any method but email+password and Facebook, and any suspended or
 * terminated account; a refused sign-in writes nothing. An allowed one is put on the record in one
 * transaction (clauses 1.1(a), 5.8): `auth.signIn` in the activity log (provider, client IP, user
 * agent), the account's sign-in history (device hashes and /24 or /48 networks only), and — when
 * neither device nor network was seen in 90 days — a notice to the owner, only enqueued: Identity
 * Platform gives this function 7 seconds, so `deliverMail` sends it on its next sweep.
 * A user without an account document (created with the Admin SDK or the console, which skip
 * beforeCreate) gets through with nothing written: `getAccount` provisions it.
 */
export async function beforeSignIn(deps: Deps, event: BlockingEvent): Promise<BlockingDecision> {
  const method = signInMethodDecision(event.signInMethod);
  if (method.kind === 'block') return method;
  const { uid } = event.user;
  const device = deviceOf(event.userAgent);
  const network = networkOf(event.ipAddress);
  const { decision, unfamiliar } = await deps.db.runTransaction(async (tx) => {
    const historyRef = signInHistoryRef(deps.db, uid);
    const [account, history] = await Promise.all([findAccount(deps.db, uid, tx), tx.get(historyRef)]);
    if (!account) return { decision: ALLOW, unfamiliar: false };
    const now = deps.clock.now();
    const status = accountStatusDecision(account, now, deps.config.SUPPORT_EMAIL);
    if (status.kind === 'block') return { decision: status, unfamiliar: false };
    const verdict = judgeSignIn(uid, history.data() as SignInHistoryDoc | undefined, device, network, now);
    tx.set(historyRef, verdict.next);
    recordActivity(tx, deps.db, uid, now, {
      actor: { uid, role: 'customer' },
      action: 'auth.signIn',
      details: { provider: event.signInMethod, ip: event.ipAddress, userAgent: event.userAgent, network, unfamiliar: verdict.unfamiliar },
    });
    if (verdict.unfamiliar) {
      const { locale } = account;
      mailOwner(tx, deps, account, now, 'auth.newSignIn', newSignInMail({
        locale,
        at: now,
        methodLabel: METHOD_NAMES[locale][event.signInMethod ?? ''] ?? UNKNOWN[locale],
        deviceLabel: deviceLabel(summariseUserAgent(event.userAgent), locale),
        network: network ?? UNKNOWN[locale],
        supportEmail: deps.config.SUPPORT_EMAIL,
      }));
    }
    return { decision: ALLOW, unfamiliar: verdict.unfamiliar };
  });
  if (unfamiliar) deps.log.log('INFO', 'auth.unfamiliar_sign_in', { uid, network, eventId: event.eventId });
  return decision;
}
