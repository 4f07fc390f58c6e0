import type { Browser } from 'playwright-core';
import { DESKTOP, launch, openPage, review, WEB_URL } from './support/browser';
import { action, callFunction, confirmAction, openAccountInConsole, openAction, openConsolePage } from './support/console-staff';
import { signInAsStaff, signUpWithEmail, uniqueEmail } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

/** An ID token for `email`'s password sign-in (the Auth emulator's REST API, as the JS SDK calls it). */
async function idToken(email: string, password = 'correct horse battery'): Promise<string> {
  const response = await fetch(`http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, returnSecureToken: true }),
  });
  return ((await response.json()) as { idToken: string }).idToken;
}

describe('support console: accounts, records requests and system status', () => {
  it('when an admin suspends an account after confirming, then it shows as suspended, and reinstating it makes it active again', async () => {
    const seller = await openPage(browser);
    const email = uniqueEmail('suspend');
    await signUpWithEmail(seller.page, email);
    await seller.context.close();

    const { page, context, thirdParty } = await openPage(browser, DESKTOP);
    await signInAsStaff(page, 'admin');
    await openConsolePage(page, '帳戶查詢');
    await page.getByLabel('電子郵件或 UID').fill(email.toUpperCase());
    await page.getByRole('button', { name: '查詢', exact: true }).click();
    await page.getByRole('link', { name: `開啟 ${email}` }).waitFor();
    await review(page, 'console-accounts');

    await openAccountInConsole(page, email);
    await expect(page.getByTestId('account-status').textContent()).resolves.toBe('使用中');
    const suspend = await openAction(page, '暫停帳戶');
    await suspend.getByLabel('暫停原因（客戶會看到）').fill('疑似帳號遭盜用');
    await suspend.getByLabel('內部備註').fill('依事件回報暫停，待客戶確認。');
    // Cancelling the confirmation changes nothing.
    await suspend.getByRole('button', { name: '暫停帳戶', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
    await expect(page.getByTestId('account-status').textContent()).resolves.toBe('使用中');

    await confirmAction(page, '暫停帳戶', '帳戶已暫停。');
    await page.getByTestId('account-status').filter({ hasText: '已暫停' }).waitFor();
    await expect(action(page, '暫停帳戶').count()).resolves.toBe(0);

    await (await openAction(page, '恢復帳戶')).getByLabel('恢復備註').fill('客戶已確認，恢復使用。');
    await confirmAction(page, '恢復帳戶', '帳戶已恢復。');
    await page.getByTestId('account-status').filter({ hasText: '使用中' }).waitFor();
    expect(thirdParty).toEqual([]);
    await context.close();
  });

  it('when a seller requests records, then support fulfils them from the records queue with a note, sees the requester’s account without admin actions, and the system status page shows backups and failed mail', async () => {
    const seller = await openPage(browser);
    const email = uniqueEmail('records');
    await signUpWithEmail(seller.page, email);
    await seller.context.close();
    const requested = await callFunction<{ reference: string }>('requestRecords', { scope: 'activity' }, await idToken(email));
    expect(requested.status).toBe(200);
    const { reference } = requested.result;

    const { page, context } = await openPage(browser, DESKTOP);
    await signInAsStaff(page, 'support');
    await openConsolePage(page, '紀錄申請處理');
    const item = page.getByRole('list', { name: '紀錄申請處理' }).getByRole('listitem').filter({ hasText: reference });
    await item.getByText(email).waitFor();
    await review(page, 'console-records');
    await item.getByLabel('給客戶的說明（選填）').fill('請於 30 日內下載。');
    await confirmAction(page, '提供紀錄', new RegExp(`已提供 ${reference}（\\d+ 筆紀錄）。`));
    await item.getByText('（已提供）').waitFor();

    // Support may look at the requester's account, not act on it: the actions are there, disabled.
    await item.getByRole('link', { name: email }).click();
    await page.getByRole('heading', { name: '帳戶詳情', level: 1 }).waitFor();
    await page.getByText('以下操作僅限管理員').waitFor();
    const suspend = await openAction(page, '暫停帳戶');
    await expect(suspend.getByRole('button', { name: '暫停帳戶', exact: true }).isDisabled()).resolves.toBe(true);
    await page.getByLabel('語言').selectOption('en');
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await expect(page.getByTestId('account-status').textContent()).resolves.toBe('Active');
    await page.getByLabel('Language').selectOption('zh-TW');

    await page.goto(`${WEB_URL()}/console/health`);
    await page.getByRole('heading', { name: '系統狀態', level: 1 }).waitFor();
    await page.getByTestId('backup-health').waitFor();
    await page.getByTestId('failed-mail').waitFor();
    await review(page, 'console-health');
    await context.close();
  });
});
