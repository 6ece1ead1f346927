// Agency data in the browser (read-only): each agency's freshness against the policy's limit —
// fresh, stale, missing — and its last batches with their counts; a live agency is marked so.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publicSecurity } from '../../connectors/public-security/index.js';
import { socialSecurity } from '../../connectors/social-security/index.js';
import { describeInBrowser, launchBrowser, newPage, screenshot, signInAs, startWebHub, type WebHub } from './browser.js';

/** the hub answers on a shared, loaded machine: a second (the default) is too short to wait for it */
const poll: typeof expect.poll = (fn, options) => expect.poll(fn, { timeout: 10_000, ...options });

describeInBrowser('agency data', () => {
  let hub: WebHub;
  let browser: Browser;

  async function feed(mutation: string, type: string, batchKey: string, asOf: string, records: Record<string, unknown[]>) {
    const res = await hub.gql(
      `mutation($key: String!, $asOf: Date, $records: ${type}!) { ${mutation}(batchKey: $key, asOf: $asOf, records: $records) { status } }`,
      { key: batchKey, asOf, records },
    );
    expect(res.body.errors).toBeUndefined();
  }

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startWebHub({ env: { AGENCY_UTILITIES_URL: 'http://127.0.0.1:9' } }), launchBrowser()]);
    const pension = socialSecurity.kinds.pension.example;
    // public security: 120 days old against a 90-day limit; social security: 10 days old against 62, one record rejected
    await feed('submitPublicSecurityFeed', 'PublicSecurityRecords', 'ps-2026-07', '2026-07-26', { hukou: [publicSecurity.kinds.hukou.example] });
    await feed('submitSocialSecurityFeed', 'SocialSecurityRecords', 'ss-2026-11-a', '2026-11-13', {
      pension: [pension, { ...pension, month: '2026-09' }, { ...pension, residentId: 'not an id' }],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('shows each agency fresh, stale or missing against its limit, and its last batches with their counts', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Agency data' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Agency data');
    const summary = page.getByRole('region', { name: 'Summary' });
    const line = (agency: string) => summary.getByRole('row', { name: new RegExp(`^${agency}`) });
    await poll(() => line('Public security').textContent()).toMatch(/Stale.*26 Jul 2026.*120 days.*90 days/);
    expect(await line('Human resources and social security').textContent()).toMatch(/Fresh.*13 Nov 2026.*10 days.*62 days/);
    expect(await line('Civil affairs').textContent()).toMatch(/Missing.*—.*400 days/);
    expect(await line('Water, power and gas suppliers').textContent()).toMatch(/Live API.*Missing.*none set by the policy/);

    const social = page.getByRole('region', { name: 'Human resources and social security', exact: true });
    const rows = social.getByRole('table', { name: /Last batches/ }).locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(/ss-2026-11-a.*13 Nov 2026.*Partly accepted.*3.*2.*1$/);
    expect(await page.getByRole('region', { name: 'Civil affairs', exact: true }).textContent()).toMatch(/Missing.*No batch received yet\./);
    // read-only: nothing to submit or change
    expect(await page.getByRole('main').getByRole('button').count()).toBe(0);
    await screenshot(page, 'agencies');
  });

  it('reads in Chinese, and is neither linked nor routed for a caseworker', async () => {
    const page = await newPage(browser, 'zh');
    await signInAs(page, hub.base, 'ADMIN');
    await page.goto(`${hub.base}/agencies`);
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('部门数据');
    await poll(() =>
      page
        .getByRole('region', { name: '汇总' })
        .getByRole('row', { name: /^公安局/ })
        .textContent(),
    ).toMatch(/已过期.*120 天/);
    await screenshot(page, 'agencies-zh');

    const caseworker = await newPage(browser, 'en');
    await signInAs(caseworker, hub.base, 'CASEWORKER', 'KC-KCZ');
    expect(await caseworker.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Agency data' }).count()).toBe(0);
    await caseworker.goto(`${hub.base}/agencies`);
    await poll(() => caseworker.getByRole('heading', { level: 1 }).textContent()).toBe('Households');
  });
});
