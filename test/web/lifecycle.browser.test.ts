// The life of two households on a fresh install, in the browser, as the bureau's people live it
// (the API walkthrough of test/lifecycle.test.ts, on the screens): a district and its units (the
// programme's screens, test/web/steps/programme.ts); a
// caseworker registers two households (a bad resident ID is refused next to its field) and takes
// them through KC-13; a manager draws; one household accepts, the other declines; rent is charged
// and partly paid; the utilities agency reports six empty months while the inbox is open and the
// vacancy alert appears live; it leads to an exit case completed on the profile; the freed unit is
// offered again, to the household that declined, which accepts.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_TODAY } from '../helpers/hub.js';
import { describeInBrowser, launchBrowser, newPage, screenshot, signInAs, startWebHub, type WebHub } from './browser.js';
import { chargeRentInBrowser, createDistrictInBrowser, importUnitsInBrowser, recordPaymentOnProfile } from './steps/programme.js';
import { advanceApplication, alertSubscriptionSent, feedVacancy, registerHousehold, residentIdOf, type MemberStep } from './steps/flow.js';

const DISTRICT = 'KC-XYZ';
const STAGES = ['2026-01-06', '2026-01-14', '2026-01-19', '2026-02-06'];

const family = (seq: number, head: string, spouse: string): MemberStep[] => [
  { name: `张${seq}`, birthDate: head, relation: 'HEAD', sequence: seq, sex: 'MALE' },
  { name: `李${seq}`, birthDate: spouse, relation: 'SPOUSE', sequence: seq + 1, sex: 'FEMALE' },
];

describeInBrowser('the lifecycle walkthrough in the browser (fresh install)', () => {
  let hub: WebHub;
  let browser: Browser;
  let caseworker: Page;
  let manager: Page;
  const state = { housed: '', declined: '', housedUnit: '', declinedUnit: '', tenancy: '' };

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startWebHub({ bare: true }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('an ADMIN creates the district; a manager imports its two units from a CSV file', async () => {
    const admin = await newPage(browser, 'en');
    await signInAs(admin, hub.base, 'ADMIN');
    await createDistrictInBrowser(admin, hub.base, { id: DISTRICT, name: '新区 New Town', jurisdiction: 'KUANCHENG', policyId: 'KC' });
    await admin.close();
    manager = await newPage(browser, 'en');
    await signInAs(manager, hub.base, 'MANAGER');
    const imported = await importUnitsInBrowser(
      manager,
      hub.base,
      `address,districtId,floorArea,rooms,kind\n新区 1栋 101,${DISTRICT},45.5,2,PUBLIC_RENTAL\n新区 1栋 102,${DISTRICT},52,2,PUBLIC_RENTAL\n`,
      { batchKey: 'stock-2026-01' },
    );
    expect(imported.rejections).toEqual([]);
    const units = await hub.gql(`{ housingUnits(filter: { districtId: "${DISTRICT}" }) { nodes { address status } } }`);
    expect(units.body.data.housingUnits.nodes).toEqual([
      { address: '新区 1栋 101', status: 'FREE' },
      { address: '新区 1栋 102', status: 'FREE' },
    ]);
  });

  it('a caseworker registers two households (a bad resident ID is refused beside it) and takes them to the waitlist', async () => {
    caseworker = await newPage(browser, 'en');
    await signInAs(caseworker, hub.base, 'CASEWORKER', DISTRICT);

    // the registration screen in Chinese first
    const zh = await newPage(browser, 'zh');
    await signInAs(zh, hub.base, 'CASEWORKER', DISTRICT);
    await zh.goto(`${hub.base}/households/new`);
    await expect.poll(() => zh.getByRole('heading', { level: 1 }).textContent()).toBe('登记住户');
    expect(await zh.getByRole('group', { name: '成员 1' }).getByLabel('身份证号').count()).toBe(1);
    await zh.close();

    // a resident ID with a wrong check character: the API's complaint shows beside that member's ID
    await caseworker.goto(`${hub.base}/households/new`);
    const form = caseworker.getByRole('form', { name: 'Register a household' });
    const head = family(11, '1980-03-10', '1982-06-01')[0]!;
    const good = residentIdOf(head);
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    await form.getByLabel('District').selectOption(DISTRICT);
    await form.getByRole('group', { name: 'Member 1' }).getByLabel('Name').fill(head.name);
    await form.getByRole('group', { name: 'Member 1' }).getByLabel('Resident ID').fill(bad);
    await form.getByLabel('Floor area (m²)').fill('20');
    await form.getByRole('button', { name: 'Register and submit the application' }).click();
    const idField = form.getByRole('group', { name: 'Member 1' }).locator('.field', { hasText: 'Resident ID' });
    await expect.poll(() => idField.getByRole('alert').textContent()).toMatch(/^invalid resident ID: wrong check character/);
    // shown beside the field only, not again above the button
    expect(await form.locator('.api-error').count()).toBe(0);
    // the birth date was filled in from the ID as it was typed
    expect(await form.getByRole('group', { name: 'Member 1' }).getByLabel('Birth date').inputValue()).toBe('1980-03-10');
    await screenshot(caseworker, 'register');

    state.housed = await registerHousehold(caseworker, hub.base, {
      district: DISTRICT,
      applicationDate: '2026-01-05',
      members: family(11, '1980-03-10', '1982-06-01'),
      floorArea: 20,
      tenure: 'RENTED',
    });
    const panel = caseworker.getByRole('region', { name: 'Application' });
    await expect.poll(() => panel.locator('dd strong').textContent()).toBe('Submitted');
    await advanceApplication(caseworker, STAGES.slice(0, 1));
    // the stage's deadline: 7 working days of preliminary review
    await expect.poll(() => panel.getByText('15 Jan 2026').count()).toBeGreaterThan(0);
    // …long past on the hub's working day: overdue
    expect(await panel.getByText('Overdue', { exact: true }).count()).toBe(1);
    await advanceApplication(caseworker, STAGES.slice(1));
    await expect.poll(() => caseworker.locator('.page-header').textContent()).toContain('Waitlisted');
    expect(await panel.getByRole('button', { name: /^Advance to / }).count()).toBe(0);

    state.declined = await registerHousehold(caseworker, hub.base, {
      district: DISTRICT,
      applicationDate: '2026-01-05',
      members: family(21, '1975-09-15', '1977-01-20'),
      floorArea: 20,
      tenure: 'RENTED',
    });
    await advanceApplication(caseworker, STAGES);
    await expect.poll(() => caseworker.locator('.page-header').textContent()).toContain('Waitlisted');
  });

  it('a third application is rejected at preliminary review, with its reason', async () => {
    const id = await registerHousehold(caseworker, hub.base, {
      district: DISTRICT,
      members: [{ name: '王31', birthDate: '1990-05-05', relation: 'HEAD', sequence: 31, sex: 'MALE' }],
      floorArea: 90,
      tenure: 'OWNED',
    });
    await advanceApplication(caseworker, [TEST_TODAY]);
    const panel = caseworker.getByRole('region', { name: 'Application' });
    await panel.getByRole('button', { name: 'Reject the application' }).click();
    const dialog = caseworker.getByRole('dialog', { name: 'Reject the application' });
    await dialog.getByLabel('Reason for rejection').fill('owns a 90 m² home in the district');
    await dialog.getByRole('button', { name: 'Reject the application' }).click();
    await expect.poll(() => panel.locator('dd strong').textContent()).toBe('Rejected');
    expect(await panel.getByText('The application is closed.').count()).toBe(1);
    const stored = await hub.gql(`{ household(id: "${id}") { status application { stage history { stage note } } } }`);
    expect(stored.body.data.household.application.stage).toBe('REJECTED');
    expect(stored.body.data.household.application.history.at(-1)).toEqual({ stage: 'REJECTED', note: 'owns a 90 m² home in the district' });
  });

  it('a manager draws, sees the order drawn; one household accepts, the other declines', async () => {
    await manager.goto(`${hub.base}/allocation?district=${DISTRICT}`);
    const draw = manager.getByRole('form', { name: 'Lottery draw' });
    await draw.getByLabel('Published seed').fill('published-seed-2026-03');
    await draw.getByLabel('Draw date').fill('2026-03-02');
    await draw.getByRole('button', { name: 'Run the draw' }).click();
    const result = manager.getByRole('region', { name: /^Draw #\d+/ });
    await expect.poll(() => result.locator('tbody tr').count()).toBe(2);
    expect(await result.getByText('Verified: running it again gives the same result').count()).toBe(1);
    expect((await result.locator('tbody td:first-child').allTextContents()).map(Number)).toEqual([1, 2]);

    const offers = manager.getByRole('region', { name: 'Offers' });
    const rowOf = (household: string) => offers.getByRole('row', { name: `Household #${household}` });
    await expect.poll(() => rowOf(state.housed).getByText('Open', { exact: true }).count()).toBe(1);
    state.housedUnit = (await rowOf(state.housed).locator('td').nth(2).textContent())!;
    state.declinedUnit = (await rowOf(state.declined).locator('td').nth(2).textContent())!;

    await rowOf(state.housed).getByRole('button', { name: 'Accept' }).click();
    let dialog = manager.getByRole('dialog', { name: /accepts offer/ });
    await dialog.getByLabel('Accepted on').fill('2026-03-05');
    await dialog.getByLabel('Tenancy starts on').fill('2026-04-01');
    await dialog.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => rowOf(state.housed).getByText('Accepted', { exact: true }).count()).toBe(1);
    expect(await rowOf(state.housed).getByText('Occupied', { exact: true }).count()).toBe(1);

    await rowOf(state.declined).getByRole('button', { name: 'Decline' }).click();
    dialog = manager.getByRole('dialog', { name: /declines offer/ });
    await dialog.getByLabel('Date').fill('2026-03-05');
    await dialog.getByLabel('Reason').fill('too far from the children’s school');
    await dialog.getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => rowOf(state.declined).getByText('Declined', { exact: true }).count()).toBe(1);
    expect(await rowOf(state.declined).getByText('Free', { exact: true }).count()).toBe(1);
    await screenshot(manager, 'allocation');

    const zh = await newPage(browser, 'zh');
    await signInAs(zh, hub.base, 'MANAGER');
    await zh.goto(`${hub.base}/allocation?district=${DISTRICT}`);
    await expect.poll(() => zh.getByRole('region', { name: '配租记录' }).locator('tbody').getByText('已接受', { exact: true }).count()).toBe(1);
    // a past draw's order, from the offer it made
    await zh
      .getByRole('region', { name: '配租记录' })
      .getByRole('button', { name: /^摇号 #\d+$/ })
      .first()
      .click();
    await expect
      .poll(() =>
        zh
          .getByRole('region', { name: /^摇号结果 #\d+/ })
          .locator('tbody tr')
          .count(),
      )
      .toBe(2);
    await zh.close();
  });

  it('rent is charged from April and partly paid', async () => {
    expect(await chargeRentInBrowser(manager, hub.base)).toMatch(/^8 monthly charges written/);
    const { monthlyRent } = (await hub.gql(`{ household(id: "${state.housed}") { tenancy { monthlyRent } } }`)).body.data.household.tenancy;
    await recordPaymentOnProfile(caseworker, hub.base, state.housed, {
      amount: monthlyRent,
      paidOn: '2026-04-03',
      reference: 'BANK-2026-04',
      month: '2026-04',
    });
    await caseworker.reload();
    await expect.poll(() => caseworker.getByRole('region', { name: 'Tenancy' }).textContent()).toMatch(/7 months unpaid/);
  });

  it('the utilities agency reports six empty months while the inbox is open: the vacancy alert appears live', async () => {
    const listening = alertSubscriptionSent(caseworker);
    await caseworker.goto(`${hub.base}/alerts`);
    await expect.poll(() => caseworker.getByText('No alerts match.').isVisible()).toBe(true);
    await listening;
    const unitId = (await hub.gql(`{ household(id: "${state.housed}") { unit { id } } }`)).body.data.household.unit.id as string;
    expect(await feedVacancy(hub, unitId, 'ut-2026-10')).toBeGreaterThanOrEqual(1);
    await expect.poll(() => caseworker.getByText(/^\d+ new alerts$/).count(), { timeout: 10_000 }).toBe(1);
    const row = caseworker.getByRole('row', { name: /^Vacant 6 months/ });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByRole('link', { name: `Household #${state.housed}` }).count()).toBe(1);
  });

  it('the alert leads to an exit case, completed on the profile: the unit is free again', async () => {
    const row = caseworker.getByRole('row', { name: /^Vacant 6 months/ });
    await row.getByRole('button', { name: 'Open exit case' }).click();
    const open = caseworker.getByRole('dialog', { name: /Open an exit case/ });
    await open.getByLabel('Summary of the case').fill('no water, power or gas used since May');
    await open.getByRole('button', { name: 'Open exit case' }).click();
    await expect.poll(() => row.getByRole('link', { name: /Exit case #\d+/ }).count()).toBe(1);
    await row.getByRole('link', { name: /Exit case #\d+/ }).click();

    const panel = caseworker.getByRole('region', { name: 'Exit cases' });
    await panel.getByRole('button', { name: 'Serve notice' }).click();
    let dialog = caseworker.getByRole('dialog', { name: 'Serve the notice to leave' });
    await dialog.getByLabel('Served on').fill(TEST_TODAY);
    await dialog.getByRole('button', { name: 'Serve notice' }).click();
    await expect.poll(() => panel.getByText('Notice served', { exact: true }).count()).toBe(1);
    await panel.getByRole('button', { name: 'Complete exit' }).click();
    dialog = caseworker.getByRole('dialog', { name: 'Inspect the unit and complete the exit' });
    await dialog.getByLabel('Inspected on').fill(TEST_TODAY);
    await dialog.getByLabel(/Inspecting staff/).fill('Wang, Li');
    await dialog.getByLabel('Findings').fill('unit empty, keys returned by the landlord’s agent');
    await dialog.getByLabel('Left on').fill(TEST_TODAY);
    await dialog.getByRole('button', { name: 'Complete exit' }).click();
    await expect.poll(() => panel.getByText('Completed', { exact: true }).count()).toBe(1);
    await expect.poll(() => panel.textContent()).toMatch(/owed at exit/);
    await expect.poll(() => caseworker.locator('.page-header').textContent()).toContain('Exited');

    await caseworker.goto(`${hub.base}/cases`);
    await expect.poll(() => caseworker.getByRole('row', { name: /Household #/ }).count()).toBe(1);
    expect(await caseworker.getByRole('cell', { name: 'Completed' }).count()).toBe(1);
  });

  it('the freed unit is offered again, to the household that declined, which accepts', async () => {
    await manager.goto(`${hub.base}/allocation?district=${DISTRICT}`);
    const offer = manager.getByRole('form', { name: 'Offer a unit' });
    // both units are free: the one declined in March, and the one the exit freed
    await expect.poll(() => offer.getByLabel('Free unit').locator('option').allTextContents()).toEqual([state.housedUnit, state.declinedUnit].sort());
    // first the other free unit, taken back by the bureau (not counted against the household)
    await offer.getByLabel('Free unit').selectOption({ label: state.declinedUnit });
    await offer.getByRole('button', { name: 'Offer the unit' }).click();
    const offers = manager.getByRole('region', { name: 'Offers' });
    const first = offers.getByRole('row', { name: `Household #${state.declined}` }).filter({ hasText: 'Direct' });
    await expect.poll(() => first.getByText('Open', { exact: true }).count()).toBe(1);
    await first.getByRole('button', { name: 'Withdraw' }).click();
    const withdraw = manager.getByRole('dialog', { name: /Withdraw offer/ });
    await withdraw.getByLabel('Reason').fill('offered by mistake: the unit is to be repaired');
    await withdraw.getByRole('button', { name: 'Withdraw' }).click();
    await expect.poll(() => first.getByText('Withdrawn', { exact: true }).count()).toBe(1);
    expect(await first.getByText('Free', { exact: true }).count()).toBe(1);

    await offer.getByLabel('Free unit').selectOption({ label: state.housedUnit });
    // the exited household is no longer waiting: only the one that declined is
    const waiting = await offer.getByLabel('Waitlisted household').locator('option').allTextContents();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatch(new RegExp(`^#${state.declined} `));
    await offer.getByRole('button', { name: 'Offer the unit' }).click();
    const reoffer = offers.getByRole('row', { name: `Household #${state.declined}` }).filter({ hasText: state.housedUnit });
    await expect.poll(() => reoffer.getByText('Open', { exact: true }).count()).toBe(1);
    expect(await reoffer.getByText('Offered', { exact: true }).count()).toBe(1);
    await reoffer.getByRole('button', { name: 'Accept' }).click();
    const dialog = manager.getByRole('dialog', { name: /accepts offer/ });
    await dialog.getByLabel('Tenancy starts on').fill(TEST_TODAY);
    await dialog.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => reoffer.getByText('Accepted', { exact: true }).count()).toBe(1);
    expect(await reoffer.getByText('Occupied', { exact: true }).count()).toBe(1);

    const after = await hub.gql(`{ household(id: "${state.declined}") { status declinedOffers unit { address status } } }`);
    expect(after.body.data.household).toEqual({ status: 'HOUSED', declinedOffers: 1, unit: { address: state.housedUnit, status: 'OCCUPIED' } });
  });
});
