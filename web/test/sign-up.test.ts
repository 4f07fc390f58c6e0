import type { Browser } from 'playwright-core';
import { launch, openPage, review } from './support/browser';
import { signUpWithEmail, uniqueEmail } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe('sign-up', () => {
  it('when a seller signs up with email and password and opens the verification link, then the account centre shows the active account in zh-TW, with no request to another host', async () => {
    const { page, context, thirdParty } = await openPage(browser);
    const email = uniqueEmail('seller');
    await page.goto(`${process.env.WEB_URL}/sign-up`);
    await review(page, 'sign-up');
    await signUpWithEmail(page, email);
    await expect(page.getByTestId('account-status').textContent()).resolves.toBe('使用中');
    await review(page, 'account');
    expect(thirdParty).toEqual([]);
    await context.close();
  });
});
