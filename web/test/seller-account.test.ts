import { readFileSync } from 'node:fs';
import type { Timestamp } from 'firebase-admin/firestore';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage, review } from './support/browser';
import { adminDb, signUpWithEmail, uniqueEmail } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

/** The main menu (links there share names with links in the pages). */
const nav = (page: Page) => page.getByRole('navigation');

/** `YYYY-MM-DD` plus `days` calendar days. */
function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

describe('the account centre', () => {
  it('when a seller signs in with Facebook through the Auth emulator, then beforeCreate provisions a Facebook account and the account page shows it active, with no request to another host', async () => {
    const { page, context, thirdParty } = await openPage(browser);
    await page.goto(`${process.env.WEB_URL}/`);
    await page.getByRole('heading', { name: '登入', exact: true }).waitFor();
    await page.getByRole('button', { name: '使用 Facebook 登入' }).click();
    const dialog = page.getByRole('dialog', { name: 'Facebook 登入（本機模擬）' });
    const email = uniqueEmail('facebook');
    await dialog.getByLabel('Facebook 帳號的電子郵件').fill(email);
    await dialog.getByLabel('顯示名稱（選填）').fill('Facebook Seller');
    await review(page, 'sign-in-facebook');
    await dialog.getByRole('button', { name: '使用 Facebook 登入' }).click();

    await page.getByRole('heading', { name: '我的帳戶' }).waitFor();
    await expect(page.getByTestId('account-status').textContent()).resolves.toBe('使用中');
    await expect(page.getByText(email).count()).resolves.toBeGreaterThan(0);
    const account = (await adminDb().collection('accounts').where('email', '==', email).get()).docs[0]?.data();
    expect(account?.providers).toEqual(['facebook.com']);
    await review(page, 'account-facebook');
    expect(thirdParty).toEqual([]);
    await context.close();
  });

  it('when a seller picks a date in the termination window and confirms, then the account is in its notice period on that Taipei date; cancelling makes it active again', async () => {
    const { page, context } = await openPage(browser);
    const email = uniqueEmail('terminate');
    await signUpWithEmail(page, email);
    const uid = (await adminDb().collection('accounts').where('email', '==', email).get()).docs[0]!.id;
    await nav(page).getByRole('link', { name: '終止服務' }).click();
    await page.getByRole('heading', { name: '終止服務' }).waitFor();

    const picker = page.getByLabel('終止日（台北時間）');
    const [earliest, latest] = [await picker.getAttribute('min'), await picker.getAttribute('max')];
    expect(earliest).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(latest! > earliest!).toBe(true);
    const date = addDays(earliest!, 10);
    await picker.fill(date);
    await page.getByLabel('原因（選填）').fill('Moving to another platform');
    await review(page, 'termination');
    await page.getByRole('button', { name: '申請終止' }).click();
    const dialog = page.getByRole('dialog', { name: '確定要終止服務嗎？' });
    await expect(dialog.textContent()).resolves.toContain(`${date} 00:00（台北時間）`);
    await review(page, 'termination-confirm');
    await dialog.getByRole('button', { name: '確定終止' }).click();

    await page.getByRole('status').filter({ hasText: '已收到您的終止申請' }).waitFor();
    await expect(page.getByTestId('account-status').textContent()).resolves.toBe('終止通知期間');
    await expect(page.getByTestId('termination-date').getAttribute('datetime')).resolves.toBe(date);
    const stored = await adminDb().collection('accounts').doc(uid).get();
    expect(stored.get('status')).toBe('terminating');
    expect((stored.get('termination.effectiveAt') as Timestamp).toDate().toISOString()).toBe(new Date(`${date}T00:00:00+08:00`).toISOString());
    await review(page, 'termination-requested');

    await nav(page).getByRole('link', { name: '我的帳戶' }).click();
    await expect(page.getByTestId('termination-date').getAttribute('datetime')).resolves.toBe(date);
    await expect(page.getByTestId('termination').textContent()).resolves.toContain('內容也會被銷毀');
    await review(page, 'account-terminating');

    await nav(page).getByRole('link', { name: '終止服務' }).click();
    await page.getByRole('button', { name: '取消終止' }).click();
    await page.getByRole('dialog', { name: '要取消終止嗎？' }).getByRole('button', { name: '確定取消終止' }).click();
    await page.getByRole('status').filter({ hasText: '已取消終止' }).waitFor();
    await expect(page.getByTestId('account-status').textContent()).resolves.toBe('使用中');
    expect((await adminDb().collection('accounts').doc(uid).get()).get('status')).toBe('active');
    // Active again, so the date picker is offered again.
    await picker.waitFor();

    await nav(page).getByRole('link', { name: '活動紀錄' }).click();
    await page.getByRole('cell', { name: '取消終止' }).waitFor();
    await expect(page.getByRole('cell', { name: '排定終止' }).count()).resolves.toBe(1);
    await review(page, 'activity');

    // The mails about it also wait in the inbox, unread until the seller marks them read.
    await nav(page).getByRole('link', { name: '通知' }).click();
    await page.getByRole('heading', { name: '通知', exact: true }).waitFor();
    const notices = page.getByRole('main').getByRole('listitem').filter({ hasText: '終止' });
    await notices.first().waitFor();
    expect(await notices.count()).toBeGreaterThanOrEqual(2);
    await expect(notices.filter({ hasText: '未讀' }).count()).resolves.toBe(await notices.count());
    await review(page, 'inbox');
    await page.getByRole('button', { name: /全部標為已讀/ }).click();
    await page.getByRole('status').filter({ hasText: /已將 \d+ 則通知標為已讀/ }).waitFor();
    await expect(notices.filter({ hasText: '未讀' }).count()).resolves.toBe(0);
    const inbox = await adminDb().collection('inbox').where('uid', '==', uid).get();
    expect(inbox.docs.map((d) => d.get('readAt') !== null)).toEqual(inbox.docs.map(() => true));
    await review(page, 'inbox-read');
    await context.close();
  });

  it('when nothing is due, then 下載全部內容 saves the account\'s content as one NDJSON file and says how many documents came', async () => {
    const { page, context } = await openPage(browser);
    const email = uniqueEmail('content');
    await signUpWithEmail(page, email);
    const uid = (await adminDb().collection('accounts').where('email', '==', email).get()).docs[0]!.id;
    await adminDb().doc(`accounts/${uid}/products/tea`).set({ name: '烏龍茶', price: 350 });
    await adminDb().doc(`accounts/${uid}/products/cake`).set({ name: '鳳梨酥', price: 420 });

    await nav(page).getByRole('link', { name: '下載內容' }).click();
    await page.getByRole('heading', { name: '下載內容' }).waitFor();
    await review(page, 'content');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下載全部內容' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^orderpally-content-\d{4}-\d\d-\d\d\.ndjson$/);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text).toContain('烏龍茶');
    expect(text).toContain('鳳梨酥');
    const lines = text.split('\n').filter(Boolean);
    lines.forEach((line) => expect(() => void JSON.parse(line)).not.toThrow());
    await page.getByRole('status').filter({ hasText: `已下載 ${lines.length} 份文件` }).waitFor();
    await review(page, 'content-saved');
    await context.close();
  });
});
