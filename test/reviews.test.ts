// Scheduled reviews and spot checks on the job queue (pg-boss, in the test database itself).
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { districts, households } from '../src/db/schema.js';
import { alerts } from '../src/detection/tables.js';
import { spotCheckSample } from '../src/jobs/spot-check.js';
import { reviewChunks } from '../src/jobs/tables.js';
import { createLogger } from '../src/logger.js';
import { qualificationEvaluations } from '../src/policy/tables.js';
import { createHub } from '../src/server.js';
import { startTestHub, TEST_JWT_SECRET, TEST_TODAY, type TestHub } from './helpers/hub.js';
import { housedHousehold } from './helpers/scenario.js';

const JOBS_ENV = { JOBS_ENABLED: 'true', JOBS_POLL_SECONDS: '0.5', REVIEW_CHUNK_SIZE: '1', REVIEW_ANNUAL_CRON: '0 2 2 1 *', REVIEW_DAILY_CRON: 'off' };

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ env: JOBS_ENV });
});
afterAll(async () => {
  await t?.close();
});

async function guiyangDistrict(id: string, housed: number, waiting: number): Promise<number[]> {
  const db = t.database.db;
  await db.insert(districts).values({ id, name: `${id} test district`, jurisdiction: 'GUIYANG' });
  const rows = await db
    .insert(households)
    .values([
      ...Array.from({ length: housed }, () => ({ districtId: id, category: 'LOCAL' as const, status: 'HOUSED' as const, applicationDate: '2024-01-01' })),
      ...Array.from({ length: waiting }, () => ({ districtId: id, category: 'LOCAL' as const, status: 'WAITLISTED' as const, applicationDate: '2024-01-01' })),
    ])
    .returning({ id: households.id, status: households.status });
  return rows.filter((r) => r.status === 'HOUSED').map((r) => r.id);
}

const SPOT_CHECKS = `query($y: Int!) { spotChecks(year: $y) { districtId seed share populationHouseholdIds sampleHouseholdIds verified } }`;

describe('Guiyang yearly spot check of 5% of households per district', () => {
  it('takes ⌈5%⌉: 1 of 20 households, 2 of 21', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(spotCheckSample('any seed', ids(20), 0.05)).toHaveLength(1);
    expect(spotCheckSample('any seed', ids(21), 0.05)).toHaveLength(2);
    expect(spotCheckSample('any seed', ids(40), 0.05)).toHaveLength(2);
  });

  it('draws from the housed households of each Guiyang district with a stored seed, alerts the sample, and never redraws', async () => {
    const housed = await guiyangDistrict('GY-SPOT', 41, 5);
    const drawn = await t.gql(`mutation { drawSpotChecks(year: 2026, seed: "published-2026-01") { districtId seed sampleHouseholdIds } }`);
    expect(drawn.body.errors).toBeUndefined();
    // Kuancheng's policy sets no spot check: only the Guiyang district is drawn
    expect(drawn.body.data.drawSpotChecks.map((d: { districtId: string }) => d.districtId)).toEqual(['GY-SPOT']);
    const [check] = (await t.gql(SPOT_CHECKS, { y: 2026 })).body.data.spotChecks;
    expect(check.seed).toBe('published-2026-01:GY-SPOT');
    expect(check.share).toBe(0.05);
    expect(check.populationHouseholdIds.map(Number)).toEqual(housed);
    expect(check.sampleHouseholdIds).toHaveLength(3);
    expect(check.verified).toBe(true);
    // anyone with the seed and population can redo it
    expect(spotCheckSample(check.seed, housed, 0.05).map(String)).toEqual(check.sampleHouseholdIds);
    const raised = await t.database.db.select({ householdId: alerts.householdId }).from(alerts).where(eq(alerts.rule, 'SPOT_CHECK_SELECTED'));
    expect(raised.map((a) => String(a.householdId)).sort()).toEqual([...check.sampleHouseholdIds].sort());

    const again = await t.gql(`mutation { drawSpotChecks(year: 2026) { districtId } }`);
    expect(again.body.data.drawSpotChecks).toEqual([]);
    expect((await t.gql(SPOT_CHECKS, { y: 2026 })).body.data.spotChecks[0].sampleHouseholdIds).toEqual(check.sampleHouseholdIds);
  });

  it('a tampered sample no longer verifies', async () => {
    await t.database.db.execute(sql`update spot_checks set sample = '[1]'::jsonb where district_id = 'GY-SPOT'`);
    expect((await t.gql(SPOT_CHECKS, { y: 2026 })).body.data.spotChecks[0].verified).toBe(false);
  });

  it('refuses a short seed', async () => {
    const res = await t.gql(`mutation { drawSpotChecks(year: 2027, seed: "abc") { districtId } }`);
    expect(res.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});

const REVIEW_RUN = `id kind asOf households chunks chunksDone alertsRaised finishedAt`;

async function finished(runId: string, gql: TestHub['gql'] = t.gql) {
  return vi.waitFor(
    async () => {
      const runs = (await gql(`{ reviewRuns { ${REVIEW_RUN} } }`)).body.data.reviewRuns as {
        id: string;
        finishedAt: string | null;
        chunks: number;
        chunksDone: number;
      }[];
      const run = runs.find((r) => r.id === runId)!;
      if (!run.finishedAt) throw new Error(`${run.chunksDone} of ${run.chunks} chunks done`);
      return run;
    },
    { timeout: 30_000, interval: 200 },
  );
}

describe('scheduled reviews on the job queue', () => {
  it('registers the schedules with the queue (a cron fires once across instances)', async () => {
    const rows = await t.database.db.execute(sql`select name, cron from pgboss.schedule order by name`);
    // REVIEW_DAILY_CRON is off here: not scheduled
    expect((rows as unknown as { rows: { name: string; cron: string }[] }).rows).toEqual([
      { name: 'offers-expire', cron: '15 0 * * *' },
      { name: 'reading-partitions', cron: '20 0 * * *' },
      { name: 'rent-charges', cron: '10 0 * * *' },
      { name: 'review-annual', cron: '0 2 2 1 *' },
      { name: 'review-quarterly', cron: '0 3 1 1,4,7,10 *' },
      { name: 'spot-check', cron: '0 4 15 1 *' },
    ]);
  });

  it('the annual review evaluates and stores every housed household once, chunk by chunk, and raises what it finds', async () => {
    const a = await housedHousehold(t);
    const b = await housedHousehold(t, ['2026-05', '2026-06', '2026-07']); // 3 months unpaid: warning
    const before = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(qualificationEvaluations);
    const started = await t.gql(`mutation { startReview(kind: ANNUAL) { ${REVIEW_RUN} } }`);
    expect(started.body.errors).toBeUndefined();
    const run = started.body.data.startReview;
    expect(run).toMatchObject({ kind: 'ANNUAL', asOf: TEST_TODAY });
    const housedCount = (
      await t.database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(households)
        .where(eq(households.status, 'HOUSED'))
    )[0]!.n;
    expect(run.households).toBe(housedCount);
    const done = await finished(run.id);
    expect(done.chunksDone).toBe(done.chunks);
    const after = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(qualificationEvaluations);
    expect(after[0]!.n - before[0]!.n).toBe(housedCount);
    const arrears = await t.database.db
      .select()
      .from(alerts)
      .where(and(eq(alerts.householdId, Number(b.id)), eq(alerts.rule, 'RENT_ARREARS_WARNING')));
    expect(arrears).toHaveLength(1);
    // the review itself is the annual review: it does not say one is due
    expect(
      await t.database.db
        .select()
        .from(alerts)
        .where(and(eq(alerts.householdId, Number(a.id)), eq(alerts.rule, 'ANNUAL_REVIEW_DUE'))),
    ).toEqual([]);

    // started again the same day: the same run, nothing done twice
    const again = await t.gql(`mutation { startReview(kind: ANNUAL) { id chunksDone } }`);
    expect(again.body.data.startReview).toEqual({ id: run.id, chunksDone: done.chunks });
    const attempts = await t.database.db
      .select({ attempts: reviewChunks.attempts })
      .from(reviewChunks)
      .where(eq(reviewChunks.runId, Number(run.id)));
    expect(attempts.every((c) => c.attempts === 1)).toBe(true);
  });

  it('the quarterly review covers only Guiyang districts', async () => {
    const res = await t.gql(`mutation { startReview(kind: QUARTERLY) { ${REVIEW_RUN} } }`);
    const guiyangHoused = (
      await t.database.db
        .select({ n: sql<number>`count(*)::int` })
        .from(households)
        .innerJoin(districts, eq(districts.id, households.districtId))
        .where(and(eq(districts.jurisdiction, 'GUIYANG'), eq(households.status, 'HOUSED')))
    )[0]!.n;
    expect(guiyangHoused).toBeGreaterThan(0);
    expect(res.body.data.startReview.households).toBe(guiyangHoused);
    await finished(res.body.data.startReview.id);
  });

  it('two instances share a run: each chunk runs once, and when one instance stops mid-run the other finishes it', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_JWT_SECRET: TEST_JWT_SECRET, ...JOBS_ENV });
    const other = await createHub({ config, database: t.database, logger: createLogger('silent'), clock: () => new Date(`${TEST_TODAY}T09:00:00`) });
    const otherUrl = await other.listen(0, '127.0.0.1');
    const otherGql: TestHub['gql'] = async (query, variables) => {
      const res = await fetch(otherUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: await t.adminAuth() },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, headers: res.headers, body: (await res.json()) as never };
    };
    let stopped = false;
    try {
      const started = await otherGql(`mutation { startReview(kind: DAILY) { ${REVIEW_RUN} } }`);
      const run = started.body.data.startReview;
      expect(run.chunks).toBeGreaterThan(10);
      await vi.waitFor(
        async () => {
          const [row] = await t.database.db
            .select({ n: sql<number>`count(*)::int` })
            .from(reviewChunks)
            .where(and(eq(reviewChunks.runId, Number(run.id)), sql`done_at is not null`));
          if (row!.n < 2) throw new Error('not started');
        },
        { timeout: 20_000, interval: 50 },
      );
      await other.stop(); // the instance that started the run goes away
      stopped = true;
      const done = await finished(run.id);
      expect(done.chunksDone).toBe(run.chunks);
      const attempts = await t.database.db
        .select({ attempts: reviewChunks.attempts })
        .from(reviewChunks)
        .where(eq(reviewChunks.runId, Number(run.id)));
      expect(attempts.map((c) => c.attempts)).toEqual(attempts.map(() => 1));
    } finally {
      if (!stopped) await other.stop();
    }
  });
});
