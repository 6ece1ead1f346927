// Qualification of every household: facts loaded in bulk (one query per table for 5,000 households
// at a time), the next two chunks' loading while the engine evaluates this one. Prints households per
// second for the whole run and for the engine alone.
// Usage: TEST_DATABASE_URL=postgres://… npm run bench:evaluate [-- 100000]
import { connectors } from '../connectors/index.js';
import { createAgencyLoaders } from '../src/agency/loaders.js';
import { households } from '../src/db/schema.js';
import { generateAgencyRecords } from '../src/demo/agency-data.js';
import { feedAgencyRecords, generateDemoData, writeDemoData } from '../src/demo/generator.js';
import { evaluate, type HouseholdFacts } from '../src/policy/engine.js';
import { factsInBulk } from '../src/policy/facts.js';
import { ensurePolicies, parametersAsOf } from '../src/policy/service.js';
import { asc, sql } from 'drizzle-orm';
import { openTestDatabase, testDatabaseKind } from '../test/helpers/db.js';

const count = Number(process.argv[2] ?? 100_000);
const today = '2026-11-23';
const CHUNK = 5_000;
/** chunks whose facts are loading while the engine evaluates the current one */
const AHEAD = 2;

// the hub's own default pool (DATABASE_POOL_SIZE), so a chunk's queries run side by side
const database = await openTestDatabase(10);
try {
  const s0 = performance.now();
  const data = generateDemoData({ households: count, seed: 9, today });
  await writeDemoData(database, data);
  await feedAgencyRecords(database, generateAgencyRecords(data, 9, today), today);
  await ensurePolicies(database.db);
  // statistics for the tables just loaded, as autovacuum would gather within a minute
  await database.db.execute(sql`analyze`);
  const setupSeconds = (performance.now() - s0) / 1000;

  const params = await parametersAsOf(database.db, 'KC', today);
  const coverage = await createAgencyLoaders(database.db, connectors, {}).coverage(today);
  const rows = await database.db.select().from(households).orderBy(asc(households.id));
  let waitMs = 0;
  let engineMs = 0;
  const verdicts: Record<string, number> = {};
  const load = (from: number) => (from < rows.length ? factsInBulk(database.db, rows.slice(from, from + CHUNK), today, coverage) : null);
  const w0 = performance.now();
  // pipelined: while the engine works through one chunk, the database builds the next two chunks' facts
  const inFlight = Array.from({ length: AHEAD }, (_, k) => load(k * CHUNK));
  for (let i = 0; i < rows.length; i += CHUNK) {
    const t0 = performance.now();
    const facts: HouseholdFacts[] = (await inFlight.shift())!;
    inFlight.push(load(i + AHEAD * CHUNK));
    const t1 = performance.now();
    for (const f of facts) {
      const v = evaluate(f, params).verdict;
      verdicts[v] = (verdicts[v] ?? 0) + 1;
    }
    waitMs += t1 - t0;
    engineMs += performance.now() - t1;
  }
  const wallMs = performance.now() - w0;
  const total = wallMs / 1000;
  console.log(
    JSON.stringify({
      database: testDatabaseKind,
      households: rows.length,
      persons: data.persons.length,
      setupSeconds: +setupSeconds.toFixed(1),
      seconds: +total.toFixed(2),
      waitingForFactsSeconds: +(waitMs / 1000).toFixed(2),
      engineSeconds: +(engineMs / 1000).toFixed(2),
      householdsPerSecond: Math.round(rows.length / total),
      engineHouseholdsPerSecond: Math.round(rows.length / (engineMs / 1000)),
      verdicts,
    }),
  );
} finally {
  await database.close();
}
