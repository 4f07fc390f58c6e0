import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`): Playwright's own browser download is not used. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const WEB_URL = (): string => process.env.WEB_URL!;
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };
const SHOTS = path.join(__dirname, '..', '..', 'test-results', 'screenshots');

/** Starts Chromium headless (no sandbox: CI runs as root). */
export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** A page and every request it made to a host other than this machine (there must be none). */
export interface TrackedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly thirdParty: string[];
}

/**
 * A fresh browser context (no session), on a phone-sized screen by default, in zh-TW, and in a
 * time zone far from Taipei so dates that show Taipei time do so on purpose.
 */
export async function openPage(browser: Browser, viewport = PHONE): Promise<TrackedPage> {
  const context = await browser.newContext({ viewport, locale: 'zh-TW', timezoneId: 'America/New_York' });
  const thirdParty: string[] = [];
  context.on('request', (request) => {
    const { hostname, protocol } = new URL(request.url());
    if ((protocol === 'http:' || protocol === 'https:') && hostname !== '127.0.0.1' && hostname !== 'localhost') thirdParty.push(request.url());
  });
  const page = await context.newPage();
  return { context, page, thirdParty };
}

/** Saves the page at phone and desktop width into web/test-results/screenshots (git-ignored). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const original = page.viewportSize();
  for (const [label, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/** axe-core's serious and critical violations on the page as it is now (there must be none). */
export async function seriousViolations(page: Page): Promise<Array<{ id: string; impact: string | null | undefined; targets: string[] }>> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Screenshots plus the accessibility check, for every page a test reaches. */
export async function review(page: Page, name: string): Promise<void> {
  await screenshots(page, name);
  expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
}
