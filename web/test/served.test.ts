import type { Browser } from 'playwright-core';
import { launch, openPage, review } from './support/browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser.close();
});

describe('how the web client is served', () => {
  it('when the page is fetched, then it carries the strict Content-Security-Policy and the other security headers of web/security-headers.mjs', async () => {
    const response = await fetch(`${process.env.WEB_URL}/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp.split('; ')).toEqual(expect.arrayContaining(["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]));
    // Only this machine's functions and Auth emulator besides the page's own origin.
    const connect = csp.split('; ').find((d) => d.startsWith('connect-src'))?.split(' ').slice(1) ?? [];
    expect(connect.filter((source) => source !== "'self'" && !source.startsWith('http://127.0.0.1:'))).toEqual([]);
    expect({
      nosniff: response.headers.get('x-content-type-options'),
      referrer: response.headers.get('referrer-policy'),
      opener: response.headers.get('cross-origin-opener-policy'),
    }).toEqual({ nosniff: 'nosniff', referrer: 'no-referrer', opener: 'same-origin-allow-popups' });
    // No inline script: every script is a file of the page's own origin.
    const html = await response.text();
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => / src="\/assets\//.test(tag))).toBe(true);
  });

  it('when a signed-out reader opens a deep link, then the app answers with the sign-in page in zh-TW, without any Content-Security-Policy violation, and switches to English on request', async () => {
    const { page, context, thirdParty } = await openPage(browser);
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${process.env.WEB_URL}/console`);
    await page.getByRole('heading', { name: '登入' }).waitFor();
    await review(page, 'sign-in');
    // Keyboard first: Tab reaches the skip link, which shows itself, then the controls in reading order.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => ({ text: document.activeElement?.textContent, onScreen: document.activeElement!.getBoundingClientRect().left >= 0 }))).toEqual({ text: '跳至主要內容', onScreen: true });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id && document.querySelector(`label[for="${document.activeElement.id}"]`)?.textContent)).toBe('電子郵件');
    await page.getByLabel('語言').selectOption('en');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await review(page, 'sign-in-en');
    expect({ violations, thirdParty }).toEqual({ violations: [], thirdParty: [] });
    await context.close();
  });
});
