import { Timestamp } from 'firebase-admin/firestore';
import type { AccountView } from '../../src/accounts/view';
import { uniqueEmail } from '../support/client';
import { useLocalFunctions } from '../support/local';
import { waitForMail, sentTo } from '../support/maildev';
import { customer, db, facebookUser, mailedCode, reasonOf, resultOf } from '../inbox/helpers';

const local = useLocalFunctions();
const base = () => local.server.baseUrl;

/** A code that is not `code`. */
const other = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('a contact address the seller controls', () => {
  it('when the code is mailed, then it goes to the new address in the account language, works once, and is stored only as a hash', async () => {
    const fb = await facebookUser();
    const email = uniqueEmail('contact');
    const sent = await resultOf<{ email: string; expiresAt: string }>(base(), 'setContactEmail', fb.token, { email });
    expect(sent.email).toBe(email);
    expect(Date.parse(sent.expiresAt) - Date.now()).toBeGreaterThan(25 * 60_000);
    const code = await mailedCode(email);
    const [mail] = await waitForMail((m) => sentTo(m, email));
    expect(mail?.subject).toBe(`您的 OrderPally 確認碼：${code}`);
    const stored = (await db().collection('contactEmailChallenges').doc(fb.uid).get()).data() ?? {};
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(await resultOf<AccountView>(base(), 'confirmContactEmail', fb.token, { code })).toMatchObject({ contactEmail: email, needsContactEmail: false });
    expect(await reasonOf(base(), 'confirmContactEmail', fb.token, { code })).toMatchObject({ status: 400, reason: 'NO_PENDING_CONTACT_EMAIL' });
  });

  it('when a wrong code is entered, then the error says how many attempts are left, and after the last one the code is dead', async () => {
    const fb = await facebookUser();
    const email = uniqueEmail('wrong-code');
    await resultOf(base(), 'setContactEmail', fb.token, { email });
    const code = await mailedCode(email);
    for (const left of [4, 3, 2, 1]) {
      const refusal = await reasonOf(base(), 'confirmContactEmail', fb.token, { code: other(code) });
      expect(refusal).toMatchObject({ status: 400, reason: 'CODE_INVALID', details: { attemptsLeft: left } });
      expect(refusal.message).toContain(`${left} attempt(s) left`);
    }
    expect(await reasonOf(base(), 'confirmContactEmail', fb.token, { code: other(code) })).toMatchObject({ reason: 'CODE_INVALID', details: { attemptsLeft: 0 } });
    // The right code no longer helps: guessing is over for this one.
    expect(await reasonOf(base(), 'confirmContactEmail', fb.token, { code })).toMatchObject({ reason: 'NO_PENDING_CONTACT_EMAIL' });
    expect((await resultOf<AccountView>(base(), 'getAccount', fb.token, null)).contactEmail).toBeNull();
  });

  it('when the code has expired, then it is refused as expired and a new code is needed', async () => {
    const fb = await facebookUser();
    const email = uniqueEmail('expired');
    await resultOf(base(), 'setContactEmail', fb.token, { email });
    const code = await mailedCode(email);
    // Thirty minutes pass.
    await db().collection('contactEmailChallenges').doc(fb.uid).update({ expiresAt: Timestamp.fromMillis(Date.now() - 1_000) });
    expect(await reasonOf(base(), 'confirmContactEmail', fb.token, { code })).toMatchObject({ status: 400, reason: 'CODE_EXPIRED' });
    expect(await reasonOf(base(), 'confirmContactEmail', fb.token, { code })).toMatchObject({ reason: 'NO_PENDING_CONTACT_EMAIL' });
    expect((await resultOf<AccountView>(base(), 'getAccount', fb.token, null)).contactEmail).toBeNull();
  });

  it('when a new address is asked for, then it replaces the pending one: the old code no longer confirms anything', async () => {
    const fb = await facebookUser();
    const first = uniqueEmail('first');
    const second = uniqueEmail('second');
    await resultOf(base(), 'setContactEmail', fb.token, { email: first });
    const firstCode = await mailedCode(first);
    await resultOf(base(), 'setContactEmail', fb.token, { email: second });
    const secondCode = await mailedCode(second);
    // (One time in a million the two codes are equal; the old one then cannot be told apart.)
    const old = firstCode === secondCode ? 'CODE_INVALID' : (await reasonOf(base(), 'confirmContactEmail', fb.token, { code: firstCode })).reason;
    expect(old).toBe('CODE_INVALID');
    expect((await resultOf<AccountView>(base(), 'confirmContactEmail', fb.token, { code: secondCode })).contactEmail).toBe(second);
  });

  it('when one account asks for too many codes, then it is rate limited, and so is one address asked for by several accounts', async () => {
    const busy = await facebookUser();
    for (let i = 0; i < 5; i += 1) await resultOf(base(), 'setContactEmail', busy.token, { email: uniqueEmail('many') });
    const perAccount = await reasonOf(base(), 'setContactEmail', busy.token, { email: uniqueEmail('many') });
    expect(perAccount).toMatchObject({ status: 429, reason: 'RATE_LIMITED' });
    expect(perAccount.details.retryAfterSeconds).toBeGreaterThan(0);

    const target = uniqueEmail('victim');
    const [user, name, domain] = [await facebookUser(), target.split('@')[0], target.split('@')[1]];
    // Spellings of one mailbox count as one address.
    for (const spelling of [target, `${name}+a@${domain}`, target.toUpperCase()]) await resultOf(base(), 'setContactEmail', user.token, { email: spelling });
    const stranger = await facebookUser();
    expect(await reasonOf(base(), 'setContactEmail', stranger.token, { email: target })).toMatchObject({ status: 429, reason: 'RATE_LIMITED' });
    // The refused request stored no code for the stranger.
    expect((await db().collection('contactEmailChallenges').doc(stranger.uid).get()).exists).toBe(false);
  });

  it('when a verified email user asks nothing, then getAccount needs no contact address', async () => {
    const c = await customer(base(), 'verified');
    expect(await resultOf<AccountView>(base(), 'getAccount', c.token, null)).toMatchObject({ contactEmail: null, needsContactEmail: false });
  });
});
