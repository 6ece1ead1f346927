import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectors } from '../connectors/index.js';
import { createAgencyLoaders } from '../src/agency/loaders.js';
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
  });
});
