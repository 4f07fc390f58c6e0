import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import type { Page } from 'playwright-core';
import { WEB_URL } from './browser';

function admin(): App {
  return getApps()[0] ?? initializeApp({ projectId: process.env.GCLOUD_PROJECT });
}

/** The Auth emulator's user store, as staff tooling (`npm run grant-role`) sees it. */
export const adminAuth = () => getAuth(admin());
/** The Firestore emulator, for reading what the functions wrote. */
export const adminDb = () => getFirestore(admin());

let counter = 0;
/** An address no other test uses. */
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@shop.example`;
}

/** Opens the verification link the Auth emulator "sent" to `email` (its out-of-band code list). */
export async function openVerificationLink(email: string): Promise<void> {
  const host = process.env.FIREBASE_AUTH_EMULATOR_HOST!;
  const response = await fetch(`http://${host}/emulator/v1/projects/${process.env.GCLOUD_PROJECT}/oobCodes`);
  const { oobCodes } = (await response.json()) as { oobCodes: Array<{ email: string; requestType: string; oobLink: string }> };
  const code = oobCodes.filter((c) => c.email === email && c.requestType === 'VERIFY_EMAIL').at(-1);
  if (!code) throw new Error(`no verification mail for ${email}`);
  const opened = await fetch(code.oobLink);
  if (!opened.ok) throw new Error(`the verification link answered ${opened.status}`);
}

/** Signs up through the page with email+password and completes the verification step; ends on the account page. */
export async function signUpWithEmail(page: Page, email: string, password = 'correct horse battery'): Promise<void> {
  await page.goto(`${WEB_URL()}/sign-up`);
  await page.getByLabel('電子郵件', { exact: true }).fill(email);
  await page.getByLabel('密碼', { exact: true }).fill(password);
  await page.getByRole('button', { name: '註冊' }).click();
  await page.getByRole('heading', { name: '驗證您的電子郵件' }).waitFor();
  await openVerificationLink(email);
  await page.getByRole('button', { name: '我已完成驗證' }).click();
  await page.getByRole('heading', { name: '我的帳戶' }).waitFor();
}

/** A staff member (role claim set as `npm run grant-role` sets it), signed in through the page. */
export async function signInAsStaff(page: Page, role: 'support' | 'admin', email = uniqueEmail(role)): Promise<string> {
  const password = 'staff password 1';
  const user = await adminAuth().createUser({ email, password, emailVerified: true });
  await adminAuth().setCustomUserClaims(user.uid, { role });
  await page.goto(`${WEB_URL()}/sign-in`);
  await page.getByLabel('電子郵件', { exact: true }).fill(email);
  await page.getByLabel('密碼', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登入', exact: true }).click();
  await page.getByRole('heading', { name: '我的帳戶' }).waitFor();
  return user.uid;
}
