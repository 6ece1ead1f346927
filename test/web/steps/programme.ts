// Steps of the programme's work taken in the browser as a person at the dashboard would: the
// districts & units screen, the rent screen and the profile's rent and subsidy panels. Each step
// expects a page already signed in with a role that may take it; the labels are matched in English
// and Chinese, so a walkthrough may run in either language.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export interface DistrictFields {
  id: string;
  name: string;
  jurisdiction: string;
  /** KC or GY */
  policyId: string;
}

export interface UnitFields {
  districtId: string;
  address: string;
  floorArea: number;
  rooms: number;
  kind?: 'PUBLIC_RENTAL' | 'LOW_RENT';
}

export interface ImportOutcome {
  /** ACCEPTED, PARTIAL or REFUSED as the screen shows it */
  text: string;
  /** the refused rows as shown: line, field, reason */
  rejections: string[][];
}

const dialog = (page: Page, name: RegExp) => page.getByRole('dialog', { name });

async function open(page: Page, url: string, heading: RegExp): Promise<void> {
  if (page.url() !== url) await page.goto(url);
  await expect.poll(() => page.getByRole('heading', { level: 1, name: heading }).isVisible()).toBe(true);
}

/** waits until a dialog closed (the save went through) or shows the API's complaint, which it returns as an error */
async function saved(box: Locator): Promise<void> {
  await expect
    .poll(async () => (!(await box.isVisible()) ? 'closed' : (await box.getByRole('alert').count()) ? 'refused' : 'open'), { timeout: 15_000 })
    .not.toBe('open');
  if (await box.isVisible()) throw new Error(`refused: ${(await box.getByRole('alert').allTextContents()).join('; ')}`);
}

/** ADMIN: Districts & units → New district */
export async function createDistrictInBrowser(page: Page, base: string, d: DistrictFields): Promise<void> {
  await open(page, `${base}/districts`, /Districts & units|辖区与房源/);
  await page.getByRole('button', { name: /^(New district|新建辖区)$/ }).click();
  const box = dialog(page, /New district|新建辖区/);
  await box.getByLabel(/District code|辖区代码/).fill(d.id);
  await box.getByLabel(/^(Name|名称)$/).fill(d.name);
  await box.getByLabel(/Jurisdiction|所属县市/).fill(d.jurisdiction);
  await box.getByLabel(/Policy|适用政策/).selectOption(d.policyId);
  await box.getByRole('button', { name: /^(Save|保存)$/ }).click();
  await saved(box);
  await expect
    .poll(() =>
      page
        .getByRole('table', { name: /^(Districts|辖区)$/ })
        .getByRole('row', { name: new RegExp(escape(d.id), 'i') })
        .count(),
    )
    .toBe(1);
}

/** ADMIN or MANAGER: Districts & units → New unit */
export async function createUnitInBrowser(page: Page, base: string, u: UnitFields): Promise<void> {
  await open(page, `${base}/districts`, /Districts & units|辖区与房源/);
  await page.getByRole('button', { name: /^(New unit|登记房源)$/ }).click();
  const box = dialog(page, /New unit|登记房源/);
  // a select's label reads its options too: matched by its start
  await box.getByLabel(/^(District|辖区)/).selectOption(u.districtId);
  await box.getByLabel(/^(Address|地址)$/).fill(u.address);
  await box.getByLabel(/Floor area|建筑面积/).fill(String(u.floorArea));
  await box.getByLabel(/^(Rooms|房间数)$/).fill(String(u.rooms));
  await box.getByLabel(/^(Kind|类型)/).selectOption(u.kind ?? 'PUBLIC_RENTAL');
  await box.getByRole('button', { name: /^(Save|保存)$/ }).click();
  await saved(box);
}

/** the units table's row of an address (after filtering the list by it) */
export async function unitRowInBrowser(page: Page, base: string, address: string): Promise<Locator> {
  await open(page, `${base}/districts`, /Districts & units|辖区与房源/);
  const filters = page.getByRole('search', { name: /Filter units|筛选房源/ });
  await filters.getByLabel(/Address contains|地址包含/).fill(address);
  await filters.getByRole('button', { name: /^(Search|搜索)$/ }).click();
  const row = page
    .getByRole('table', { name: /Housing units|房源/ })
    .getByRole('row')
    .filter({ hasText: address });
  await expect.poll(() => row.count()).toBe(1);
  return row;
}

/** ADMIN or MANAGER: withdraw a FREE unit with a reason */
export async function withdrawUnitInBrowser(page: Page, base: string, address: string, reason: string): Promise<void> {
  const row = await unitRowInBrowser(page, base, address);
  await row.getByRole('button', { name: /Withdraw|停用/ }).click();
  const box = dialog(page, /Withdraw unit|停用房源/);
  await box.getByLabel(/Reason|停用原因/).fill(reason);
  await box.getByRole('button', { name: /^(Withdraw|停用)$/ }).click();
  await saved(box);
}

/** ADMIN or MANAGER: return a withdrawn unit to FREE */
export async function returnUnitInBrowser(page: Page, base: string, address: string): Promise<void> {
  const row = await unitRowInBrowser(page, base, address);
  await row.getByRole('button', { name: /Make available|恢复可配租/ }).click();
  await expect.poll(() => row.getByRole('button', { name: /Withdraw|停用/ }).count()).toBe(1);
}

async function importFile(form: Locator, fileName: string, content: string, batchKey?: string, mode?: 'KEEP_VALID' | 'ALL_OR_NOTHING'): Promise<ImportOutcome> {
  await form.getByLabel(/File|文件/).setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') });
  if (batchKey) await form.getByLabel(/Batch key|批次号/).fill(batchKey);
  if (mode) await form.getByLabel(/^(Mode|处理方式)/).selectOption(mode);
  await form.getByRole('button', { name: /Upload and import|上传导入/ }).click();
  const result = form.getByRole('status', { name: /Import result|导入结果/ });
  const failed = form.getByRole('alert');
  await expect.poll(async () => (await result.count()) + (await failed.count()), { timeout: 30_000 }).toBeGreaterThan(0);
  if (await failed.count()) throw new Error(`import refused: ${(await failed.allTextContents()).join('; ')}`);
  const rows = await result.getByRole('row').all();
  const rejections: string[][] = [];
  for (const row of rows.slice(1)) rejections.push(await row.getByRole('cell').allTextContents());
  return { text: (await result.locator('p').first().textContent()) ?? '', rejections };
}

/** ADMIN or MANAGER: Districts & units → Import units from a file (CSV with address,districtId,floorArea,rooms,kind) */
export async function importUnitsInBrowser(
  page: Page,
  base: string,
  csv: string,
  options: { batchKey?: string; fileName?: string; mode?: 'KEEP_VALID' | 'ALL_OR_NOTHING' } = {},
): Promise<ImportOutcome> {
  await open(page, `${base}/districts`, /Districts & units|辖区与房源/);
  const form = page.getByRole('form', { name: /Import units from a file|批量导入房源/ });
  return importFile(form, options.fileName ?? 'units.csv', csv, options.batchKey, options.mode);
}

/** ADMIN or MANAGER: Rent → Charge rent now; returns the screen's answer (e.g. "8 monthly charges written (tenancies charged: 1), through Nov 2026") */
export async function chargeRentInBrowser(page: Page, base: string): Promise<string> {
  await open(page, `${base}/rent`, /^(Rent|租金)$/);
  const section = page.getByRole('region', { name: /Monthly charges|按月计租/ });
  await section.getByRole('button', { name: /Charge rent now|立即计租/ }).click();
  const status = section.getByRole('status').filter({ hasText: /written|新记/ });
  const failed = section.getByRole('alert');
  await expect.poll(async () => (await status.count()) + (await failed.count()), { timeout: 30_000 }).toBeGreaterThan(0);
  if (await failed.count()) throw new Error(`charge refused: ${await failed.textContent()}`);
  return (await status.textContent()) ?? '';
}

export interface PaymentFields {
  amount: number;
  /** YYYY-MM-DD */
  paidOn: string;
  reference: string;
  /** YYYY-MM: the month paid for; absent: the oldest months owing */
  month?: string;
}

async function fillPayment(form: Locator, p: PaymentFields): Promise<void> {
  await form.getByLabel(/Amount|金额/).fill(String(p.amount));
  await form.getByLabel(/Paid on|缴费日期/).fill(p.paidOn);
  await form.getByLabel(/reference|流水号/i).fill(p.reference);
  if (p.month) await form.getByLabel(/For the month|缴纳月份/).fill(p.month);
  await form.getByRole('button', { name: /^(Record|登记)$/ }).click();
}

/** ADMIN, MANAGER or CASEWORKER: Rent → the unit's tenancy → Record a payment; returns the screen's confirmation */
export async function recordPaymentInBrowser(page: Page, base: string, address: string, p: PaymentFields): Promise<string> {
  await open(page, `${base}/rent`, /^(Rent|租金)$/);
  await page
    .getByRole('button', { name: new RegExp(`(Record a payment|登记缴费)：?:? ?${escape(address)}`) })
    .first()
    .click();
  const box = dialog(page, /Record a payment|登记缴费/);
  await fillPayment(box.getByRole('form', { name: /Record a payment|登记缴费/ }), p);
  await saved(box);
  const notice = page.getByRole('status').filter({ hasText: /recorded|已登记/ });
  await expect.poll(() => notice.count()).toBe(1);
  return (await notice.textContent()) ?? '';
}

/** the same on the household's profile (its rent panel) */
export async function recordPaymentOnProfile(page: Page, base: string, householdId: string, p: PaymentFields): Promise<string> {
  if (!page.url().endsWith(`/households/${householdId}`)) await page.goto(`${base}/households/${householdId}`);
  const panel = rentPanel(page);
  await expect.poll(() => panel.isVisible()).toBe(true);
  const form = panel.getByRole('form', { name: /Record a payment|登记缴费/ });
  await fillPayment(form, p);
  const notice = panel.getByRole('status').filter({ hasText: /recorded|已登记/ });
  const failed = form.getByRole('alert');
  await expect.poll(async () => (await notice.count()) + (await failed.count()), { timeout: 15_000 }).toBeGreaterThan(0);
  if (await failed.count()) throw new Error(`payment refused: ${(await failed.allTextContents()).join('; ')}`);
  return (await notice.textContent()) ?? '';
}

/** the profile's rent panel */
export function rentPanel(page: Page): Locator {
  return page.getByRole('region', { name: /^(Rent|租金)$/ });
}

/** ADMIN or MANAGER: Rent → Import a payments file (CSV with tenancyId,amount,paidOn,reference,month) */
export async function importPaymentsInBrowser(
  page: Page,
  base: string,
  csv: string,
  options: { batchKey?: string; fileName?: string; mode?: 'KEEP_VALID' | 'ALL_OR_NOTHING' } = {},
): Promise<ImportOutcome> {
  await open(page, `${base}/rent`, /^(Rent|租金)$/);
  const form = page.getByRole('form', { name: /Import a payments file|导入缴费文件/ });
  return importFile(form, options.fileName ?? 'payments.csv', csv, options.batchKey, options.mode);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** the profile's subsidy panel */
export function subsidyPanel(page: Page): Locator {
  return page.getByRole('region', { name: /Rent subsidy|租赁补贴/ });
}

async function onProfile(page: Page, base: string, householdId: string): Promise<void> {
  if (!page.url().endsWith(`/households/${householdId}`)) await page.goto(`${base}/households/${householdId}`);
}

async function submitted(form: Locator, done: () => Promise<boolean>): Promise<void> {
  await expect
    .poll(async () => ((await done()) ? 'done' : (await form.getByRole('alert').count()) ? 'refused' : 'waiting'), { timeout: 15_000 })
    .not.toBe('waiting');
  if (!(await done())) throw new Error(`refused: ${(await form.getByRole('alert').allTextContents()).join('; ')}`);
}

/** ADMIN, MANAGER or CASEWORKER: the profile → Start the subsidy (a waitlisted household); an amount only for ADMIN or MANAGER */
export async function startSubsidyInBrowser(page: Page, base: string, householdId: string, s: { startDate: string; monthlyAmount?: number }): Promise<void> {
  await onProfile(page, base, householdId);
  const panel = subsidyPanel(page);
  const form = panel.getByRole('form', { name: /Start the subsidy|开始发放补贴/ });
  await expect.poll(() => form.isVisible()).toBe(true);
  await form.getByLabel(/Start date|起始日期/).fill(s.startDate);
  if (s.monthlyAmount !== undefined) await form.getByLabel(/Monthly amount|每月金额/).fill(String(s.monthlyAmount));
  await form.getByRole('button', { name: /Start the subsidy|开始发放补贴/ }).click();
  await submitted(form, async () => (await panel.getByRole('form', { name: /End the subsidy|停止发放补贴/ }).count()) > 0);
}

/** ADMIN, MANAGER or CASEWORKER: the profile → End the subsidy */
export async function endSubsidyInBrowser(page: Page, base: string, householdId: string, s: { endDate: string; reason: string }): Promise<void> {
  await onProfile(page, base, householdId);
  const panel = subsidyPanel(page);
  const form = panel.getByRole('form', { name: /End the subsidy|停止发放补贴/ });
  await expect.poll(() => form.isVisible()).toBe(true);
  await form.getByLabel(/End date|停发日期/).fill(s.endDate);
  await form.getByLabel(/^(Reason|停发原因)$/).fill(s.reason);
  await form.getByRole('button', { name: /End the subsidy|停止发放补贴/ }).click();
  await submitted(form, async () => (await panel.getByRole('form', { name: /End the subsidy|停止发放补贴/ }).count()) === 0);
}

/** ADMIN, MANAGER or CASEWORKER: Waitlist → the district → "Why rank N?"; returns the explanation's sentence */
export async function explainRankInBrowser(page: Page, base: string, districtId: string, rank: number): Promise<string> {
  await page.goto(`${base}/waitlist?district=${encodeURIComponent(districtId)}`);
  const button = page.getByRole('button', { name: new RegExp(`^(Why rank ${rank}\\?|为何排第 ${rank}？)$`) });
  await button.click();
  const region = page.getByRole('region', { name: new RegExp(`is rank ${rank}$|^第 ${rank} 名`) });
  await expect.poll(() => region.isVisible()).toBe(true);
  return (await region.locator('p').textContent()) ?? '';
}
