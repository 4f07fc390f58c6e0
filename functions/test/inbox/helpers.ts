import { randomUUID } from 'node:crypto';
import { getDeps } from '../../src/deps';
import { deliverMail } from '../../src/mail/deliver-mail';
import { sendServiceNotices } from '../../src/notices/fanout';
import type { NoticeEntryView } from '../../src/inbox/list-my-notices';
import { addDays, taipeiDate } from '../../src/shared/taipei';
import { callAs, resultOf } from '../billing/helpers';
import { waitForMail, sentTo, type CapturedMail } from '../support/maildev';

export { callAs, customer, resultOf, signIn, staff } from '../billing/helpers';

export const db = () => getDeps().db;

/**
 * Signs in with Facebook through the Auth emulator's REST API (its fake id token: a JSON payload),
 * as `signInWithCredential` does, and returns the ID token. Without `email`, the user has none,
 * as many Facebook sign-ups; the emulator marks a Facebook address unverified.
 */
export async function facebookUser(options: { email?: string; name?: string } = {}): Promise<{ uid: string; token: string }> {
  const idToken = JSON.stringify({ sub: `fb-${randomUUID()}`, name: options.name ?? 'Mei Lin', ...(options.email ? { email: options.email } : {}) });
  const response = await fetch(
    `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithIdp?key=fake-api-key`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ postBody: `providerId=facebook.com&id_token=${encodeURIComponent(idToken)}`, requestUri: 'http://localhost', returnSecureToken: true }),
    },
  );
  const body = (await response.json()) as { localId?: string; idToken?: string };
  if (!response.ok || !body.localId || !body.idToken) throw new Error(`Facebook sign-in failed: ${JSON.stringify(body)}`);
  return { uid: body.localId, token: body.idToken };
}

/** The caller's notices, first page of up to 100. */
export async function myNotices(baseUrl: string, token: string): Promise<NoticeEntryView[]> {
  return (await resultOf<{ notices: NoticeEntryView[] }>(baseUrl, 'listMyNotices', token, { pageSize: 100 })).notices;
}

/** The refusal reason of a call that must fail (throws with the answer when it succeeded). */
export async function reasonOf(baseUrl: string, name: string, token: string, data: unknown): Promise<{ status: number; reason: unknown; details: Record<string, unknown>; message: string }> {
  const answer = await callAs(baseUrl, name, token, data);
  if (answer.status === 200) throw new Error(`${name} succeeded: ${answer.text}`);
  const details = answer.json?.error?.details ?? {};
  return { status: answer.status, reason: details.reason, details, message: answer.json?.error?.message ?? '' };
}

/** The six-digit code of the newest code mail to `address`, as MailDev received it. */
export async function mailedCode(address: string, count = 1): Promise<string> {
  const mails = await waitForMail((m) => sentTo(m, address) && /確認碼|confirmation code/.test(m.subject), { count });
  const code = /(\d{6})/.exec(mails.at(-1)?.subject ?? '')?.[1];
  if (!code) throw new Error(`no code in the mail to ${address}`);
  return code;
}

/** Sets and confirms `email` as the caller's contact address, reading the code from MailDev. */
export async function confirmContact(baseUrl: string, token: string, email: string): Promise<void> {
  await resultOf(baseUrl, 'setContactEmail', token, { email });
  await resultOf(baseUrl, 'confirmContactEmail', token, { code: await mailedCode(email) });
}

/**
 * Announces a notice as `adminToken` through HTTP, then runs the scheduled sweep until its
 * fan-out is done (the emulator may hold many accounts) and delivers the outbox.
 */
export async function announce(baseUrl: string, adminToken: string, text: { title: unknown; body: unknown }): Promise<string> {
  const { noticeId } = await resultOf<{ noticeId: string }>(baseUrl, 'adminAnnounceServiceChange', adminToken, {
    ...text,
    kind: 'change',
    effectiveAt: addDays(taipeiDate(new Date()), 40),
  });
  await finishFanout(noticeId);
  return noticeId;
}

/** Runs `sendServiceNotices` until the announcement of `noticeId` is fanned out, then drains the outbox. */
export async function finishFanout(noticeId: string): Promise<void> {
  const ref = db().collection('noticeFanouts').doc(`${noticeId}.announcement`);
  for (let i = 0; i < 50 && (await ref.get()).get('state') !== 'done'; i += 1) await sendServiceNotices(getDeps());
  for (let i = 0; i < 50; i += 1) if ((await deliverMail(getDeps())).remaining === 0) return;
}

/** Mail MailDev holds for `address` whose subject contains `text`. */
export async function mailFor(address: string, text: string): Promise<CapturedMail[]> {
  return waitForMail((m) => sentTo(m, address) && m.subject.includes(text));
}
