// Browser tests drive Debian's Chromium (/usr/bin/chromium, `apt-get install -y chromium`) with
// playwright-core; no browser is ever downloaded. Without Chromium they are skipped, and say so.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { startTestHub, type TestHub, type TestHubOptions } from '../helpers/hub.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const hasBrowser = existsSync(CHROMIUM);
const SCREENS = path.resolve('test-results/screens');

/** `describe` that runs only where Chromium is installed, and says plainly when it is not */
export function describeInBrowser(name: string, body: () => void): void {
  if (!hasBrowser) console.warn(`browser tests skipped (${name}): no Chromium at ${CHROMIUM}; install Debian's with apt-get install -y chromium`);
  describe.skipIf(!hasBrowser)(name, body);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface WebHub extends TestHub {
  /** the dashboard's address, e.g. http://127.0.0.1:40123 */
  base: string;
}

/** a hub serving the dashboard (built by the global setup) on a test database */
export async function startWebHub(options: TestHubOptions = {}): Promise<WebHub> {
  const hub = await startTestHub(options);
  return Object.assign(hub, { base: hub.url.replace(/\/graphql$/, '') });
}

/** a new page (own session storage) with the language set, failing the test on a page error */
export async function newPage(browser: Browser, language: 'zh' | 'en' = 'en'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: language === 'zh' ? 'zh-CN' : 'en-GB' });
  await context.addInitScript((lang) => localStorage.setItem('hub.language', lang), language);
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

/** signs in through the development sign-in form, as a person at the dashboard would */
export async function signInAs(page: Page, base: string, role: string, district?: string): Promise<void> {
  await page.goto(`${base}/`);
  const form = page.getByRole('form', { name: /demo sign-in|演示登录/i });
  await form.getByLabel(/role|角色/i).selectOption(role);
  if (district) await form.getByLabel(/district|辖区/i).selectOption(district);
  await form.getByRole('button').click();
  await expect.poll(() => page.getByRole('navigation', { name: /main menu|主菜单/i }).isVisible()).toBe(true);
}

/** signs in by pasting a token (production's way) */
export async function signInWithToken(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/`);
  const form = page.getByRole('form', { name: /api key or token|API 密钥或令牌/i });
  await form.getByLabel(/api key or token|API 密钥或令牌/i).fill(token);
  await form.getByRole('button').click();
  await expect.poll(() => page.getByRole('navigation', { name: /main menu|主菜单/i }).isVisible()).toBe(true);
}

/** writes test-results/screens/<name>.png (not committed): look at them after a run */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });
}
