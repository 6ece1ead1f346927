// The waitlist in the browser, each rank explained (bloom#318): the rule that puts a household below
// the one above it and its points by component, by keyboard too; a caseworker reads it in Chinese for
// its own district; and the profile's subsidy panel starts and ends a rent subsidy, whose years count
// in the household's points.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeResidentId } from '../../src/domain/resident-id.js';
import { describeInBrowser, launchBrowser, newPage, screenshot, signInAs, startWebHub, type WebHub } from './browser.js';
import { endSubsidyInBrowser, explainRankInBrowser, startSubsidyInBrowser, subsidyPanel } from './steps/programme.js';

const DISTRICT = 'KC-EYY';

describeInBrowser('waitlist and subsidy', () => {
  let hub: WebHub;
  let browser: Browser;
  let sequence = 800;
  const ids: Record<string, string> = {};

  /** registers a one-person household and approves it onto the district's waitlist */
  async function waitlisted(name: string, floorArea: number, applicationDate: string): Promise<string> {
    sequence += 1;
    const reg = await hub.gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id application { id } } }`, {
      input: {
        districtId: DISTRICT,
        category: 'LOCAL',
        applicationDate,
        members: [{ residentId: makeResidentId('130827', '1970-01-01', sequence, 'MALE'), name, birthDate: '1970-01-01', relation: 'HEAD' }],
        currentHousing: { floorArea, tenure: floorArea === 0 ? 'NONE' : 'RENTED' },
      },
    });
    expect(reg.body.errors).toBeUndefined();
    for (let i = 0; i < 4; i++) {
      const res = await hub.gql(`mutation($input: AdvanceApplicationInput!) { advanceApplication(input: $input) { stage } }`, {
        input: { applicationId: reg.body.data.registerHousehold.application.id, on: '2026-03-02' },
      });
      expect(res.body.errors).toBeUndefined();
    }
    return reg.body.data.registerHousehold.id;
  }

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startWebHub(), launchBrowser()]);
    ids['a'] = await waitlisted('赵一鸣', 11, '2025-09-01'); // 4 + 10 points
    ids['b'] = await waitlisted('钱二宝', 3, '2025-10-01'); // 14 + 10
    ids['c'] = await waitlisted('孙三强', 3, '2025-08-01'); // 14 + 10, applied before b
    ids['d'] = await waitlisted('李四海', 0, '2026-02-01'); // no housing: 25 + 10
    ids['e'] = await waitlisted('周五福', 3, '2025-10-01'); // as b, registered after it
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  const table = (page: Page) => page.getByRole('table', { name: /^(Waitlist|轮候名单)$/ });

  it('ranks the district’s households and explains each rank, component by component', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    await page.goto(`${hub.base}/waitlist?district=${DISTRICT}`);
    await expect.poll(() => table(page).locator('tbody tr').count()).toBe(5);
    expect(await table(page).locator('tbody tr td:nth-child(2) a').allTextContents()).toEqual(['李**', '孙**', '钱**', '周**', '赵**']);
    expect(await table(page).locator('tbody tr td:nth-child(3)').allTextContents()).toEqual(['35', '24', '24', '24', '14']);
    expect(await page.getByText(/^Order: Guiyang points, highest first/).isVisible()).toBe(true);

    // rank 3: the same points as rank 2, applied later
    const why3 = page.getByRole('button', { name: 'Why rank 3?' });
    await why3.click();
    expect(await why3.getAttribute('aria-expanded')).toBe('true');
    const third = page.getByRole('region', { name: 'Why 钱** is rank 3' });
    await expect
      .poll(() => third.locator('p').textContent())
      .toBe('Why rank 3: The same 24 points as rank 2 (孙**), but applied later (1 Oct 2025, against 1 Aug 2025).');
    const breakdown = third.getByRole('table', { name: 'Points breakdown' });
    expect(
      await breakdown
        .getByRole('row', { name: /Housing hardship/ })
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['3 m² per person', '2–4 m² per person', '14']);
    expect(
      await breakdown
        .getByRole('row', { name: /Family structure/ })
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['1 generation', 'one generation', '10']);
    expect(
      await breakdown
        .getByRole('row', { name: /Years on rent subsidy/ })
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['not subsidised', 'no points', '0']);
    expect(await breakdown.getByRole('row', { name: /Total/ }).textContent()).toBe('Total24');

    // by keyboard: rank 4 ties on the application day too; rank 5 has fewer points
    await page.getByRole('button', { name: 'Why rank 4?' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('region', { name: 'Why 周** is rank 4' }).locator('p').textContent())
      .toBe('Why rank 4: The same 24 points and application day (1 Oct 2025) as rank 3 (钱**), but registered after it.');
    await page.keyboard.press('Tab'); // the next row's household link, then its button
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('赵**');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Why rank 5?');
    await page.keyboard.press('Space');
    await expect
      .poll(() => page.getByRole('region', { name: 'Why 赵** is rank 5' }).locator('p').textContent())
      .toBe('Why rank 5: 14 points, fewer than the 24 of rank 4 (周**).');
    await page.getByRole('button', { name: 'Why rank 3?' }).click(); // one open at a time
    await screenshot(page, 'waitlist');
    await page.setViewportSize({ width: 820, height: 1180 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
    await screenshot(page, 'waitlist-tablet');
  });

  it('in Chinese, a caseworker sees its own district only, with the explanation', async () => {
    const page = await newPage(browser, 'zh');
    await signInAs(page, hub.base, 'CASEWORKER', DISTRICT);
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '轮候' }).click();
    await expect.poll(() => table(page).locator('tbody tr').count()).toBe(5);
    const choices = await page.getByRole('search', { name: '选择辖区' }).getByRole('option').allTextContents();
    expect(choices).toEqual(["峪耳崖镇 Yu'erya"]);
    await page.getByRole('button', { name: '为何排第 1？' }).click();
    const first = page.getByRole('region', { name: '第 1 名 李** 的排名说明' });
    await expect.poll(() => first.locator('p').textContent()).toBe('为何排第 1： 积分最高（35 分），排在首位。');
    expect(
      await first
        .getByRole('row', { name: /住房困难程度/ })
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['无住房', '无住房', '25']);
    await screenshot(page, 'waitlist-zh');
  });

  it('the subsidy panel starts and ends a rent subsidy; its years count in the points', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'CASEWORKER', DISTRICT);
    await page.goto(`${hub.base}/households/${ids['a']}`);
    const panel = page.getByRole('region', { name: 'Rent subsidy (KC-26)' });
    await expect.poll(() => panel.textContent()).toMatch(/No rent subsidy is running/);
    const start = panel.getByRole('form', { name: 'Start the subsidy' });
    // a caseworker starts at the standard only: no amount to choose, the standard said
    expect(await start.getByLabel('Monthly amount (yuan)').count()).toBe(0);
    const standard = (await hub.gql(`{ policy(id: "KC") { parameters { code value } } }`)).body.data.policy.parameters.find(
      (p: { code: string }) => p.code === 'SUBSIDY.PER_CAPITA_MONTHLY',
    ).value as number;
    expect(await start.locator('.form-note').textContent()).toMatch(
      new RegExp(`^At the standard: (CN)?¥${standard.toFixed(2)} a month \\((CN)?¥${standard.toFixed(2)} × 1 member\\)$`),
    );
    await start.getByLabel('Start date').fill('2026-01-01'); // before it was waitlisted: refused beside the date
    await start.getByRole('button', { name: 'Start the subsidy' }).click();
    await expect.poll(() => start.locator('.field-invalid').textContent()).toMatch(/Start date.*must not be before the household was waitlisted/);
    await startSubsidyInBrowser(page, hub.base, ids['a']!, { startDate: '2026-04-01' });
    await expect.poll(() => panel.textContent()).toMatch(/StateRunning.*Since1 Apr 2026/);
    expect(
      (await hub.gql(`query($id: ID!) { household(id: $id) { status subsidy { startDate monthlyAmount } } }`, { id: ids['a'] })).body.data.household,
    ).toEqual({
      status: 'SUBSIDISED',
      subsidy: { startDate: '2026-04-01', monthlyAmount: standard },
    });
    // on the waitlist, the years on subsidy now earn points
    await page.goto(`${hub.base}/waitlist`);
    const row = table(page).getByRole('row').filter({ hasText: '赵**' });
    await expect.poll(() => row.textContent()).toMatch(/Subsidised/);
    await row.getByRole('button').click();
    const subsidyRow = page.getByRole('region', { name: /Why 赵\*\*/ }).getByRole('row', { name: /Years on rent subsidy/ });
    await expect
      .poll(() => subsidyRow.getByRole('cell').allTextContents())
      .toEqual([expect.stringMatching(/^0\.6\d years$/), 'half a year to a year', expect.stringMatching(/^\d+$/)]);

    await endSubsidyInBrowser(page, hub.base, ids['a']!, { endDate: '2026-11-01', reason: 'moved in with relatives' });
    await expect.poll(() => panel.getByRole('table', { name: 'Earlier subsidies' }).textContent()).toMatch(/1 Apr 2026 – 1 Nov 2026.*moved in with relatives/);
    expect((await hub.gql(`query($id: ID!) { household(id: $id) { status subsidy { id } } }`, { id: ids['a'] })).body.data.household).toEqual({
      status: 'WAITLISTED',
      subsidy: null,
    });
    await screenshot(page, 'subsidy');
  });

  it('a manager starts a subsidy at another amount; the household climbs, and its new rank is explained', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    await startSubsidyInBrowser(page, hub.base, ids['e']!, { startDate: '2026-04-01', monthlyAmount: 200 });
    await expect.poll(() => subsidyPanel(page).textContent()).toMatch(/Per month(CN)?¥200\.00/);
    const stored = await hub.gql(`query($id: ID!) { household(id: $id) { subsidy { monthlyAmount startedBy } } }`, { id: ids['e'] });
    expect(stored.body.data.household.subsidy).toEqual({ monthlyAmount: 200, startedBy: 'demo-manager' });
    // 24 points and half a year to a year on subsidy: second, behind the household without housing
    const why = await explainRankInBrowser(page, hub.base, DISTRICT, 2);
    expect(why).toMatch(/^Why rank 2: \d+ points, fewer than the 35 of rank 1 \(李\*\*\)\.$/);
    expect(await page.getByRole('region', { name: 'Why 周** is rank 2' }).count()).toBe(1);
  });
});
