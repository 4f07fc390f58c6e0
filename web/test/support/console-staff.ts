import type { Locator, Page } from 'playwright-core';
import { WEB_URL } from './browser';

/** A Taipei calendar date `days` from today, `YYYY-MM-DD` (what the console's date fields take). */
export function taipeiDay(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Taipei' }).format(new Date());
  const at = new Date(`${today}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** The fields of one console action, by its name (its fold's summary, legend and button). */
export function action(page: Page | Locator, legend: string): Locator {
  return page.getByRole('group', { name: legend, exact: true });
}

/** Unfolds a console action (if folded) and answers its fields. */
export async function openAction(page: Page | Locator, legend: string): Promise<Locator> {
  const fold = page.locator(`details.console-action:has(> summary:text-is("${legend}"))`);
  if ((await fold.getAttribute('open')) === null) await fold.locator('summary').click();
  return action(page, legend);
}

/** Presses an action's button, confirms in its dialog, and waits for the outcome shown in `scope` (Status). */
export async function confirmAction(scope: Page | Locator, legend: string, expected: string | RegExp): Promise<void> {
  await action(scope, legend).getByRole('button', { name: legend, exact: true }).click();
  await scope.getByRole('dialog').getByRole('button', { name: legend, exact: true }).click();
  await scope.getByRole('status').filter({ hasText: expected }).waitFor();
}

/** Looks an account up by email in the console and opens it; ends on its page. */
export async function openAccountInConsole(page: Page, email: string): Promise<void> {
  await page.goto(`${WEB_URL()}/console/accounts`);
  await page.getByLabel('電子郵件或 UID').fill(email);
  await page.getByRole('button', { name: '查詢', exact: true }).click();
  await page.getByRole('link', { name: `開啟 ${email}` }).click();
  await page.getByRole('heading', { name: '帳戶詳情', level: 1 }).waitFor();
  await page.getByTestId('account-status').waitFor();
}

/** Calls a function over HTTP as the callable protocol does (the same request the Firebase SDK sends). */
export async function callFunction<T>(name: string, data: unknown, idToken?: string): Promise<{ status: number; result: T }> {
  const response = await fetch(`${process.env.FUNCTIONS_URL}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(idToken ? { authorization: `Bearer ${idToken}` } : {}) },
    body: JSON.stringify({ data }),
  });
  const body = (await response.json()) as { result: T };
  return { status: response.status, result: body.result };
}

/** Opens the support console from the main menu, then one of its pages from the console's own menu. */
export async function openConsolePage(page: Page, link: string): Promise<void> {
  await page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name: '客服主控台' }).click();
  await page.getByRole('navigation', { name: '客服主控台' }).getByRole('link', { name: link }).click();
}
