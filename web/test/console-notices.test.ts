import type { Browser } from 'playwright-core';
import { DESKTOP, launch, openPage, review, WEB_URL } from './support/browser';
import { action, confirmAction, openAction, taipeiDay, openConsolePage } from './support/console-staff';
import { signInAsStaff, signUpWithEmail, uniqueEmail } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe('support console: service notices (clause 2.1)', () => {
  it('when an admin announces a change in both languages a month ahead, then the one-month rule is explained before submitting, and the seller finds the notice in their inbox', async () => {
    const seller = await openPage(browser);
    await signUpWithEmail(seller.page, uniqueEmail('notice-reader'));
    const staff = await openPage(browser, DESKTOP);
    await signInAsStaff(staff.page, 'admin');
    await openConsolePage(staff.page, '服務公告');
    await staff.page.getByRole('heading', { name: '服務公告', level: 1 }).waitFor();
    await staff.page.getByText('須於生效前至少一個月通知所有客戶（條款 2.1）').waitFor();

    const title = `訂單匯出格式調整 ${Date.now().toString(36)}`;
    const announce = action(staff.page, '發布公告');
    await announce.getByLabel('標題（中文）').fill(title);
    await announce.getByLabel('標題（英文）').fill('Order export format change');
    await announce.getByLabel('內容（中文）').fill('訂單匯出將新增「出貨日期」欄位。');
    await announce.getByLabel('內容（英文）').fill('Order exports gain a “shipped on” column.');
    await announce.getByLabel('類型').selectOption({ label: '服務變更' });

    // Too soon without an exemption: said before anything is sent, and the button stays off.
    const effective = announce.getByLabel('生效日期');
    await effective.fill(taipeiDay(3));
    await announce.getByRole('alert').filter({ hasText: '請改選較晚的日期，或選擇例外情形並說明理由' }).waitFor();
    await expect(announce.getByRole('button', { name: '發布公告', exact: true }).isDisabled()).resolves.toBe(true);
    await review(staff.page, 'console-notices');

    await effective.fill(taipeiDay(40));
    await confirmAction(staff.page, '發布公告', /已發布公告，將通知 \d+ 個帳戶。/);
    const listed = staff.page.getByRole('list', { name: '近期公告' }).getByRole('listitem').filter({ hasText: title });
    await listed.waitFor();

    await seller.page.goto(`${WEB_URL()}/inbox`);
    await seller.page.getByRole('heading', { name: '通知', level: 1 }).waitFor();
    await seller.page.getByRole('listitem').filter({ hasText: title }).waitFor();

    await (await openAction(listed, '撤回公告')).getByLabel('撤回原因（會通知客戶）').fill('改為下季實施');
    await confirmAction(listed, '撤回公告', /已撤回公告，將通知 \d+ 個帳戶。/);
    await listed.getByText('改為下季實施').waitFor();
    await seller.context.close();
    await staff.context.close();
  });
});
