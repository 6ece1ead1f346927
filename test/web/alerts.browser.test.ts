// The alerts inbox: alerts a utilities feed raises appear while the inbox is open (counted as new),
// the filters narrow the list as the API does, a manager acknowledges, assigns, resolves with a
// note and opens an exit case from an alert; the case is then worked on the household's profile:
// notice, appeal, decision, exit inspection and completion, and the unit is free again.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_TODAY } from '../helpers/hub.js';
import { alertSubscriptionSent, feedVacancy } from './steps/flow.js';
import { describeInBrowser, launchBrowser, newPage, screenshot, signInAs, startWebHub, type WebHub } from './browser.js';

/** fills a dialog's date input by its label (the hub's working day, not this machine's) */
async function date(page: Page, dialog: ReturnType<Page['getByRole']>, label: string | RegExp, value = TEST_TODAY) {
  await dialog.getByLabel(label).fill(value);
}

describeInBrowser('alerts inbox', () => {
  let hub: WebHub;
  let browser: Browser;
  let housed: { id: string; unit: string; district: string }[];

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startWebHub({ households: 40 }), launchBrowser()]);
    const res = await hub.gql(`{ households(filter: { status: HOUSED }, first: 50) { nodes { id district { id } tenancy { unit { id } } } } }`);
    const nodes = res.body.data.households.nodes as { id: string; district: { id: string }; tenancy: { unit: { id: string } } | null }[];
    housed = nodes.filter((n) => n.tenancy).map((n) => ({ id: n.id, unit: n.tenancy!.unit.id, district: n.district.id }));
    expect(housed.length).toBeGreaterThanOrEqual(2);
    // one alert before anyone looks
    expect(await feedVacancy(hub, housed[0]!.unit, 'ut-before')).toBeGreaterThanOrEqual(1);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('shows the inbox in Chinese, with its filters', async () => {
    const page = await newPage(browser, 'zh');
    await signInAs(page, hub.base, 'MANAGER');
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '预警' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('预警');
    await expect.poll(() => page.getByRole('cell', { name: /连续6个月空置/ }).count()).toBeGreaterThan(0);
    // the recommended action in Chinese too
    expect(await page.getByText('上门核查并启动解除租赁').count()).toBeGreaterThan(0);
    expect(await page.getByRole('search').getByLabel('严重程度').locator('option').allTextContents()).toEqual(['全部', '高', '中', '低']);
    await screenshot(page, 'alerts-zh');
    await page.close();
  });

  it('receives a new alert live, filters, acknowledges, assigns, resolves with a note', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    const listening = alertSubscriptionSent(page);
    await page.goto(`${hub.base}/alerts`);
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const before = await rows.count();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Live' }).count()).toBe(1);
    // once the inbox has subscribed, the agency feeds
    await listening;
    expect(await feedVacancy(hub, housed[1]!.unit, 'ut-live')).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.getByText(/^\d+ new alerts$/).textContent(), { timeout: 10_000 }).toMatch(/^[1-9]\d* new alerts$/);
    await expect.poll(() => rows.count()).toBeGreaterThan(before);
    const live = page.locator('tr', { has: page.getByRole('link', { name: `Household #${housed[1]!.id}` }) }).first();
    await expect.poll(() => live.getByText('New', { exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Mark as seen' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Live' }).count()).toBe(1);
    expect(await page.getByText('New', { exact: true }).count()).toBe(0);

    // filters: HIGH only, then the vacancy rule in the live household's district
    await page.getByRole('search').getByLabel('Severity').selectOption('HIGH');
    await expect.poll(() => page.url()).toContain('severity=HIGH');
    await expect.poll(async () => (await page.locator('table tbody tr td:nth-child(2)').allTextContents()).every((c) => c.startsWith('High'))).toBe(true);
    await page.getByRole('search').getByLabel('Rule').selectOption('VACANCY_EXIT');
    await page.getByRole('search').getByLabel('District').selectOption(housed[1]!.district);
    await expect.poll(() => page.getByRole('link', { name: `Household #${housed[1]!.id}` }).count()).toBe(1);
    await page.getByRole('search').getByLabel('Status').selectOption('RESOLVED');
    await expect.poll(() => page.getByText('No alerts match.').isVisible()).toBe(true);
    await page.getByRole('search').getByLabel('Status').selectOption('');

    const row = page.locator('tr', { has: page.getByRole('link', { name: `Household #${housed[1]!.id}` }) });
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => row.getByText('Acknowledged', { exact: true }).count()).toBe(1);

    await row.getByRole('button', { name: 'Assign' }).click();
    const assign = page.getByRole('dialog', { name: /Assign alert/ });
    await assign.getByRole('button', { name: 'Assign to me' }).click();
    expect(await assign.getByLabel('Assign to').inputValue()).toBe('demo-manager');
    await assign.getByLabel('Note').fill('I will visit on Monday');
    await assign.getByRole('button', { name: 'Assign', exact: true }).click();
    await expect.poll(() => row.getByRole('cell', { name: 'demo-manager' }).count()).toBe(1);

    await row.getByRole('button', { name: 'Resolve' }).click();
    const resolve = page.getByRole('dialog', { name: /Resolve alert/ });
    await resolve.getByLabel('Resolution note').fill('the family was away caring for a parent; back now');
    await screenshot(page, 'alerts-resolve');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => row.getByText('Resolved', { exact: true }).count()).toBe(1);
    expect(await row.getByRole('button').count()).toBe(0);
    await row.getByText('History').click();
    await expect.poll(() => row.getByText(/Resolved · demo-manager · the family was away caring for a parent; back now/).isVisible()).toBe(true);

    const stored = await hub.gql(
      `{ alerts(filter: { householdId: "${housed[1]!.id}", rule: "VACANCY_EXIT" }) { nodes { status assignee history { status by note } } } }`,
    );
    expect(stored.body.data.alerts.nodes[0]).toMatchObject({ status: 'RESOLVED', assignee: 'demo-manager' });
    expect(stored.body.data.alerts.nodes[0].history.map((h: { note: string | null }) => h.note)).toContain('the family was away caring for a parent; back now');
    await screenshot(page, 'alerts');
    await page.close();
  });

  it('opens an exit case from an alert and works it on the profile until the unit is free again', async () => {
    const page = await newPage(browser, 'en');
    const target = housed[0]!;
    await signInAs(page, hub.base, 'CASEWORKER', target.district);
    await page.goto(`${hub.base}/alerts?rule=VACANCY_EXIT`);
    const row = page.locator('tr', { has: page.getByRole('link', { name: `Household #${target.id}` }) });
    await row.getByRole('button', { name: 'Open exit case' }).click();
    const open = page.getByRole('dialog', { name: /Open an exit case/ });
    expect(await open.getByLabel('Ground').inputValue()).toBe('NOT_LIVING_IN_UNIT');
    await open.getByRole('button', { name: 'Open exit case' }).click();
    await expect.poll(() => row.getByRole('link', { name: /Exit case #\d+/ }).count()).toBe(1);
    await row.getByRole('link', { name: /Exit case #\d+/ }).click();

    const panel = page.getByRole('region', { name: 'Exit cases' });
    await expect.poll(() => panel.getByText('Open', { exact: true }).count()).toBe(1);
    // serve the notice, with the policy's days to leave
    await panel.getByRole('button', { name: 'Serve notice' }).click();
    let dialog = page.getByRole('dialog', { name: 'Serve the notice to leave' });
    await date(page, dialog, 'Served on');
    await dialog.getByRole('button', { name: 'Serve notice' }).click();
    await expect.poll(() => panel.getByText('Notice served', { exact: true }).count()).toBe(1);
    // the household appeals; the appeal is dismissed
    await panel.getByRole('button', { name: 'Record appeal' }).click();
    dialog = page.getByRole('dialog', { name: 'Record the household’s appeal' });
    await date(page, dialog, 'Lodged on');
    await dialog.getByLabel('Note').fill('we were away for work');
    await dialog.getByRole('button', { name: 'Record appeal' }).click();
    await expect.poll(() => panel.getByText('Appealed', { exact: true }).count()).toBe(1);
    await panel.getByRole('button', { name: 'Decide appeal' }).click();
    dialog = page.getByRole('dialog', { name: 'Decide the appeal' });
    await dialog.getByLabel('Dismissed (the notice stands)').check();
    await date(page, dialog, 'Date');
    await dialog.getByLabel('Note').fill('no evidence of living there');
    await dialog.getByRole('button', { name: 'Decide appeal' }).click();
    await expect.poll(() => panel.getByText('Notice served', { exact: true }).count()).toBe(1);
    expect(await panel.getByRole('button', { name: 'Record appeal' }).count()).toBe(0);
    // completion: the exit inspection needs two staff; one is refused next to the field
    await panel.getByRole('button', { name: 'Complete exit' }).click();
    dialog = page.getByRole('dialog', { name: 'Inspect the unit and complete the exit' });
    await date(page, dialog, 'Inspected on');
    await dialog.getByLabel(/Inspecting staff/).fill('Wang');
    await dialog.getByLabel('Findings').fill('unit cleared, keys returned');
    await date(page, dialog, 'Left on');
    await dialog.getByRole('button', { name: 'Complete exit' }).click();
    await expect.poll(() => dialog.getByRole('alert').first().textContent()).toMatch(/at least 2 different staff/);
    await screenshot(page, 'exit-complete-dialog');
    await dialog.getByLabel(/Inspecting staff/).fill('Wang, Li');
    await dialog.getByRole('button', { name: 'Complete exit' }).click();
    await expect.poll(() => panel.getByText('Completed', { exact: true }).count()).toBe(1);
    await expect.poll(() => page.locator('.page-header').textContent()).toContain('Exited');
    await panel.getByText('History').click();
    await screenshot(page, 'exit-case');

    const unit = await hub.gql(
      `{ housingUnit(id: "${target.unit}") { status } exitCases(filter: { householdId: "${target.id}" }) { nodes { status history { action } } } }`,
    );
    expect(unit.body.data.housingUnit.status).toBe('FREE');
    expect(unit.body.data.exitCases.nodes[0].history.map((h: { action: string }) => h.action)).toEqual([
      'OPENED',
      'NOTICE_SERVED',
      'APPEAL_LODGED',
      'APPEAL_DISMISSED',
      'COMPLETED',
    ]);

    // the exit cases list shows it, and a caseworker of this district sees only this district's
    await page.goto(`${hub.base}/cases`);
    await expect.poll(() => page.getByRole('link', { name: `Household #${target.id}` }).count()).toBe(1);
    // the district filter offers only the caseworker's own district
    expect(await page.getByRole('search').getByLabel('District').locator('option').allTextContents()).toHaveLength(2);
    await page.getByRole('search').getByLabel('Status').selectOption('WITHDRAWN');
    await expect.poll(() => page.getByText('No exit cases match.').isVisible()).toBe(true);
    await page.close();
  });

  it('opens an exit case on the profile (in Chinese) and withdraws it with a reason', async () => {
    const target = housed[1]!;
    const zh = await newPage(browser, 'zh');
    await signInAs(zh, hub.base, 'CASEWORKER', target.district);
    await zh.goto(`${hub.base}/households/${target.id}`);
    const zhPanel = zh.getByRole('region', { name: '退出案件' });
    await expect.poll(() => zhPanel.getByText('没有进行中的退出案件。').count()).toBe(1);
    expect(await zh.getByRole('region', { name: '申请审核' }).count()).toBe(1);
    await zh.goto(`${hub.base}/cases`);
    await expect.poll(() => zh.getByRole('heading', { level: 1 }).textContent()).toBe('退出案件');
    await zh.close();

    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'CASEWORKER', target.district);
    await page.goto(`${hub.base}/households/${target.id}`);
    const panel = page.getByRole('region', { name: 'Exit cases' });
    await panel.getByRole('button', { name: 'Open exit case' }).click();
    let dialog = page.getByRole('dialog', { name: 'Open an exit case' });
    await dialog.getByLabel('Ground').selectOption('SUBLET_LENT_OR_SWAPPED');
    await date(page, dialog, 'Opened');
    await dialog.getByLabel('Summary').fill('a neighbour reports another family living there');
    await dialog.getByRole('button', { name: 'Open exit case' }).click();
    await expect.poll(() => panel.getByText('Open', { exact: true }).count()).toBe(1);
    expect(await panel.getByText('Sublet, lent or swapped', { exact: false }).count()).toBe(1);
    await panel.getByRole('button', { name: 'Withdraw case' }).click();
    dialog = page.getByRole('dialog', { name: 'Withdraw the exit case' });
    await date(page, dialog, 'Date');
    await dialog.getByRole('button', { name: 'Withdraw case' }).click();
    // the reason is required before anything is sent
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByLabel('Reason').fill('the report was about the flat next door');
    await dialog.getByRole('button', { name: 'Withdraw case' }).click();
    await expect.poll(() => panel.getByText('Withdrawn', { exact: true }).count()).toBe(1);
    expect(await panel.getByRole('button', { name: 'Open exit case' }).count()).toBe(1);
    const stored = await hub.gql(`{ exitCases(filter: { householdId: "${target.id}" }) { nodes { status history { action note } } } }`);
    expect(stored.body.data.exitCases.nodes[0]).toEqual({
      status: 'WITHDRAWN',
      history: [
        { action: 'OPENED', note: 'a neighbour reports another family living there' },
        { action: 'WITHDRAWN', note: 'the report was about the flat next door' },
      ],
    });
    await page.close();
  });

  it('an alert consumer reads the inbox but is offered no action', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'ALERT_CONSUMER', housed[0]!.district);
    await page.goto(`${hub.base}/alerts`);
    await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('table tbody').getByRole('button').count()).toBe(0);
    expect(await page.locator('table tbody').getByRole('link').count()).toBe(0);
    await page.close();
  });
});
