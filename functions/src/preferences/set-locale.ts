import { z } from 'zod';
import { actorOf } from '../accounts/activity-log';
import { applyChange } from '../accounts/changes';
import { assertUsable, loadUsableAccount } from '../accounts/load';
import { LOCALES, type Locale } from '../accounts/model';
import { readAccount } from '../accounts/repository';
import { accountResult, type AccountView } from '../accounts/view';
import type { Deps } from '../deps';
import type { Caller } from '../shared/caller';
import { Timestamp } from '../shared/firestore-values';
import type { SignedInCallableSpec } from '../spec';

const input = z.object({ locale: z.enum(LOCALES, { error: `must be one of ${LOCALES.join(', ')}` }) }).strict();

/**
 * Sets the language of every later mail and inbox entry of the account (templates read
 * `account.locale`). Activity `account.localeChanged`; setting the current one changes nothing.
 */
export async function setLocale(deps: Deps, caller: Caller, locale: Locale): Promise<AccountView> {
  await loadUsableAccount(deps, caller, 'setLocale');
  const account = await deps.db.runTransaction(async (tx) => {
    const fresh = await readAccount(deps.db, caller.uid, tx);
    const now = deps.clock.now();
    assertUsable(fresh, now);
    if (fresh.locale === locale) return fresh;
    const patch = { locale, updatedAt: Timestamp.fromDate(now) };
    applyChange(tx, deps, fresh, { patch, activity: [{ actor: actorOf(caller), action: 'account.localeChanged', details: { from: fresh.locale, to: locale } }], mails: [] }, now);
    return { ...fresh, ...patch };
  });
  return accountResult(deps, account);
}

/** `setLocale({locale: 'zh-TW' | 'en'})` → Account. */
export const setLocaleSpec: SignedInCallableSpec<z.output<typeof input>, AccountView, z.input<typeof input>> = {
  auth: 'required',
  input,
  handler: (deps, { locale }, { caller }) => setLocale(deps, caller, locale),
};
