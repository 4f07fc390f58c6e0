import type { Browser } from 'playwright-core';
import { sentTo, waitForMail } from '../../functions/test/support/maildev';
import { launch, openPage, review } from './support/browser';
import { adminDb, signUpWithEmail, uniqueEmail } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe('settings', () => {
  it('when a seller enters the code mailed to a new contact address, then it becomes the contact email; switching the language to English saves it on the account and turns the pages English', async () => {
    const { page, context } = await openPage(browser);
    const email = uniqueEmail('settings');
    await signUpWithEmail(page, email);
    const uid = (await adminDb().collection('accounts').where('email', '==', email).get()).docs[0]!.id;
    await page.getByRole('navigation').getByRole('link', { name: '設定' }).click();
    await page.getByRole('heading', { name: '設定', exact: true }).waitFor();
    await review(page, 'settings');

    const contact = uniqueEmail('contact');
    await page.getByLabel('新的聯絡用電子郵件').fill(contact);
    await page.getByRole('button', { name: '寄送確認碼' }).click();
    await page.getByRole('status').filter({ hasText: `確認碼已寄至 ${contact}` }).waitFor();
    const [mail] = await waitForMail((m) => sentTo(m, contact));
    const code = /\b(\d{6})\b/.exec(mail!.subject)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    await page.getByLabel('確認碼', { exact: true }).fill(code!);
    await review(page, 'settings-code');
    await page.getByRole('button', { name: '確認', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `聯絡用電子郵件已設定為 ${contact}` }).waitFor();
    expect((await adminDb().collection('accounts').doc(uid).get()).get('contactEmail')).toBe(contact);

    await page.getByLabel('通知與頁面的語言').selectOption('en');
    await page.getByRole('button', { name: '儲存' }).click();
    await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Language saved.' }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'My account' }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    expect((await adminDb().collection('accounts').doc(uid).get()).get('locale')).toBe('en');
    await review(page, 'settings-en');
    await context.close();
  });
});
