// The dashboard is served by the hub at / and a person signs in: with a demo role in development,
// with a pasted token otherwise; the screens follow the role, and a caseworker of one district
// cannot reach another district's household by its URL.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser, newPage, screenshot, signInAs, signInWithToken, startWebHub, type WebHub } from './browser.js';

describeInBrowser('dashboard sign-in and scope', () => {
  let hub: WebHub;
  let browser: Browser;
  let own: string;
  let elsewhere: string;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startWebHub({ households: 12 }), launchBrowser()]);
    const page = await hub.gql(`{ households(first: 12) { nodes { id district { id } } } }`);
    const nodes = page.body.data.households.nodes as { id: string; district: { id: string } }[];
    own = nodes.find((n) => n.district.id === 'KC-KCZ')!.id;
    elsewhere = nodes.find((n) => n.district.id !== 'KC-KCZ')!.id;
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('serves the app in Chinese first, and signs a caseworker in to their district only', async () => {
    const page = await newPage(browser, 'zh');
    await page.goto(`${hub.base}/`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('住房保障核查中心');
    await screenshot(page, 'sign-in');
    await signInAs(page, hub.base, 'CASEWORKER', 'KC-KCZ');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('住户');
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const districts = await page.locator('table tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(districts).size).toBe(1);
    // the menu offers only what a caseworker may open
    const menu = page.getByRole('navigation', { name: '主菜单' });
    expect(await menu.getByRole('link', { name: '审计日志' }).count()).toBe(0);
    await screenshot(page, 'households');

    await page.goto(`${hub.base}/households/${own}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`住户 #${own}`);
    await page.goto(`${hub.base}/households/${elsewhere}`);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/未找到|无权/);
    expect(await page.getByRole('heading', { name: `住户 #${elsewhere}` }).count()).toBe(0);
  });

  it('signs in with a pasted token, in English, and forgets it when the tab session ends', async () => {
    const page = await newPage(browser, 'en');
    const token = await hub.as({ sub: 'auditor@test', role: 'AUDITOR' }).token;
    await signInWithToken(page, hub.base, token!);
    const menu = page.getByRole('navigation', { name: 'Main menu' });
    expect(await menu.getByRole('link').allTextContents()).toEqual(['Audit log']);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('form', { name: 'Sign in with an API key or token' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('hub.session'))).toBeNull();
  });

  it('refuses a bad token with the reason, and the demo sign-in refuses a caseworker without a district', async () => {
    const page = await newPage(browser, 'en');
    await signInWithToken(page, hub.base, 'not-a-token').catch(() => undefined);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Sign-in refused/);
    const res = await fetch(`${hub.base}/auth/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'CASEWORKER' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { extensions: { field: string } }[] }).errors[0]!.extensions.field).toBe('districts');
  });
});
