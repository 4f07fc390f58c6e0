import { z } from 'zod';
import { actorOf, recordActivity } from '../accounts/activity-log';
import { assertUsable, loadUsableAccount } from '../accounts/load';
import { readAccount } from '../accounts/repository';
import type { Deps } from '../deps';
import { deliverNow } from '../mail/deliver-now';
import { enqueueMail } from '../mail/outbox';
import { contactCodeMail } from '../mail/templates/contact-code';
import type { Caller } from '../shared/caller';
import { Timestamp } from '../shared/firestore-values';
import { emailAddress } from '../shared/input';
import { chargeRateLimits, mailboxKey } from '../shared/rate-limit';
import type { SignedInCallableSpec } from '../spec';
import { CODE_ATTEMPTS, CODE_TTL_MINUTES, CONTACT_CHALLENGES, PER_ACCOUNT, PER_ADDRESS, codeHash, newCode, newSalt, type ContactChallengeDoc } from './challenge';

const input = z.object({ email: emailAddress }).strict();

/** What `setContactEmail` returns: where the code went and until when it works. */
export interface ContactCodeSent {
  email: string;
  expiresAt: string;
}

/**
 * Mails a six-digit code to `email`; `confirmContactEmail` with that code makes it the account's
 * contact address, so notices reach an owner who signed up without a usable address (clauses 2.1,
 * 3.1). A new request replaces the pending one. Rate limited per account and per mailbox, counted
 * in the same transaction that stores the code and queues the mail.
 */
export async function setContactEmail(deps: Deps, caller: Caller, email: string): Promise<ContactCodeSent> {
  await loadUsableAccount(deps, caller, 'setContactEmail');
  const code = newCode();
  const salt = newSalt();
  const ref = deps.db.collection(CONTACT_CHALLENGES).doc(caller.uid);
  const { expiresAt, mailId } = await deps.db.runTransaction(async (tx) => {
    const account = await readAccount(deps.db, caller.uid, tx);
    const now = deps.clock.now();
    assertUsable(account, now);
    const record = await chargeRateLimits(tx, deps.db, now, [
      { rule: PER_ACCOUNT, key: caller.uid },
      { rule: PER_ADDRESS, key: mailboxKey(email) },
    ]);
    const until = new Date(now.getTime() + CODE_TTL_MINUTES * 60_000);
    const challenge: ContactChallengeDoc = {
      email,
      codeHash: codeHash(salt, caller.uid, email, code),
      salt,
      createdAt: Timestamp.fromDate(now),
      expiresAt: Timestamp.fromDate(until),
      attemptsLeft: CODE_ATTEMPTS,
    };
    record();
    tx.set(ref, challenge);
    recordActivity(tx, deps.db, caller.uid, now, { actor: actorOf(caller), action: 'account.contactEmailRequested', details: { email } });
    const mail = contactCodeMail({ locale: account.locale, code, expiresAt: until, supportEmail: deps.config.SUPPORT_EMAIL });
    return { expiresAt: until, mailId: enqueueMail(tx, deps.db, now, { kind: 'contactEmail.code', to: email, related: `accounts/${caller.uid}`, ...mail }) };
  });
  deps.log.log('INFO', 'contactEmail.requested', { uid: caller.uid });
  await deliverNow(deps, [mailId]);
  return { email, expiresAt: expiresAt.toISOString() };
}

/** `setContactEmail({email})` → `{email, expiresAt}`: mails a code to the address. */
export const setContactEmailSpec: SignedInCallableSpec<z.output<typeof input>, ContactCodeSent, z.input<typeof input>> = {
  auth: 'required',
  input,
  handler: (deps, { email }, { caller }) => setContactEmail(deps, caller, email),
};
