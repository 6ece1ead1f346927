// Special difficulties and qualification exceptions, worked from the household profile's panels:
// recorded, refused with the API's reason beside the field it names, removed/revoked with a reason
// in a dialog; a caseworker sees the exceptions but is not offered to grant one.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser, newPage, screenshot, signInAs, startWebHub, type WebHub } from './browser.js';

/** the hub answers on a shared, loaded machine: a second (the default) is too short to wait for it */
const poll: typeof expect.poll = (fn, options) => expect.poll(fn, { timeout: 10_000, ...options });

/** the error shown inside the labelled field */
const fieldError = (scope: ReturnType<Page['locator']>, label: string) => scope.locator('label.field', { hasText: label }).locator('.field-error');

describeInBrowser('special difficulties and qualification exceptions on the profile', () => {
  let hub: WebHub;
  let browser: Browser;
  let household: string;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startWebHub({ households: 6 }), launchBrowser()]);
    const res = await hub.gql(`{ households(first: 6) { nodes { id district { id } } } }`);
    household = (res.body.data.households.nodes as { id: string; district: { id: string } }[]).find((n) => n.district.id === 'KC-KCZ')!.id;
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('records a special difficulty, shows the API refusals beside their fields, and removes it with a reason', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    await page.goto(`${hub.base}/households/${household}`);
    const panel = page.getByRole('region', { name: 'Special difficulties' });
    await poll(() => panel.getByText('No special difficulty recorded.').isVisible()).toBe(true);

    const form = panel.getByRole('form', { name: 'Record a special difficulty' });
    await form.getByLabel('Member').selectOption({ index: 1 });
    await form.getByLabel('Difficulty').selectOption('DISABILITY_2');
    await form.getByLabel('Issued by').fill('宽城县残疾人联合会');
    await form.getByRole('button', { name: 'Record special difficulty' }).click();
    // the certificate number was left empty: the API names the field, the form shows it there
    await poll(() => fieldError(form, 'Certificate no.').textContent()).toMatch(/must not be empty/);

    await form.getByLabel('Certificate no.').fill('13082719750403035622');
    await form.getByRole('button', { name: 'Record special difficulty' }).click();
    await poll(() => panel.getByRole('status').textContent()).toBe('Recorded.');
    const row = panel.locator('tbody tr', { hasText: 'Disability, grade 2' });
    await poll(() => row.textContent()).toMatch(/Active/);
    // the resident ID inside the certificate number is masked
    expect(await row.textContent()).toContain('130827********035622');
    expect(await fieldError(form, 'Certificate no.').count()).toBe(0);

    // another grade for the same member: a conflict on the kind, shown beside it
    await form.getByLabel('Member').selectOption({ index: 1 });
    await form.getByLabel('Difficulty').selectOption('DISABILITY_3');
    await form.getByLabel('Certificate no.').fill('C-2');
    await form.getByLabel('Issued by').fill('宽城县残疾人联合会');
    await form.getByRole('button', { name: 'Record special difficulty' }).click();
    await poll(() => fieldError(form, 'Difficulty').textContent()).toMatch(/grade-2 disability is recorded/);

    await row.getByRole('button', { name: /^Remove Disability, grade 2 of/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove a special difficulty' });
    await poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Confirm removal' }).click();
    await poll(() => fieldError(dialog, 'Reason for removal').textContent()).toMatch(/must not be empty/);
    await dialog.getByLabel('Reason for removal').fill('certificate withdrawn by the federation');
    await dialog.getByRole('button', { name: 'Confirm removal' }).click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => row.textContent()).toMatch(/Removed.*certificate withdrawn by the federation/);
    expect((await hub.gql(`{ household(id: "${household}") { specialDifficulties { id } } }`)).body.data.household.specialDifficulties).toEqual([]);
  });

  it('grants an exception to a criterion the policy allows, refuses a second and a bad date beside their fields, revokes it', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    await page.goto(`${hub.base}/households/${household}`);
    const panel = page.getByRole('region', { name: 'Qualification exceptions' });
    await poll(() => panel.getByText('No qualification exception granted.').isVisible()).toBe(true);
    const form = panel.getByRole('form', { name: 'Grant a qualification exception' });
    await form.getByLabel('Criterion waived').selectOption('KC|HOUSEHOLD_SIZE');
    await form.getByLabel('Reason').fill('a widow living alone, approved at the bureau meeting');
    await form.getByLabel('Applies until').fill('2026-01-01');
    await form.getByRole('button', { name: 'Grant exception' }).click();
    await poll(() => fieldError(form, 'Applies until').textContent()).toMatch(/must not be in the past/);

    await form.getByLabel('Applies until').fill('2027-06-30');
    await form.getByRole('button', { name: 'Grant exception' }).click();
    await poll(() => panel.getByRole('status').textContent()).toBe('Granted.');
    const row = panel.locator('tbody tr', { hasText: 'Household size' });
    await poll(() => row.textContent()).toMatch(/In force/);
    expect(await row.textContent()).toMatch(/30 Jun 2027/);

    await form.getByLabel('Criterion waived').selectOption('KC|HOUSEHOLD_SIZE');
    await form.getByLabel('Reason').fill('again');
    await form.getByLabel('Applies until').fill('2027-01-31');
    await form.getByRole('button', { name: 'Grant exception' }).click();
    await poll(() => fieldError(form, 'Criterion waived').textContent()).toMatch(/in force until 2027-06-30: revoke it first/);
    await screenshot(page, 'difficulties');

    await row.getByRole('button', { name: /^Revoke the Household size/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke a qualification exception' });
    await dialog.getByLabel('Reason for revocation').fill('the family has grown to two');
    await dialog.getByRole('button', { name: 'Confirm revocation' }).click();
    await poll(() => row.textContent()).toMatch(/Revoked.*the family has grown to two/);
  });

  it('shows a caseworker the panels in Chinese, and no grant of an exception', async () => {
    const page = await newPage(browser, 'zh');
    await signInAs(page, hub.base, 'CASEWORKER', 'KC-KCZ');
    await page.goto(`${hub.base}/households/${household}`);
    const exceptions = page.getByRole('region', { name: '资格例外' });
    await poll(() => exceptions.locator('tbody tr').count()).toBe(1);
    expect(await exceptions.textContent()).toMatch(/已撤销/);
    expect(await exceptions.getByRole('form').count()).toBe(0);
    expect(await exceptions.getByRole('button', { name: '撤销' }).count()).toBe(0);
    const difficulties = page.getByRole('region', { name: '特殊困难' });
    expect(await difficulties.getByRole('form', { name: '登记一项特殊困难' }).isVisible()).toBe(true);
    expect(await difficulties.textContent()).toMatch(/二级残疾.*已注销/);
  });
});
