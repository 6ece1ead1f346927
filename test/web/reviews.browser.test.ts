// Reviews in the browser: a manager starts an annual review and watches it run to the end, opens
// the households it reviewed (worst verdict first) and goes to a profile; draws the year's spot
// checks in a Guiyang district and opens a household of the sample.
import { and, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { districts, households } from '../../src/db/schema.js';
import { reviewChunks, reviewRuns } from '../../src/jobs/tables.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchBrowser, newPage, screenshot, signInAs, startWebHub, type WebHub } from './browser.js';

/** the hub answers on a shared, loaded machine: a second (the default) is too short to wait for it */
const poll: typeof expect.poll = (fn, options) => expect.poll(fn, { timeout: 10_000, ...options });

const JOBS_ENV = { JOBS_ENABLED: 'true', JOBS_POLL_SECONDS: '1', REVIEW_CHUNK_SIZE: '1', REVIEW_ANNUAL_CRON: '0 2 2 1 *', REVIEW_DAILY_CRON: 'off' };

describeInBrowser('reviews and spot checks', () => {
  let hub: WebHub;
  let browser: Browser;

  beforeAll(async () => {
    [hub, browser] = await Promise.all([startWebHub({ households: 16, agencyFeeds: true, env: JOBS_ENV }), launchBrowser()]);
    // a Guiyang district with 30 housed households: its yearly spot check draws ⌈5%⌉ = 2
    await hub.database.db.insert(districts).values({ id: 'GY-YY', name: '云岩区 Yunyan', jurisdiction: 'GUIYANG' });
    await hub.database.db
      .insert(households)
      .values(
        Array.from({ length: 30 }, () => ({ districtId: 'GY-YY', category: 'LOCAL' as const, status: 'HOUSED' as const, applicationDate: '2024-01-01' })),
      );
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('starts an annual review, sees it finish with its outcome, and links each reviewed household to its profile', async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Reviews' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Reviews and spot checks');
    const runs = page.getByRole('region', { name: 'Review runs' });
    await poll(() => runs.getByText('No review has run yet.').isVisible()).toBe(true);

    const form = page.getByRole('form', { name: 'Start a review' });
    await form.getByLabel('Review').selectOption('ANNUAL');
    await form.getByRole('button', { name: 'Start review' }).click();
    // its chunks run back to back on the job queue (a run seen under way: the next test)
    const row = runs.locator('tbody tr').first();
    await poll(() => row.textContent(), { timeout: 60_000 }).toMatch(/^#1Annual review.*Finished/);
    expect(await page.getByRole('status').count()).toBe(0);
    const [{ households: reviewed, chunks, chunksDone }] = (await hub.gql(`{ reviewRuns { households chunks chunksDone } }`)).body.data.reviewRuns;
    expect(chunksDone).toBe(chunks);
    expect(await row.locator('td').nth(5).textContent()).toBe(String(reviewed));

    const list = page.getByRole('region', { name: /^Households of run 1 \(Annual review/ });
    await poll(() => list.locator('tbody tr').count()).toBe(reviewed);
    const stored = (await hub.gql(`{ reviewRun(id: "1") { verdicts { verdict count } reviewed { householdId verdict } } }`)).body.data.reviewRun;
    // the outcome column counts each verdict; the list is worst first
    for (const v of stored.verdicts)
      expect(await row.textContent()).toContain(`${{ ELIGIBLE: 'Eligible', INELIGIBLE: 'Ineligible', UNKNOWN: 'Unknown' }[v.verdict as string]} ${v.count}`);
    expect(await list.locator('tbody tr td:first-child').allTextContents()).toEqual(
      stored.reviewed.map((r: { householdId: string }) => `Household #${r.householdId}`),
    );

    const worst = stored.reviewed[0];
    const districtOf = (await hub.gql(`query($id: ID!) { household(id: $id) { district { name } } }`, { id: worst.householdId })).body.data.household.district
      .name;
    expect(await list.locator('tbody tr').first().textContent()).toContain(districtOf);
    await list.getByLabel('Verdict').selectOption(worst.verdict);
    await poll(() => list.locator('tbody tr').count()).toBe(stored.verdicts.find((v: { verdict: string }) => v.verdict === worst.verdict).count);
    await screenshot(page, 'review');
    await list.getByRole('link', { name: `Household #${worst.householdId}`, exact: true }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`Household #${worst.householdId}`);
  });

  it('shows a run under way with its chunks done so far, and follows it without a reload until it finishes', async () => {
    // a run half done, as the job queue leaves it between chunks
    const db = hub.database.db;
    const [run] = await db.insert(reviewRuns).values({ kind: 'DAILY', asOf: '2026-11-22', households: 4, chunks: 4, startedBy: 'scheduler' }).returning();
    await db.insert(reviewChunks).values(
      [0, 1, 2, 3].map((chunk) => ({
        runId: run!.id,
        chunk,
        householdIds: [chunk + 1],
        alertsRaised: chunk < 2 ? 1 : null,
        doneAt: chunk < 2 ? new Date() : null,
      })),
    );
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    await page.goto(`${hub.base}/reviews`);
    const status = page.getByRole('status');
    await poll(() => status.textContent(), { timeout: 10_000 }).toBe(`Daily inspection #${run!.id} · Review under way: 2 of 4 chunks done`);
    const row = page.getByRole('region', { name: 'Review runs' }).locator('tbody tr').first();
    const bar = row.getByRole('progressbar', { name: '2 of 4 chunks' });
    expect(await bar.getAttribute('value')).toBe('2');
    expect(await bar.getAttribute('max')).toBe('4');

    await db
      .update(reviewChunks)
      .set({ doneAt: new Date(), alertsRaised: 0 })
      .where(and(eq(reviewChunks.runId, run!.id), eq(reviewChunks.chunk, 2)));
    await poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/3 of 4 chunks done/);
    await db
      .update(reviewChunks)
      .set({ doneAt: new Date(), alertsRaised: 0 })
      .where(and(eq(reviewChunks.runId, run!.id), eq(reviewChunks.chunk, 3)));
    await db.update(reviewRuns).set({ finishedAt: new Date() }).where(eq(reviewRuns.id, run!.id));
    await poll(() => row.textContent(), { timeout: 10_000 }).toMatch(/Finished.*No verdict stored 4/);
    expect(await status.count()).toBe(0);
    expect(await row.locator('td').nth(6).textContent()).toBe('2');
  });

  it("draws the year's spot checks with a published seed and links the sample to the profiles", async () => {
    const page = await newPage(browser, 'en');
    await signInAs(page, hub.base, 'MANAGER');
    await page.goto(`${hub.base}/reviews`);
    const section = page.getByRole('region', { name: 'Yearly random spot checks' });
    const form = section.getByRole('form', { name: "Draw the year's spot checks" });
    await form.getByLabel('Year').fill('2026');
    await poll(() => section.getByText(/No spot check drawn for 2026/).isVisible()).toBe(true);
    // a seed shorter than 8 characters: refused beside the seed field
    await form.getByLabel(/^Seed/).fill('short');
    await form.getByRole('button', { name: 'Draw spot checks' }).click();
    await poll(() => section.locator('label.field', { hasText: 'Seed' }).locator('.field-error').textContent()).toMatch(/at least 8 characters/);
    await form.getByLabel(/^Seed/).fill('published-2026-01');
    await form.getByRole('button', { name: 'Draw spot checks' }).click();
    await poll(() => section.getByRole('status').textContent()).toBe('Drawn in 1 districts.');
    const row = section.locator('tbody tr', { hasText: '云岩区 Yunyan' });
    await poll(() => row.textContent()).toMatch(/published-2026-01:GY-YY.*5%.*30/);
    expect(await row.textContent()).toMatch(/verified/);
    const sample = row.getByRole('link');
    expect(await sample.count()).toBe(2);
    const first = (await sample.first().textContent())!.slice(1);
    await sample.first().click();
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`Household #${first}`);
  });

  it('reads in Chinese, and is not offered to a caseworker', async () => {
    const page = await newPage(browser, 'zh');
    await signInAs(page, hub.base, 'MANAGER');
    await page.goto(`${hub.base}/reviews?run=1`);
    await poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('复核与抽查');
    await poll(() => page.getByRole('region', { name: '复核记录' }).textContent()).toMatch(/年度复核.*已完成/);
    await poll(() =>
      page
        .getByRole('region', { name: /^第 1 次复核（年度复核/ })
        .getByRole('link')
        .count(),
    ).toBeGreaterThan(0);
    const caseworker = await newPage(browser, 'en');
    await signInAs(caseworker, hub.base, 'CASEWORKER', 'KC-KCZ');
    expect(await caseworker.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Reviews' }).count()).toBe(0);
  });
});
