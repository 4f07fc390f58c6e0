import type { Browser } from 'playwright-core';
import { DESKTOP, launch, openPage, review, WEB_URL } from './support/browser';
import { confirmAction, openAccountInConsole, openAction, taipeiDay } from './support/console-staff';
import { signInAsStaff, signUpWithEmail, uniqueEmail } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe('support console: billing and the retrieval rule (clause 3.2(b))', () => {
  it('when an admin records a past-due invoice on a terminating account, then the seller’s download is refused, and once the admin records the payment the seller downloads', async () => {
    const seller = await openPage(browser);
    const staff = await openPage(browser, DESKTOP);
    const email = uniqueEmail('billing');
    await signUpWithEmail(seller.page, email);
    await signInAsStaff(staff.page, 'admin');

    // Amounts due block retrieval only during the notice period: the admin terminates for cause first.
    await openAccountInConsole(staff.page, email);
    const terminate = await openAction(staff.page, '終止服務');
    await terminate.getByLabel('終止原因（客戶會看到）').fill('多次違反使用條款');
    await terminate.getByLabel('生效日期').fill(taipeiDay(14));
    await confirmAction(staff.page, '終止服務', '已安排終止。');
    await expect(staff.page.getByTestId('account-status').textContent()).resolves.toBe('終止通知期間');

    const invoiceId = `INV-${Date.now().toString(36)}`;
    const record = await openAction(staff.page, '記錄發票');
    await record.getByLabel('發票編號').fill(invoiceId);
    await record.getByLabel('金額（新台幣）').fill('1200');
    await record.getByLabel('開立日').fill(taipeiDay(-30));
    await record.getByLabel('到期日').fill(taipeiDay(-1));
    await confirmAction(staff.page, '記錄發票', '已記錄發票。');
    await staff.page.getByTestId('account-retrieval').filter({ hasText: '不可：有逾期款項' }).waitFor();
    await expect(staff.page.getByTestId('account-amount-due').textContent()).resolves.toMatch(/1,200/);
    await review(staff.page, 'console-account');

    await seller.page.goto(`${WEB_URL()}/content`);
    await seller.page.getByRole('button', { name: '下載全部內容' }).click();
    await seller.page.getByRole('alert').filter({ hasText: '尚有應付款項未付清' }).waitFor();
    await seller.page.getByRole('cell', { name: invoiceId }).waitFor();

    await staff.page.getByRole('link', { name: '回到帳戶查詢' }).click();
    await openAccountInConsole(staff.page, email);
    await expect((await openAction(staff.page, '記錄付款')).getByLabel('未付款的發票').inputValue()).resolves.toBe(invoiceId);
    await confirmAction(staff.page, '記錄付款', '已記錄付款。');
    await staff.page.getByTestId('account-retrieval').filter({ hasText: '可以下載' }).waitFor();
    await staff.page.getByRole('cell', { name: '已付款' }).waitFor();

    const download = seller.page.waitForEvent('download');
    await seller.page.getByRole('button', { name: '下載全部內容' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.ndjson$/);
    expect([...seller.thirdParty, ...staff.thirdParty]).toEqual([]);
    await seller.context.close();
    await staff.context.close();
  });
});
