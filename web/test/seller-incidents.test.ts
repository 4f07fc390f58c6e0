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

const REFERENCE = /^INC-\d{4}-\d{6}$/;

async function fillReport(page: Page, summary: string, contactEmail?: string): Promise<void> {
  await page.getByLabel('類型').selectOption('account-compromise');
  await page.getByLabel('摘要').fill(summary);
  await page.getByLabel('詳細說明').fill('有人從陌生的裝置登入了我們的帳戶，\n並建立了一把 API 金鑰。');
  if (contactEmail) await page.getByLabel('聯絡用電子郵件').fill(contactEmail);
}

describe('security incident reports', () => {
  it('when someone who is not signed in reports an incident, then the page shows its reference and the incident is stored with their address', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${process.env.WEB_URL}/report`);
    await page.getByRole('heading', { name: '回報資安事件' }).waitFor();
    await review(page, 'report');
    const reporter = uniqueEmail('reporter');
    await fillReport(page, '可疑的登入', reporter);
    await page.getByRole('button', { name: '送出回報' }).click();
    const reference = (await page.getByTestId('incident-reference').textContent())!;
    expect(reference).toMatch(REFERENCE);
    await review(page, 'report-received');
    const stored = (await adminDb().collection('incidents').doc(reference).get()).data();
    expect(stored).toMatchObject({ category: 'account-compromise', summary: '可疑的登入', reporter: { email: reporter, uid: null } });
    await context.close();
  });

  it('when a signed-in seller reports an incident, then they can follow it by its reference on 我的回報', async () => {
    const { page, context } = await openPage(browser);
    await signUpWithEmail(page, uniqueEmail('follower'));
    await page.getByRole('navigation').getByRole('link', { name: '回報資安事件' }).click();
    await fillReport(page, '帳戶遭盜用');
    await page.getByRole('button', { name: '送出回報' }).click();
    const reference = (await page.getByTestId('incident-reference').textContent())!;
    expect(reference).toMatch(REFERENCE);

    await page.getByRole('navigation').getByRole('link', { name: '我的回報' }).click();
    await page.getByRole('heading', { name: '我的回報' }).waitFor();
    await page.getByLabel('參考編號').fill(reference.toLowerCase());
    await page.getByRole('button', { name: '查詢' }).click();
    await expect(page.getByTestId('incident-status').textContent()).resolves.toBe('已收到');
    await expect(page.getByTestId('incident').textContent()).resolves.toContain(reference);
    await review(page, 'incidents');

    // Someone else's reference reads as one that does not exist, in words.
    await page.getByLabel('參考編號').fill('INC-2020-999999');
    await page.getByRole('button', { name: '查詢' }).click();
    await page.getByRole('alert').filter({ hasText: '找不到您回報的事件 INC-2020-999999' }).waitFor();
    await context.close();
  });
});
