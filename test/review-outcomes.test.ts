// A review run's outcome household by household: the verdict it stored for each household it
// reviewed (worst first), and the counts per verdict; a DAILY run stores none.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qualificationEvaluations } from '../src/policy/tables.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

const JOBS_ENV = { JOBS_ENABLED: 'true', JOBS_POLL_SECONDS: '0.5', REVIEW_CHUNK_SIZE: '3', REVIEW_ANNUAL_CRON: '0 2 2 1 *', REVIEW_DAILY_CRON: 'off' };

const RUN = /* GraphQL */ `
  fragment Run on ReviewRun {
    id
    kind
    households
    chunks
    chunksDone
    finishedAt
    verdicts {
      verdict
      count
    }
    reviewed {
      householdId
      verdict
      household {
        id
      }
    }
  }
`;

interface Run {
  id: string;
  kind: string;
  households: number;
  chunks: number;
  chunksDone: number;
  finishedAt: string | null;
  verdicts: { verdict: string | null; count: number }[];
  reviewed: { householdId: string; verdict: string | null; household: { id: string } }[];
}

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ households: 24, agencyFeeds: true, env: JOBS_ENV });
});
afterAll(async () => {
  await t?.close();
});

async function runToEnd(kind: string): Promise<Run> {
  const started = await t.gql(`mutation($k: ReviewKind!) { startReview(kind: $k) { ...Run } } ${RUN}`, { k: kind });
  expect(started.body.errors).toBeUndefined();
  const id = started.body.data.startReview.id as string;
  for (let i = 0; i < 120; i++) {
    const runs = (await t.gql(`{ reviewRuns { ...Run } } ${RUN}`)).body.data.reviewRuns as Run[];
    const run = runs.find((r) => r.id === id)!;
    if (run.finishedAt) return run;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`review ${kind} did not finish`);
}

const RANK: Record<string, number> = { INELIGIBLE: 0, UNKNOWN: 1, ELIGIBLE: 2 };

describe('ReviewRun.reviewed and verdicts', () => {
  it('lists every household an ANNUAL run evaluated with the verdict it stored, worst first', async () => {
    const run = await runToEnd('ANNUAL');
    expect(run.households).toBeGreaterThan(0);
    expect(run.reviewed).toHaveLength(run.households);
    const stored = await t.database.db
      .select({ householdId: qualificationEvaluations.householdId, outcome: qualificationEvaluations.outcome })
      .from(qualificationEvaluations)
      .where(eq(qualificationEvaluations.evaluatedBy, 'review ANNUAL'));
    expect(new Map(run.reviewed.map((r) => [Number(r.householdId), r.verdict]))).toEqual(new Map(stored.map((s) => [s.householdId, s.outcome])));
    expect(run.reviewed.every((r) => r.household.id === r.householdId)).toBe(true);
    const ranks = run.reviewed.map((r) => RANK[r.verdict!]!);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(run.verdicts.reduce((n, v) => n + v.count, 0)).toBe(run.households);
    for (const v of run.verdicts) expect(run.reviewed.filter((r) => r.verdict === v.verdict)).toHaveLength(v.count);

    const only = await t.gql(`query($v: Verdict) { reviewRuns { id reviewed(verdict: $v, first: 2) { verdict } } }`, { v: run.verdicts[0]!.verdict });
    const mine = only.body.data.reviewRuns.find((r: { id: string }) => r.id === run.id);
    expect(mine.reviewed).toHaveLength(Math.min(2, run.verdicts[0]!.count));
    expect(new Set(mine.reviewed.map((r: { verdict: string }) => r.verdict))).toEqual(new Set([run.verdicts[0]!.verdict]));

    // one run by its id, as the dashboard opens it; an unknown id is null, a malformed one refused on its argument
    const one = await t.gql(`query($id: ID!) { reviewRun(id: $id) { ...Run } } ${RUN}`, { id: run.id });
    expect(one.body.data.reviewRun).toEqual(run);
    expect((await t.gql(`{ reviewRun(id: "999999") { id } }`)).body.data.reviewRun).toBeNull();
    expect((await t.gql(`{ reviewRun(id: "x") { id } }`)).body.errors?.[0]?.extensions?.['field']).toBe('args.id');
    expect(
      (await t.as({ sub: 'cw@test', role: 'CASEWORKER', districts: ['KC-KCZ'] }).gql(`{ reviewRun(id: "1") { id } }`)).body.errors?.[0]?.extensions?.['code'],
    ).toBe('FORBIDDEN');
  });

  it('gives a DAILY run its households without a verdict: it stores only alerts', async () => {
    const run = await runToEnd('DAILY');
    expect(run.reviewed).toHaveLength(run.households);
    expect(run.reviewed.every((r) => r.verdict === null)).toBe(true);
    expect(run.verdicts).toEqual([{ verdict: null, count: run.households }]);
  });
});
