import type { Browser } from 'playwright-core';
import { DESKTOP, launch, openPage, review, WEB_URL } from './support/browser';
import { callFunction, openConsolePage } from './support/console-staff';
import { signInAsStaff, signUpWithEmail, uniqueEmail } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe('support console: incidents', () => {
  it('when someone reports an incident without signing in, then support finds it in the queue, opens it, updates its status with a note, and the history shows the change', async () => {
    const summary = `可疑登入 ${Date.now().toString(36)}`;
    const reported = await callFunction<{ reference: string }>('reportIncident', {
      category: 'account-compromise',
      summary,
      description: '有人用我的帳號在凌晨登入。\n<script>alert(1)</script>',
      contactEmail: uniqueEmail('reporter'),
      contactName: '王小明',
    });
    expect(reported.status).toBe(200);
    const { reference } = reported.result;

    const { page, context, thirdParty } = await openPage(browser, DESKTOP);
    await signInAsStaff(page, 'support');
    await openConsolePage(page, '事件處理');
    await page.getByRole('heading', { name: '事件處理', level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: reference });
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.toBe('已收到');
    await expect(row.getByRole('cell').nth(4).textContent()).resolves.toBe(summary);
    await review(page, 'console-incidents');

    await row.getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { name: `事件詳情 ${reference}`, level: 1 }).waitFor();
    // The reporter's text is shown as text, never as markup.
    await page.getByText('<script>alert(1)</script>', { exact: false }).waitFor();
    const history = page.getByRole('list', { name: '處理紀錄' }).getByRole('listitem');
    await expect(history.count()).resolves.toBe(1);
    // Only the moves the function allows are offered.
    await expect(page.getByLabel('新狀態', { exact: true }).locator('option').allTextContents()).resolves.toEqual(['處理中', '已解決']);

    await page.getByLabel('新狀態', { exact: true }).selectOption({ label: '處理中' });
    await page.getByLabel('給回報者的說明').fill('已重設密碼並登出所有裝置。');
    await page.getByRole('button', { name: '更新狀態' }).click();
    await page.getByRole('status').filter({ hasText: `已將 ${reference} 更新為「處理中」。` }).waitFor();
    await expect(page.getByTestId('incident-status').textContent()).resolves.toBe('處理中');
    await expect(history.count()).resolves.toBe(2);
    await expect(history.nth(1).textContent()).resolves.toMatch(/已收到 → 處理中.*由客服.*已重設密碼並登出所有裝置。/s);
    await expect(page.getByLabel('新狀態', { exact: true }).locator('option').allTextContents()).resolves.toEqual(['處理中', '已解決']);
    await review(page, 'console-incident');
    expect(thirdParty).toEqual([]);
    await context.close();
  });

  it('when a seller with no staff role opens the console, then the page says it is for staff only and shows no console data', async () => {
    const { page, context } = await openPage(browser);
    await signUpWithEmail(page, uniqueEmail('not-staff'));
    await expect(page.getByRole('link', { name: '客服主控台' }).count()).resolves.toBe(0);
    await page.goto(`${WEB_URL()}/console`);
    await page.getByRole('alert').filter({ hasText: '此頁面僅限客服與管理人員。' }).waitFor();
    await expect(page.getByRole('heading', { name: '事件處理' }).count()).resolves.toBe(0);
    await review(page, 'console-staff-only');
    await context.close();
  });
});
