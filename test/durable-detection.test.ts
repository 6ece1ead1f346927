// Item 9 of #13: nothing a feed or a review finds is lost to a crash.
// - A feed batch commits together with a pending detection: if the instance dies after the commit and
//   before detecting, the queue detects the batch later, once; a resend is a replay and adds nothing.
// - A review chunk taken by an instance that died is taken up elsewhere soon after (item 21).
// - A review chunk's evaluations, alerts and webhook deliveries commit together or not at all.
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectors } from '../connectors/index.js';
import { ingestAndDetect } from '../src/detection/after-feed.js';
import { alerts, webhookDeliveries, webhookEndpoints } from '../src/detection/tables.js';
import { openReview, reviewChunk } from '../src/jobs/reviews.js';
import { reviewChunks, reviewRuns } from '../src/jobs/tables.js';
import { qualificationEvaluations } from '../src/policy/tables.js';
import { startTestHub, TEST_TODAY, type TestHub } from './helpers/hub.js';
import { housedHousehold, memberIds } from './helpers/scenario.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({
    env: {
      JOBS_ENABLED: 'true',
      JOBS_POLL_SECONDS: '0.5',
      FEED_DETECTION_GRACE_SECONDS: '1',
      REVIEW_CHUNK_EXPIRE_SECONDS: '2',
      JOBS_MAINTENANCE_SECONDS: '1',
      RENT_CHARGE_CRON: 'off',
      OFFER_EXPIRY_CRON: 'off',
      SPOT_CHECK_CRON: 'off',
    },
  });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const alertsOf = (householdId: string, rule: string) =>
  t.database.db
    .select()
    .from(alerts)
    .where(and(eq(alerts.householdId, Number(householdId)), eq(alerts.rule, rule)));

/** feed detections waiting on the queue (pg-boss's own table) */
async function pendingDetections(): Promise<number> {
  const rows = await t.database.db.execute<{ n: number }>(
    sql`select count(*)::int as n from pgboss.job where name = 'feed-detection' and state in ('created', 'retry', 'active')`,
  );
  return Number((rows as unknown as { rows?: { n: number }[] }).rows?.[0]?.n ?? (rows as unknown as { n: number }[])[0]?.n);
}

async function until(condition: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

const killed = () => {
  throw new Error('instance killed after the commit');
};

describe('detection after a feed survives a crash', () => {
  it('detects a batch whose instance died between its commit and its detection, exactly once', async () => {
    const { id } = await housedHousehold(t);
    const member = (await memberIds(t, id))[1]!;
    const submission = { batchKey: 'death-crash', asOf: TEST_TODAY, parts: [{ kind: 'death', records: [{ residentId: member, diedOn: '2026-11-02' }] }] };
    await expect(ingestAndDetect(t.database, connectors['civil-affairs'], submission, TEST_TODAY, { afterCommit: killed })).rejects.toThrow('killed');
    // the batch is stored, its detection did not run
    expect(await alertsOf(id, 'MEMBER_DEATH')).toHaveLength(0);
    expect(await pendingDetections()).toBe(1);

    // the queue works the pending detection after its grace period
    await until(async () => (await alertsOf(id, 'MEMBER_DEATH')).length > 0 && (await pendingDetections()) === 0, 20_000);
    expect(await alertsOf(id, 'MEMBER_DEATH')).toHaveLength(1);
    expect(await pendingDetections()).toBe(0);

    // the agency resends the batch: a replay, nothing new
    const resent = await t.gql(
      `mutation($r: CivilAffairsRecords!) { submitCivilAffairsFeed(batchKey: "death-crash", records: $r) { replayed alertsRaised } }`,
      {
        r: { death: [{ residentId: member, diedOn: '2026-11-02' }] },
      },
    );
    expect(resent.body.data.submitCivilAffairsFeed).toEqual({ replayed: true, alertsRaised: 0 });
    expect(await alertsOf(id, 'MEMBER_DEATH')).toHaveLength(1);
  }, 60_000);

  it('a batch detected by its own instance leaves no pending detection behind', async () => {
    const { id } = await housedHousehold(t);
    const member = (await memberIds(t, id))[1]!;
    const res = await t.gql(`mutation($r: CivilAffairsRecords!) { submitCivilAffairsFeed(batchKey: "death-ok", records: $r) { alertsRaised } }`, {
      r: { death: [{ residentId: member, diedOn: '2026-11-03' }] },
    });
    expect(res.body.data.submitCivilAffairsFeed.alertsRaised).toBe(1);
    expect(await pendingDetections()).toBe(0);
    await new Promise((r) => setTimeout(r, 2_000)); // past the grace period: nothing runs twice
    expect(await alertsOf(id, 'MEMBER_DEATH')).toHaveLength(1);
  }, 60_000);
});

describe('a review chunk is atomic', () => {
  it('a chunk failing mid-way leaves no evaluation, alert or delivery, and its retry does it all once', async () => {
    const { id } = await housedHousehold(t, ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    const db = t.database.db;
    await db.insert(webhookEndpoints).values({ url: 'http://127.0.0.1:9/nowhere', secret: 'x'.repeat(32), createdBy: 'test' });
    const { run, pending } = await openReview(t.database, 'ANNUAL', TEST_TODAY, 'test', 1_000);
    expect(pending).toHaveLength(1);
    const [chunk] = await db.select().from(reviewChunks).where(eq(reviewChunks.runId, run.id));
    expect(chunk!.householdIds).toContain(Number(id));
    const evaluations = async () =>
      (await db.select({ n: count() }).from(qualificationEvaluations).where(inArray(qualificationEvaluations.householdId, chunk!.householdIds)))[0]!.n;
    const before = await evaluations();

    // the database fails at the chunk's alerts, after its evaluations were written
    await db.execute(sql`create function fail_alerts() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
    await db.execute(sql`create trigger fail_alerts before insert on alerts for each statement execute function fail_alerts()`);
    await expect(reviewChunk(t.database, pending[0]!)).rejects.toThrow();
    expect(await evaluations()).toBe(before);
    expect(await alertsOf(id, 'RENT_ARREARS_EXIT')).toHaveLength(0);
    expect((await db.select().from(reviewChunks).where(eq(reviewChunks.runId, run.id)))[0]!.doneAt).toBeNull();

    await db.execute(sql`drop trigger fail_alerts on alerts`);
    await db.execute(sql`drop function fail_alerts`);
    await reviewChunk(t.database, pending[0]!);
    await reviewChunk(t.database, pending[0]!); // re-sent: changes nothing
    expect(await evaluations()).toBe(before + chunk!.householdIds.length);
    const raised = await alertsOf(id, 'RENT_ARREARS_EXIT');
    expect(raised).toHaveLength(1);
    expect(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.alertId, raised[0]!.id))).toHaveLength(1);
    const [finished] = await db.select().from(reviewRuns).where(eq(reviewRuns.id, run.id));
    expect(finished!.finishedAt).not.toBeNull();
  }, 60_000);
});

describe('an alert commits with its webhook deliveries', () => {
  it('a detection failing at the deliveries leaves no alert, and detecting again raises it with its delivery', async () => {
    const { id } = await housedHousehold(t, ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    const db = t.database.db;
    if ((await db.select().from(webhookEndpoints)).length === 0) {
      await db.insert(webhookEndpoints).values({ url: 'http://127.0.0.1:9/nowhere', secret: 'x'.repeat(32), createdBy: 'test' });
    }
    await db.execute(sql`create function fail_deliveries() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
    await db.execute(sql`create trigger fail_deliveries before insert on webhook_deliveries for each statement execute function fail_deliveries()`);
    const detectIt = () => t.gql(`mutation($ids: [ID!]) { runDetection(householdIds: $ids) }`, { ids: [id] });
    expect((await detectIt()).body.errors).toBeDefined();
    expect(await alertsOf(id, 'RENT_ARREARS_EXIT')).toHaveLength(0);
    await db.execute(sql`drop trigger fail_deliveries on webhook_deliveries`);
    await db.execute(sql`drop function fail_deliveries`);
    expect((await detectIt()).body.data.runDetection).toBe(1);
    const raised = await alertsOf(id, 'RENT_ARREARS_EXIT');
    expect(raised).toHaveLength(1);
    expect(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.alertId, raised[0]!.id))).toHaveLength(1);
  }, 60_000);
});

describe('the work of an instance that died', () => {
  it('a review chunk it had taken is done by another instance within seconds of the chunk expiry', async () => {
    await housedHousehold(t);
    const db = t.database.db;
    const { run, pending } = await openReview(t.database, 'DAILY', TEST_TODAY, 'test', 1_000);
    expect(pending).toHaveLength(1);
    // taken (active) by an instance that was then killed: nobody will complete it
    await db.execute(sql`insert into pgboss.job (name, data, state, started_on, expire_in, singleton_key, policy, retry_limit, retry_backoff, retry_delay)
      select q.name, ${JSON.stringify(pending[0])}::jsonb, 'active', now(), q.expire_seconds * interval '1 second', ${`${run.id}:0`}, q.policy, q.retry_limit, true, 1
      from pgboss.queue q where q.name = 'review-chunk'`);
    const started = Date.now();
    const done = async () => (await db.select().from(reviewChunks).where(eq(reviewChunks.runId, run.id)))[0]!.doneAt !== null;
    await until(done, 20_000);
    expect(await done()).toBe(true);
    // expiry (REVIEW_CHUNK_EXPIRE_SECONDS) + maintenance (JOBS_MAINTENANCE_SECONDS) + retry delay + polling
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);
});
