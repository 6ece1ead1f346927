// The audit log in the browser, the auditor's view: who read whose data, when and why, newest first,
// filtered (by the API: a bad filter is refused beside its field) and paged; never a full resident ID.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser, newPage, screenshot, signInAs, startWebHub, type WebHub } from './browser.js';

/** the hub answers on a shared, loaded machine: a second (the default) is too short to wait for it */
const poll: typeof expect.poll = (fn, options) => expect.poll(fn, { timeout: 10_000, ...options });

const RESIDENT_ID = /\b\d{17}[\dX]\b/;

describeInBrowser('audit log', () => {
  let hub: WebHub;
  let browser: Browser;
  let household: string;
  let identities: number;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startWebHub({ households: 6, agencyFeeds: true }), launchBrowser()]);
    const list = await hub.gql(`{ households(first: 6) { nodes { id district { id } } } }`);
    household = (list.body.data.households.nodes as { id: string; district: { id: string } }[]).find((n) => n.district.id === 'KC-KCZ')!.id;
    const caseworker = hub.as({ sub: 'caseworker@kcz', role: 'CASEWORKER', districts: ['KC-KCZ'] });
    // a caseworker releases the members' identities for a stated purpose, 12 times (12 × members entries), and reads agency data
    for (let i = 0; i < 12; i++) {
      const res = await caseworker.gql(`query($id: ID!) { household(id: $id) { members { identity(purpose: "home visit ${i}") { name } } } }`, {
        id: household,
      });
      expect(res.body.errors).toBeUndefined();
    }
    // a change: its arguments are kept as the detail, with the certificate's resident ID masked
    const members = await caseworker.gql(`query($id: ID!) { household(id: $id) { members { id } } }`, { id: household });
    const recorded = await caseworker.gql(
      `mutation($p: ID!) { recordSpecialDifficulty(input: { personId: $p, kind: LONELY_ELDERLY, certificateNo: "13082719750403035622", issuedBy: "民政局" }) { id } }`,
      { p: members.body.data.household.members[0].id },
    );
    expect(recorded.body.errors).toBeUndefined();
    const read = await caseworker.gql(
      `query($id: ID!) { household(id: $id) { agencySummary { vehicleCount } } }`,
      { id: household },
      { 'x-hub-purpose': 'annual review' },
    );
    expect(read.body.errors).toBeUndefined();
    const log = await hub.as({ sub: 'auditor@test', role: 'AUDITOR' }).gql(`{ auditLog(filter: { action: "IDENTITY" }, first: 1) { totalCount } }`);
    identities = log.body.data.auditLog.totalCount;
    expect(identities).toBeGreaterThan(25);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('lists who read whose data and why, newest first, filters and pages it, and masks every resident ID', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'AUDITOR');
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Audit log');
    const rows = page.locator('table tbody tr');
    await poll(() => rows.count()).toBe(25);
    // newest first: the agency read with its purpose, by the caseworker
    expect(await rows.first().textContent()).toMatch(/caseworker@kcz.*Caseworker.*Read agency data.*annual review/);
    const filters = page.getByRole('search', { name: 'Audit log' });
    await filters.getByLabel('Action').fill('IDENTITY');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await poll(() => page.getByRole('navigation', { name: 'pagination' }).textContent()).toContain(`${identities} in all`);
    const actions = await page.locator('table tbody tr td:nth-child(3)').allTextContents();
    expect(new Set(actions)).toEqual(new Set(['Full identity released']));
    expect(await rows.first().textContent()).toMatch(/home visit 11/);
    expect(await page.locator('table').textContent()).not.toMatch(RESIDENT_ID);
    await screenshot(page, 'audit');

    // the next page carries on where the first ended
    const firstPage = await page.locator('table tbody tr td:last-child small').allTextContents();
    await page.getByRole('button', { name: 'Next' }).click();
    await poll(() => page.getByRole('navigation', { name: 'pagination' }).textContent()).toContain('Page 2');
    await poll(() => rows.count()).toBe(Math.min(25, identities - 25));
    expect(await rows.last().textContent()).toMatch(/home visit 0/);
    const secondPage = await page.locator('table tbody tr td:last-child small').allTextContents();
    expect(firstPage.filter((id) => secondPage.includes(id)).length).toBeLessThan(firstPage.length);

    // a day with no entry; then a household number the API refuses, beside its field
    await filters.getByLabel('To', { exact: true }).fill('2020-01-01');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await poll(() => page.getByText('No entry matches.').isVisible()).toBe(true);
    await filters.getByRole('button', { name: 'Clear' }).click();
    await filters.getByLabel('Household no.').fill('abc');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await poll(() => filters.locator('label.field', { hasText: 'Household no.' }).locator('.field-error').textContent()).toMatch(
      /^Invalid input: expected number/,
    );
    // one household's entries, from a row
    await filters.getByRole('button', { name: 'Clear' }).click();
    await page
      .getByRole('button', { name: `Only household #${household}` })
      .first()
      .click();
    await poll(() => new URL(page.url()).searchParams.get('householdId')).toBe(household);
    expect(await filters.getByLabel('Household no.').inputValue()).toBe(household);
    const households = await page.locator('table tbody tr td:nth-child(4)').allTextContents();
    expect(new Set(households)).toEqual(new Set([`#${household}`]));
  });

  it('shows a change with its arguments as detail, personal data masked', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'AUDITOR');
    await page.goto(`${hub.base}/audit?action=recordSpecialDifficulty`);
    const rows = page.locator('table tbody tr');
    await poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(new RegExp(`caseworker@kcz.*recordSpecialDifficulty.*#${household}`));
    await rows.first().getByText('Show detail').click();
    const detail = rows.first().locator('pre');
    await poll(() => detail.isVisible()).toBe(true);
    expect(JSON.parse((await detail.textContent())!)).toMatchObject({
      input: { kind: 'LONELY_ELDERLY', certificateNo: '130827********035622', issuedBy: '民政局' },
    });
  });

  it('reads in Chinese; an administrator is not shown the log (the API keeps it for auditors)', async () => {
    const page = await newPage(browser, 'zh');
    await signInAs(page, hub.base, 'AUDITOR');
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('审计日志');
    await poll(() => page.locator('table tbody tr').first().textContent()).toMatch(/经办人.*读取部门数据.*annual review/);

    const admin = await newPage(browser, 'en');
    await signInAs(admin, hub.base, 'ADMIN');
    expect(await admin.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    // typed by hand, the address leads to the administrator's home, not to the log
    await admin.goto(`${hub.base}/audit`);
    await poll(() => new URL(admin.url()).pathname).toBe('/households');
    expect(await admin.getByRole('heading', { name: 'Audit log' }).count()).toBe(0);
  });
});
