// Rent in the browser: a manager charges the months' rent, records a payment for a tenancy (the
// API's refusals beside the field they name), imports a bank's file with its refused rows listed,
// and decides and revokes a KC-17 reduction on the household's rent panel; a caseworker records a
// payment on the profile, in Chinese, and is offered none of the manager's actions.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser, newPage, screenshot, signInAs, startWebHub, type WebHub } from './browser.js';
import { chargeRentInBrowser, importPaymentsInBrowser, recordPaymentInBrowser, recordPaymentOnProfile, rentPanel } from './steps/programme.js';

const ADDRESS = '租金测试楼 8号';

describeInBrowser('rent', () => {
  let hub: WebHub;
  let browser: Browser;
  let householdId: string;
  let tenancyId: string;
  let rent: number;
  let districtId: string;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startWebHub({ households: 40 }), launchBrowser()]);
    // a waitlisted family housed from September through the API: its months are not charged yet
    const waiting = await hub.gql(`{ households(first: 1, filter: { status: WAITLISTED }) { nodes { id district { id } } } }`);
    ({
      id: householdId,
      district: { id: districtId },
    } = waiting.body.data.households.nodes[0]);
    const unit = await hub.gql(
      `mutation($d: ID!) { createHousingUnit(input: { districtId: $d, address: "${ADDRESS}", floorArea: 50, rooms: 2, kind: PUBLIC_RENTAL }) { id } }`,
      {
        d: districtId,
      },
    );
    const offer = await hub.gql(`mutation($h: ID!, $u: ID!) { offerUnit(input: { householdId: $h, unitId: $u, on: "2026-08-20" }) { id } }`, {
      h: householdId,
      u: unit.body.data.createHousingUnit.id,
    });
    const accepted = await hub.gql(
      `mutation($o: ID!) { acceptOffer(input: { offerId: $o, on: "2026-08-25", startDate: "2026-09-01" }) { tenancy { id monthlyRent } } }`,
      { o: offer.body.data.offerUnit.id },
    );
    expect(accepted.body.errors).toBeUndefined();
    ({ id: tenancyId, monthlyRent: rent } = accepted.body.data.acceptOffer.tenancy);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  const ledger = async () =>
    (
      await hub.gql(
        `query($id: ID!) { household(id: $id) { tenancy { currentRent rentLedger { month amountDue amountPaid unpaid } arrears { monthsUnpaid } } } }`,
        { id: householdId },
      )
    ).body.data.household.tenancy as {
      currentRent: number;
      rentLedger: { month: string; amountDue: number; amountPaid: number; unpaid: boolean }[];
      arrears: { monthsUnpaid: number };
    };

  it('a manager charges the months, records a payment, and imports a bank file with its refused rows', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    expect((await ledger()).rentLedger).toEqual([]);
    const charged = await chargeRentInBrowser(page, hub.base);
    expect(charged).toBe('3 monthly charges written (tenancies charged: 1), through Nov 2026');
    expect((await ledger()).rentLedger.map((l) => l.month)).toEqual(['2026-09-01', '2026-10-01', '2026-11-01']);
    // the tenancy's row says what it owes
    const row = page.getByRole('table', { name: 'Running tenancies' }).getByRole('row').filter({ hasText: ADDRESS });
    await expect.poll(() => row.textContent()).toMatch(/3 months, .*owed \(since Sept? 2026\)/);

    const done = await recordPaymentInBrowser(page, hub.base, ADDRESS, { amount: rent, paidOn: '2026-11-20', reference: 'COUNTER-0001', month: '2026-09' });
    expect(done).toMatch(/recorded: Sept? 2026/);
    await expect.poll(() => row.textContent()).toMatch(/2 months, .*owed \(since Oct 2026\)/);

    // the same reference again: CONFLICT beside the reference; too much: beside the amount
    await row.getByRole('button', { name: `Record a payment: ${ADDRESS}` }).click();
    const box = page.getByRole('dialog', { name: `Record a payment: ${ADDRESS}` });
    await box.getByLabel('Paid on').fill('2026-11-20');
    await box.getByLabel(/reference/).fill('COUNTER-0001');
    await box.getByRole('button', { name: 'Record' }).click();
    await expect.poll(() => box.locator('.field-invalid').textContent()).toMatch(/reference.*already recorded/i);
    await box.getByLabel('Amount').fill(String(rent * 5));
    await box.getByLabel(/reference/).fill('COUNTER-0002');
    await box.getByRole('button', { name: 'Record' }).click();
    await expect.poll(() => box.locator('.field-invalid .field-label').textContent()).toBe('Amount (yuan)');
    await box.getByRole('button', { name: 'Cancel' }).click();
    expect((await ledger()).arrears.monthsUnpaid).toBe(2);

    const csv = [
      'tenancyId,amount,paidOn,reference,month',
      `${tenancyId},${rent},2026-11-21,BANK-7001,2026-10-01`,
      `999999,${rent},2026-11-21,BANK-7002,`,
      `${tenancyId},${rent},2026-11-21,COUNTER-0001,`,
    ].join('\n');
    const outcome = await importPaymentsInBrowser(page, hub.base, csv, { batchKey: 'bank-2026-11-21' });
    expect(outcome.text).toMatch(/3 rows received, 1 accepted, 2 refused/);
    expect(outcome.rejections.map((r) => r.slice(0, 2))).toEqual([
      ['line 3 (record 2)', 'tenancyId'],
      ['line 4 (record 3)', 'reference'],
    ]);
    await expect.poll(() => row.textContent()).toMatch(/1 month, .*owed \(since Nov 2026\)/);
    const after = await ledger();
    expect(after.rentLedger.map((l) => l.unpaid)).toEqual([false, false, true]);
    await screenshot(page, 'rent');
    // on a tablet the page still fits its width (wide tables scroll inside their own box)
    await page.setViewportSize({ width: 820, height: 1180 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
    await screenshot(page, 'rent-tablet');
  });

  it('on the profile, a manager decides a reduction (the unpaid month re-priced) and revokes it', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    await page.goto(`${hub.base}/households/${householdId}`);
    const panel = rentPanel(page);
    await expect.poll(() => panel.textContent()).toMatch(/3 months, .* due/);
    await panel.getByRole('button', { name: 'Decide a reduction or waiver' }).click();
    const box = page.getByRole('dialog', { name: 'Decide a reduction or waiver' });
    await box.getByLabel(/^Ground/).selectOption('MAJOR_ILLNESS');
    await box.getByLabel('Reduced monthly rent').fill(String(rent)); // not below the rent: refused beside the field
    await box.getByLabel('From month').fill('2026-11');
    await box.getByLabel('Evidence').fill('hospital certificate 2026-1187');
    await box.getByLabel('Reason').fill('the head in hospital since October');
    await box.getByRole('button', { name: 'Decide' }).click();
    await expect.poll(() => box.locator('.field-invalid').textContent()).toMatch(/Reduced monthly rent.*must be below/);
    await box.getByLabel('Reduced monthly rent').fill('50');
    await box.getByRole('button', { name: 'Decide' }).click();
    await expect.poll(() => box.isVisible()).toBe(false);
    const decisions = panel.getByRole('table', { name: /reductions and waivers/ });
    await expect.poll(() => decisions.textContent()).toMatch(/Reduction.*Major illness.*50\.00.*Nov 2026 – open-ended/);
    await expect.poll(async () => (await ledger()).rentLedger[2]!.amountDue).toBe(50);
    await expect.poll(() => panel.textContent()).toMatch(new RegExp(`Rent now(CN)?¥50\\.00 \\(was (CN)?¥${rent.toFixed(2)}\\)`));

    await decisions.getByRole('button', { name: 'Revoke' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke' });
    await revoke.getByLabel('Reason for revoking').fill('certificate withdrawn');
    await revoke.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => decisions.textContent()).toMatch(/revoked.*certificate withdrawn/);
    await expect.poll(async () => (await ledger()).rentLedger[2]!.amountDue).toBe(rent);
    await screenshot(page, 'rent-panel');
  });

  it('an exited household still owes the rent of its ended tenancy, and can pay it on its profile', async () => {
    const exited = await hub.gql(
      `{ households(first: 100, filter: { status: EXITED }) { nodes { id tenancies { id endDate arrears { monthsUnpaid amountOutstanding } } } } }`,
    );
    const owing = (exited.body.data.households.nodes as { id: string; tenancies: { id: string; endDate: string; arrears: { monthsUnpaid: number } }[] }[]).find(
      (h) => h.tenancies[0]!.arrears.monthsUnpaid > 0,
    )!;
    expect(owing).toBeDefined();
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    await page.goto(`${hub.base}/households/${owing.id}`);
    const panel = rentPanel(page);
    await expect.poll(() => panel.getByRole('note').textContent()).toMatch(/ended on .*the rent owed then is still owed/);
    expect(await panel.getByRole('button', { name: 'Decide a reduction or waiver' }).count()).toBe(0);
    const ledger = async () =>
      (
        await hub.gql(`query($id: ID!) { household(id: $id) { tenancies { arrears { monthsUnpaid } rentLedger { month amountDue amountPaid } } } }`, {
          id: owing.id,
        })
      ).body.data.household.tenancies[0];
    const before = await ledger();
    const oldest = before.rentLedger.find((l: { amountDue: number; amountPaid: number }) => l.amountPaid < l.amountDue);
    await recordPaymentOnProfile(page, hub.base, owing.id, { amount: oldest.amountDue - oldest.amountPaid, paidOn: '2026-11-23', reference: 'AFTER-EXIT-1' });
    expect((await ledger()).arrears.monthsUnpaid).toBe(before.arrears.monthsUnpaid - 1);
  });

  it('in Chinese: a caseworker pays the last month on the profile, and sees no manager action', async () => {
    const page = await newPage(browser, 'zh');
    await signInAs(page, hub.base, 'CASEWORKER', districtId);
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '租金' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('租金');
    expect(await page.getByRole('button', { name: '立即计租' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: '导入缴费文件' }).count()).toBe(0);
    // 全部 and its own district, once the caller's districts have loaded
    await expect.poll(() => page.getByRole('search', { name: '筛选租约' }).getByRole('option').count()).toBe(2);
    const rows = page.getByRole('table', { name: '在租租约' }).getByRole('row').filter({ hasText: ADDRESS });
    await expect.poll(() => rows.textContent()).toMatch(/欠 1 个月/);

    const notice = await recordPaymentOnProfile(page, hub.base, householdId, { amount: rent, paidOn: '2026-11-23', reference: 'COUNTER-0003' });
    expect(notice).toMatch(/已登记 ¥[\d,.]+：2026年11月/);
    await expect.poll(() => rentPanel(page).textContent()).toMatch(/无欠租/);
    expect(await rentPanel(page).getByRole('button', { name: '决定减免' }).count()).toBe(0);
    expect((await ledger()).arrears.monthsUnpaid).toBe(0);
  });
});
