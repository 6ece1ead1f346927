import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectors } from '../connectors/index.js';
import { createAgencyLoaders } from '../src/agency/loaders.js';
import { selectRows } from '../src/db/client.js';
import { households } from '../src/db/schema.js';
import { createRecordLoaders } from '../src/households/loaders.js';
import { evaluate } from '../src/policy/engine.js';
import { factsInBulk, householdFacts } from '../src/policy/facts.js';
import { parametersAsOf } from '../src/policy/service.js';
import { startTestHub, TEST_TODAY, type TestHub } from './helpers/hub.js';

describe('facts for a sweep, loaded in bulk', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ households: 150, seed: 21, agencyFeeds: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('give the same verdicts and criteria as the per-request loaders', async () => {
    const db = t.database.db;
    const rows = await db.select().from(households).orderBy(asc(households.id));
    const params = await parametersAsOf(db, 'KC', TEST_TODAY);
    const agency = createAgencyLoaders(db, connectors, {});
    const loaders = createRecordLoaders(db);
    const perRequest = await Promise.all(rows.map((h) => householdFacts(h, loaders, agency, TEST_TODAY, TEST_TODAY)));
    const bulk = await factsInBulk(db, rows, TEST_TODAY, await agency.coverage(TEST_TODAY));
    const summary = (f: (typeof bulk)[number]) => evaluate(f, params).categories.map((c) => [c.verdict, c.criteria.map((x) => [x.code, x.outcome, x.actual])]);
    expect(bulk.map(summary)).toEqual(perRequest.map(summary));
    expect(new Set(bulk.map((f) => evaluate(f, params).verdict)).size).toBeGreaterThan(1);
    // and the same deaths and allowances, which detection reads from the facts
    const lifeEvents = (f: (typeof bulk)[number]) =>
      f.members.map((m) => [m.residentId, m.deaths.map((d) => [d['diedOn'], d['agency']]), m.allowances.map((a) => [a['status'], a['until']])]);
    expect(bulk.map(lifeEvents)).toEqual(perRequest.map(lifeEvents));
    expect(bulk.some((f) => f.members.some((m) => m.allowances.length > 0))).toBe(true);
  });
});

describe('qualification of a whole page', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ households: 120, seed: 22, agencyFeeds: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  const PAGE = `{ households(first: 100) { nodes { id qualification { verdict sinceLast { previousVerdict changedCriteria } latestEvaluation { id } } score { total } } } }`;

  it('costs a bounded number of SQL statements and stores nothing', async () => {
    const first = await t.gql(PAGE);
    expect(first.body.errors).toBeUndefined();
    // page, bureau records, the agency kinds, coverage, policies and parameters, latest stored evaluations
    expect(Number(first.headers.get('x-sql-statements'))).toBeLessThanOrEqual(10);
    const second = await t.gql(PAGE);
    const nodes = second.body.data.households.nodes as { qualification: { sinceLast: unknown; latestEvaluation: unknown } }[];
    expect(nodes.every((n) => n.qualification.sinceLast === null && n.qualification.latestEvaluation === null)).toBe(true);
    const [stored] = await selectRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from qualification_evaluations`);
    expect(stored?.n).toBe(0);
  });
});
