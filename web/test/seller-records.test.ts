import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launch, openPage, review } from './support/browser';
import { callFunction, staffIdToken } from './support/seller-api';
import { signUpWithEmail, uniqueEmail } from './support/stack';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe('records requests', () => {
  it('when a seller asks for records, then the download says it is not ready until support fulfils it, and afterwards saves the bundle', async () => {
    const { page, context } = await openPage(browser);
    await signUpWithEmail(page, uniqueEmail('records'));
    await page.getByRole('navigation').getByRole('link', { name: '紀錄申請' }).click();
    await page.getByRole('heading', { name: '紀錄申請' }).waitFor();
    await page.getByLabel('範圍').selectOption('activity');
    await page.getByLabel('備註（選填）').fill('稅務申報需要');
    await review(page, 'records');
    await page.getByRole('button', { name: '送出申請' }).click();
    const reference = (await page.getByTestId('records-reference').textContent())!;
    expect(reference).toMatch(/^REC-\d{4}-\d{6}$/);

    await page.getByRole('button', { name: `下載 ${reference}` }).click();
    await page.getByRole('alert').filter({ hasText: `紀錄申請 ${reference} 尚未完成` }).waitFor();
    await review(page, 'records-pending');

    const fulfilled = await callFunction('adminFulfilRecordRequest', { reference }, `Bearer ${await staffIdToken('support')}`);
    expect(fulfilled).toMatchObject({ status: 200, body: { result: { reference, status: 'fulfilled' } } });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `下載 ${reference}` }).click()]);
    expect(download.suggestedFilename()).toBe(`orderpally-records-${reference}.ndjson`);
    const lines = readFileSync(await download.path(), 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBe((fulfilled.body.result as { lines: number }).lines);
    expect(lines.some((line) => line.includes('records.requested'))).toBe(true);
    await page.getByRole('status').filter({ hasText: `已下載 ${reference}（${lines.length} 筆）` }).waitFor();
    await review(page, 'records-downloaded');
    await context.close();
  });
});
