import { z } from 'zod';
import { actorOf } from '../accounts/activity-log';
import { applyChange } from '../accounts/changes';
import { assertUsable } from '../accounts/load';
import type { AccountDoc } from '../accounts/model';
import { findAccount, readAccount } from '../accounts/repository';
import { accountResult, type AccountView } from '../accounts/view';
import type { Deps } from '../deps';
import type { Caller } from '../shared/caller';
import { AppError } from '../shared/errors';
import { Timestamp } from '../shared/firestore-values';
import type { SignedInCallableSpec } from '../spec';
import { CONTACT_CHALLENGES, codeMatches, type ContactChallengeDoc } from './challenge';

const input = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'must be the 6-digit code from the mail') }).strict();

type Outcome = { confirmed: AccountDoc } | { wrong: number } | { expired: true } | { none: true };

/**
 * Makes the pending address the account's `contactEmail` when `code` is the one mailed to it
 * (activity `account.contactEmailConfirmed`). A wrong code uses up an attempt (the count is
 * committed before the refusal, so retries cannot reset it); the last wrong one, or an expired
 * code, ends the challenge and a new code is needed.
 */
export async function confirmContactEmail(deps: Deps, caller: Caller, code: string): Promise<AccountView> {
  const existing = await findAccount(deps.db, caller.uid);
  if (existing) assertUsable(existing, deps.clock.now());
  const ref = deps.db.collection(CONTACT_CHALLENGES).doc(caller.uid);
  const outcome = await deps.db.runTransaction(async (tx): Promise<Outcome> => {
    const [account, snap] = await Promise.all([readAccount(deps.db, caller.uid, tx), tx.get(ref)]);
    const now = deps.clock.now();
    assertUsable(account, now);
    const challenge = snap.data() as ContactChallengeDoc | undefined;
    if (!challenge) return { none: true };
    if (challenge.expiresAt.toMillis() <= now.getTime()) {
      tx.delete(ref);
      return { expired: true };
    }
    if (!codeMatches(challenge, caller.uid, code)) {
      const left = challenge.attemptsLeft - 1;
      if (left <= 0) tx.delete(ref);
      else tx.update(ref, { attemptsLeft: left });
      return { wrong: left };
    }
    const patch = { contactEmail: challenge.email, contactEmailKey: challenge.email.toLowerCase(), updatedAt: Timestamp.fromDate(now) };
    const activity = [{ actor: actorOf(caller), action: 'account.contactEmailConfirmed', details: { email: challenge.email, previous: account.contactEmail ?? null } }];
    applyChange(tx, deps, account, { patch, activity, mails: [] }, now);
    tx.delete(ref);
    return { confirmed: { ...account, ...patch } };
  });
  if ('none' in outcome) throw new AppError('NO_PENDING_CONTACT_EMAIL', 'There is no address waiting for a code: ask for a code with setContactEmail first.');
  if ('expired' in outcome) throw new AppError('CODE_EXPIRED', 'This code has expired: ask for a new one with setContactEmail.');
  if ('wrong' in outcome) {
    const message = outcome.wrong > 0
      ? `That is not the code we mailed: ${outcome.wrong} attempt(s) left.`
      : 'That is not the code we mailed, and no attempts are left: ask for a new code with setContactEmail.';
    throw new AppError('CODE_INVALID', message, { attemptsLeft: outcome.wrong });
  }
  deps.log.log('INFO', 'contactEmail.confirmed', { uid: caller.uid });
  return accountResult(deps, outcome.confirmed);
}

/** `confirmContactEmail({code})` → Account, with the new `contactEmail`. */
export const confirmContactEmailSpec: SignedInCallableSpec<z.output<typeof input>, AccountView, z.input<typeof input>> = {
  auth: 'required',
  input,
  handler: (deps, { code }, { caller }) => confirmContactEmail(deps, caller, code),
};
