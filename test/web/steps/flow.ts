// Steps of the application-to-exit flow as a person at the dashboard takes them (W2's screens):
// register a household, advance its application, and — as an agency, outside the dashboard — feed
// the utilities readings that show a unit empty.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { makeResidentId } from '../../../src/domain/resident-id.js';
import type { WebHub } from '../browser.js';

export interface MemberStep {
  name: string;
  birthDate: string;
  relation: string;
  sequence: number;
  sex: 'MALE' | 'FEMALE';
}

export const residentIdOf = (m: MemberStep) => makeResidentId('130827', m.birthDate, m.sequence, m.sex);

/** registers a household on the registration screen (English labels); returns its id from the profile's address */
export async function registerHousehold(
  page: Page,
  base: string,
  household: { district: string; category?: string; applicationDate?: string; members: MemberStep[]; floorArea: number; tenure?: string },
): Promise<string> {
  await page.goto(`${base}/households/new`);
  const form = page.getByRole('form', { name: 'Register a household' });
  await form.getByLabel('District').selectOption(household.district);
  if (household.category) await form.getByLabel('Category').selectOption(household.category);
  if (household.applicationDate) await form.getByLabel('Application date').fill(household.applicationDate);
  for (const [i, m] of household.members.entries()) {
    if (i > 0) await form.getByRole('button', { name: 'Add a member' }).click();
    const member = form.getByRole('group', { name: `Member ${i + 1}` });
    await member.getByLabel('Name').fill(m.name);
    await member.getByLabel('Resident ID').fill(residentIdOf(m));
    await member.getByLabel('Birth date').fill(m.birthDate);
    await member.getByLabel('Relation to head').selectOption(m.relation);
  }
  await form.getByLabel('Floor area (m²)').fill(String(household.floorArea));
  if (household.tenure) await form.getByLabel('Tenure').selectOption(household.tenure);
  await form.getByRole('button', { name: 'Register and submit the application' }).click();
  await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/households\/\d+$/);
  return page.url().split('/').pop()!;
}

/** takes the application on the profile through each next stage, one date per step */
export async function advanceApplication(page: Page, dates: string[]): Promise<void> {
  const panel = page.getByRole('region', { name: 'Application' });
  for (const on of dates) {
    const button = panel.getByRole('button', { name: /^Advance to / });
    const label = (await button.textContent())!.replace('Advance to ', '');
    await button.click();
    const dialog = page.getByRole('dialog', { name: /^Advance to / });
    await dialog.getByLabel('Date').fill(on);
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await expect.poll(() => panel.locator('dd strong').textContent()).toBe(label);
  }
}

/** six months of next to no water, power and gas in a unit after a lived-in April (KC-19(1)), sent as the utilities agency */
export async function feedVacancy(hub: WebHub, unitId: string, batchKey: string): Promise<number> {
  const months = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
  const reading = months.flatMap((month, i) => [
    { unitId: Number(unitId), month, kind: 'WATER', quantity: i === 0 ? 6 : 0, unit: 'm3' },
    { unitId: Number(unitId), month, kind: 'ELECTRICITY', quantity: i === 0 ? 150 : 2, unit: 'kWh' },
    { unitId: Number(unitId), month, kind: 'GAS', quantity: i === 0 ? 10 : 0, unit: 'm3' },
  ]);
  const res = await hub
    .as({ sub: 'utilities-system', role: 'AGENCY', agency: 'utilities' })
    .gql(`mutation($k: String!, $r: UtilitiesRecords!) { submitUtilitiesFeed(batchKey: $k, records: $r) { alertsRaised rejected } }`, {
      k: batchKey,
      r: { reading },
    });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.submitUtilitiesFeed.rejected).toBe(0);
  return res.body.data.submitUtilitiesFeed.alertsRaised as number;
}

/**
 * resolves once the page has sent its alertRaised subscription over graphql-ws (and the hub has had
 * a moment to start listening); call it before the page opens the inbox
 */
export function alertSubscriptionSent(page: Page): Promise<void> {
  return new Promise((resolve) => {
    page.on('websocket', (socket) => {
      socket.on('framesent', (frame) => {
        const text = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8');
        if (text.includes('"subscribe"') && text.includes('alertRaised')) setTimeout(resolve, 300);
      });
    });
  });
}
