// Districts & units in the browser: an ADMIN creates and edits a district; a MANAGER registers,
// edits, withdraws and returns units (the API's complaint beside the field it names), filters and
// pages the stock, and imports a CSV file with its refused rows listed by line; a caseworker sees
// its own districts' units and none of the actions.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser, newPage, screenshot, signInAs, startWebHub, type WebHub } from './browser.js';
import {
  createDistrictInBrowser,
  createUnitInBrowser,
  importUnitsInBrowser,
  returnUnitInBrowser,
  unitRowInBrowser,
  withdrawUnitInBrowser,
} from './steps/programme.js';

describeInBrowser('districts and units', () => {
  let hub: WebHub;
  let browser: Browser;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startWebHub({ households: 60 }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  const unitOf = async (address: string) =>
    (
      await hub.gql(
        `query($a: String) { housingUnits(filter: { addressContains: $a }) { nodes { id status statusReason floorArea rooms kind district { id } } } }`,
        { a: address },
      )
    ).body.data.housingUnits.nodes as {
      id: string;
      status: string;
      statusReason: string | null;
      floorArea: number;
      rooms: number;
      kind: string;
      district: { id: string };
    }[];

  it('on a fresh install, an ADMIN creates the first district and at once a unit in it, and imports more', async () => {
    const bare = await startWebHub({ bare: true });
    try {
      const page = await newPage(browser, 'en');
      await signInAs(page, bare.base, 'ADMIN');
      await page.goto(`${bare.base}/districts`);
      await expect.poll(() => page.getByText('No districts yet.', { exact: false }).isVisible()).toBe(true);
      await createDistrictInBrowser(page, bare.base, { id: 'KC-XYZ', name: '新区', jurisdiction: 'KUANCHENG', policyId: 'KC' });
      await createUnitInBrowser(page, bare.base, { districtId: 'KC-XYZ', address: '新区 1栋 101', floorArea: 50, rooms: 2 });
      const outcome = await importUnitsInBrowser(page, bare.base, 'address,districtId,floorArea,rooms,kind\n新区 1栋 102,KC-XYZ,45,2,PUBLIC_RENTAL\n', {
        batchKey: 'stock-2026-01',
      });
      expect(outcome).toEqual({ text: 'Accepted 1 row received, 1 accepted, 0 refused', rejections: [] });
      const units = await bare.gql(`{ housingUnits { nodes { address status district { id } } } }`);
      expect(units.body.data.housingUnits.nodes).toEqual([
        { address: '新区 1栋 101', status: 'FREE', district: { id: 'KC-XYZ' } },
        { address: '新区 1栋 102', status: 'FREE', district: { id: 'KC-XYZ' } },
      ]);
      await page.context().close();
    } finally {
      await bare.close();
    }
  });

  it('an ADMIN creates a district and renames it; a refused code is shown beside its field', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'ADMIN');
    await createDistrictInBrowser(page, hub.base, { id: 'kc-xyz', name: '新区 Xinqu', jurisdiction: 'KUANCHENG', policyId: 'KC' });
    const stored = await hub.gql(`{ district(id: "KC-XYZ") { id name jurisdiction policy { id } } }`);
    expect(stored.body.data.district).toEqual({ id: 'KC-XYZ', name: '新区 Xinqu', jurisdiction: 'KUANCHENG', policy: { id: 'KC' } });

    // the same code again: CONFLICT on input.id, shown next to the code
    await page.getByRole('button', { name: 'New district' }).click();
    const box = page.getByRole('dialog', { name: 'New district' });
    await box.getByLabel('District code').fill('KC-XYZ');
    await box.getByLabel('Name', { exact: true }).fill('again');
    await box.getByLabel('Jurisdiction').fill('KUANCHENG');
    await box.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => box.locator('.field-invalid').filter({ hasText: 'District code' }).getByRole('alert').textContent()).toMatch(/exists already/);
    await box.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Edit district KC-XYZ' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit district KC-XYZ' });
    await edit.getByLabel('Name', { exact: true }).fill('新区 New Town');
    await edit.getByLabel(/^Policy/).selectOption('GY');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('table', { name: 'Districts' })
          .getByRole('row', { name: /KC-XYZ/ })
          .textContent(),
      )
      .toMatch(/新区 New Town.*GY/);
    expect((await hub.gql(`{ district(id: "KC-XYZ") { name policy { id } } }`)).body.data.district).toEqual({ name: '新区 New Town', policy: { id: 'GY' } });
  });

  it('a MANAGER registers, edits, withdraws and returns a unit; filters and pages the stock', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    await page.goto(`${hub.base}/districts`);
    // the district list is there, but only an ADMIN may change it
    await expect.poll(() => page.getByRole('table', { name: 'Districts' }).getByRole('row').count()).toBeGreaterThan(1);
    expect(await page.getByRole('button', { name: 'New district' }).count()).toBe(0);

    // a floor area of 0: the API's complaint under the floor area field, nothing stored
    await page.getByRole('button', { name: 'New unit' }).click();
    const box = page.getByRole('dialog', { name: 'New unit' });
    await box.getByLabel(/^District/).selectOption('KC-LXM');
    await box.getByLabel('Address').fill('龙须门镇 新楼 1栋 101');
    await box.getByLabel('Floor area (m²)').fill('0');
    await box.getByLabel('Rooms').fill('2');
    await box.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => box.locator('.field-invalid').getByRole('alert').textContent()).toMatch(/more than 0/);
    expect(await box.locator('.field-invalid .field-label').textContent()).toBe('Floor area (m²)');
    expect(await unitOf('新楼 1栋 101')).toEqual([]);
    await box.getByRole('button', { name: 'Cancel' }).click();

    await createUnitInBrowser(page, hub.base, { districtId: 'KC-LXM', address: '龙须门镇 新楼 1栋 101', floorArea: 48.5, rooms: 2, kind: 'LOW_RENT' });
    expect(await unitOf('新楼 1栋 101')).toMatchObject([{ status: 'FREE', floorArea: 48.5, rooms: 2, kind: 'LOW_RENT', district: { id: 'KC-LXM' } }]);

    const row = await unitRowInBrowser(page, hub.base, '新楼 1栋 101');
    await row.getByRole('button', { name: 'Edit unit 龙须门镇 新楼 1栋 101' }).click();
    const edit = page.getByRole('dialog', { name: /Edit unit/ });
    await edit.getByLabel('Rooms').fill('3');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await unitOf('新楼 1栋 101'))[0]!.rooms).toBe(3);

    await withdrawUnitInBrowser(page, hub.base, '新楼 1栋 101', 'roof repairs');
    await expect.poll(() => row.textContent()).toMatch(/Withdrawn.*roof repairs/);
    expect(await unitOf('新楼 1栋 101')).toMatchObject([{ status: 'UNAVAILABLE', statusReason: 'roof repairs' }]);
    await returnUnitInBrowser(page, hub.base, '新楼 1栋 101');
    expect(await unitOf('新楼 1栋 101')).toMatchObject([{ status: 'FREE' }]);

    // filters: by status, then paging through the whole stock
    const filters = page.getByRole('search', { name: 'Filter units' });
    await filters.getByLabel('Address contains').fill('');
    await filters.getByRole('button', { name: 'Search' }).click();
    await filters.getByLabel(/^Status/).selectOption('UNAVAILABLE');
    const table = page.getByRole('table', { name: 'Housing units' });
    await expect.poll(() => page.getByText('No units match.').isVisible()).toBe(true);
    await filters.getByLabel(/^Kind/).selectOption('LOW_RENT');
    await filters.getByLabel(/^Status/).selectOption('FREE');
    await expect.poll(async () => await table.locator('tbody tr td:first-child').allTextContents()).toEqual(['龙须门镇 新楼 1栋 101']);
    await filters.getByLabel(/^Kind/).selectOption('');
    await filters.getByLabel(/^Status/).selectOption('');
    const all = (await hub.gql(`{ housingUnits { totalCount } }`)).body.data.housingUnits.totalCount as number;
    expect(all).toBeGreaterThan(20);
    const pager = page.getByRole('navigation', { name: 'pagination' });
    await expect.poll(() => pager.textContent()).toContain(`${all} in all`);
    const firstPage = await table.locator('tbody tr td:first-child').allTextContents();
    await pager.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => pager.textContent()).toContain('Page 2');
    await expect.poll(async () => (await table.locator('tbody tr td:first-child').allTextContents())[0]).not.toBe(firstPage[0]);
    const secondPage = await table.locator('tbody tr td:first-child').allTextContents();
    expect(secondPage.some((a) => firstPage.includes(a))).toBe(false);
    await screenshot(page, 'districts');

    // an offered unit says to whom, and by when the household answers
    const waiting = (await hub.gql(`{ households(first: 1, filter: { status: WAITLISTED }) { nodes { id district { id } } } }`)).body.data.households.nodes[0];
    const unit = await hub.gql(
      `mutation($d: ID!) { createHousingUnit(input: { districtId: $d, address: "配租测试楼 3号", floorArea: 40, rooms: 1, kind: PUBLIC_RENTAL }) { id } }`,
      {
        d: waiting.district.id,
      },
    );
    const offer = await hub.gql(`mutation($h: ID!, $u: ID!) { offerUnit(input: { householdId: $h, unitId: $u }) { acceptBy } }`, {
      h: waiting.id,
      u: unit.body.data.createHousingUnit.id,
    });
    expect(offer.body.errors).toBeUndefined();
    const offered = await unitRowInBrowser(page, hub.base, '配租测试楼 3号');
    await expect.poll(() => offered.textContent()).toMatch(/Offered.*to answer by/);
    expect(await offered.getByRole('link').getAttribute('href')).toBe(`/households/${waiting.id}`);
    expect(await offered.getByRole('button', { name: /Withdraw/ }).count()).toBe(0);
  });

  it('a MANAGER imports a CSV file: progress, then the refused rows by line, field and reason; the same file again is a replay', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    const csv = [
      'address,districtId,floorArea,rooms,kind',
      '宽城镇 导入 1号,KC-KCZ,45.5,2,PUBLIC_RENTAL',
      '宽城镇 导入 2号,KC-KCZ,0,2,PUBLIC_RENTAL',
      '宽城镇 导入 3号,KC-NOPE,50,2,PUBLIC_RENTAL',
      '宽城镇 导入 4号,KC-KCZ,52,3,LOW_RENT',
      '宽城镇 导入 5号,KC-KCZ,40,2,VILLA',
    ].join('\n');
    // while the file goes up and the hub works, the progress is on screen (the hub's answer held back a moment to see it)
    await page.goto(`${hub.base}/districts`);
    const form = page.getByRole('form', { name: 'Import units from a file' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/imports/units?*', async (route) => {
      await held;
      await route.continue();
    });
    const importing = importUnitsInBrowser(page, hub.base, csv, { batchKey: 'stock-2026-11' });
    await expect.poll(() => form.getByRole('status').textContent()).toMatch(/Uploading \d+%|checking and writing/);
    expect(await form.getByRole('button', { name: 'Upload and import' }).isDisabled()).toBe(true);
    release();
    const outcome = await importing;
    await page.unroute('**/imports/units?*');
    expect(outcome.text).toMatch(/5 rows received, 2 accepted, 3 refused/);
    expect(outcome.rejections).toEqual([
      ['line 3 (record 2)', 'floorArea', 'must be more than 0 m²'],
      ['line 4 (record 3)', 'districtId', 'unknown district KC-NOPE'],
      ['line 6 (record 5)', 'kind', 'must be one of PUBLIC_RENTAL, LOW_RENT'],
    ]);
    expect(await form.getByRole('status', { name: 'Import result' }).locator('.badge').textContent()).toBe('Partly accepted');
    // the list shows the imported units
    await page.getByRole('search', { name: 'Filter units' }).getByLabel('Address contains').fill('导入');
    await page.getByRole('search', { name: 'Filter units' }).getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Housing units' }).locator('tbody tr').count()).toBe(2);
    await screenshot(page, 'units-import');
    expect((await unitOf('导入')).map((u) => u.kind).sort()).toEqual(['LOW_RENT', 'PUBLIC_RENTAL']);

    const again = await importUnitsInBrowser(page, hub.base, csv, { batchKey: 'stock-2026-11' });
    expect(again.text).toMatch(/imported before with the same content: nothing was written/);
    // a used key with other content: the hub's CONFLICT is shown
    await expect(importUnitsInBrowser(page, hub.base, csv.replace('45.5', '46'), { batchKey: 'stock-2026-11' })).rejects.toThrow(/stock-2026-11/);
  });

  it('in Chinese: a caseworker sees its own district’s units, and no action it may not take', async () => {
    const page: Page = await newPage(browser, 'zh');
    await signInAs(page, hub.base, 'CASEWORKER', 'KC-KCZ');
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '辖区与房源' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('辖区与房源');
    const table = page.getByRole('table', { name: '房源' });
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(new Set(await table.locator('tbody tr td:nth-child(2)').allTextContents())).toEqual(new Set(['宽城镇 Kuancheng Town']));
    expect(await page.getByRole('button', { name: '登记房源' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: '批量导入房源' }).count()).toBe(0);
    expect(await table.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: '建筑面积' }).count()).toBe(1);
    // the district filter offers only its own district
    expect(await page.getByRole('search', { name: '筛选房源' }).getByLabel(/^辖区/).locator('option').allTextContents()).toEqual([
      '全部',
      '宽城镇 Kuancheng Town',
    ]);
  });
});
