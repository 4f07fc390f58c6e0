import type { Browser } from 'playwright-core';
import { launch, openPage, review } from './support/browser';
import { callFunction } from './support/seller-api';
import { signUpWithEmail, uniqueEmail } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe('API keys', () => {
  it('when a seller creates a key, then it is shown once with a copy button and listed; once revoked (after confirming) it is shown revoked and no longer opens the account', async () => {
    const { page, context } = await openPage(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: process.env.WEB_URL });
    await signUpWithEmail(page, uniqueEmail('keys'));
    await page.getByRole('navigation').getByRole('link', { name: 'API 金鑰' }).click();
    await page.getByRole('heading', { name: 'API 金鑰' }).waitFor();
    await page.getByText('尚未建立任何金鑰。').waitFor();

    await page.getByLabel('名稱').fill('倉庫系統');
    await page.getByRole('button', { name: '建立金鑰' }).click();
    const shown = page.getByTestId('new-key-value');
    const key = (await shown.textContent())!;
    expect(key.length).toBeGreaterThan(20);
    await expect(page.getByTestId('new-key').textContent()).resolves.toContain('只會顯示這一次');
    await page.getByRole('button', { name: '複製金鑰' }).click();
    await page.getByText('已複製。').waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(key);
    const row = page.getByTestId('api-key-row').filter({ hasText: '倉庫系統' });
    await row.waitFor();
    await expect(row.textContent()).resolves.not.toContain(key);
    await review(page, 'api-keys-created');

    // The key works until it is revoked.
    expect((await callFunction('getAccount', null, `ApiKey ${key}`)).status).toBe(200);

    // Shown once: after a reload only the list remains, without the key.
    await page.reload();
    await row.waitFor();
    await expect(page.getByText(key).count()).resolves.toBe(0);

    await row.getByRole('button', { name: '撤銷' }).click();
    const dialog = page.getByRole('dialog', { name: '要撤銷金鑰「倉庫系統」嗎？' });
    await review(page, 'api-keys-revoke-confirm');
    await dialog.getByRole('button', { name: '確定撤銷' }).click();
    await page.getByRole('status').filter({ hasText: '已撤銷金鑰「倉庫系統」。' }).waitFor();
    await row.getByText(/已於 .+ 撤銷/).waitFor();
    await expect(row.getByRole('button', { name: '撤銷' }).count()).resolves.toBe(0);
    await review(page, 'api-keys-revoked');

    const refused = await callFunction('getAccount', null, `ApiKey ${key}`);
    expect(refused.body.error?.details?.reason).toBe('API_KEY_REVOKED');
    await context.close();
  });
});
