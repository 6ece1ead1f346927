// A full review sweep: every rule over every household, 5,000 households at a time, alerts stored.
// Chunks run REVIEW_CONCURRENCY at a time, as the review jobs do on one instance.
// Usage: TEST_DATABASE_URL=postgres://… npm run bench:sweep [-- 100000]
import { asc } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { households } from '../src/db/schema.js';
import { generateAgencyRecords } from '../src/demo/agency-data.js';
import { feedAgencyRecords, generateDemoData, writeDemoData } from '../src/demo/generator.js';
import { detect } from '../src/detection/detect.js';
import { ensurePolicies } from '../src/policy/service.js';
import { openTestDatabase, testDatabaseKind } from '../test/helpers/db.js';

const count = Number(process.argv[2] ?? 100_000);
const today = '2026-11-23';
const CHUNK = 5_000;

const database = await openTestDatabase();
try {
  const data = generateDemoData({ households: count, seed: 13, today });
  await writeDemoData(database, data);
  await feedAgencyRecords(database, generateAgencyRecords(data, 13, today), today);
  await ensurePolicies(database.db);
  const ids = (await database.db.select({ id: households.id }).from(households).orderBy(asc(households.id))).map((h) => h.id);
  // as the review jobs run: REVIEW_CONCURRENCY chunks at once (default 2), the next chunk taken when one ends
  const concurrency = loadConfig({}).REVIEW_CONCURRENCY;
  const sweep = async (onAlerts: (alerts: Awaited<ReturnType<typeof detect>>) => void) => {
    let next = 0;
    const worker = async () => {
      for (let i = next; i < ids.length; i = next) {
        next += CHUNK;
        onAlerts(await detect(database, ids.slice(i, i + CHUNK), today));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  const t0 = performance.now();
  const byRule: Record<string, number> = {};
  await sweep((alerts) => alerts.forEach((a) => (byRule[a.rule] = (byRule[a.rule] ?? 0) + 1)));
  const seconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let again = 0;
  await sweep((alerts) => (again += alerts.length));
  const secondsAgain = (performance.now() - t1) / 1000;
  console.log(
    JSON.stringify({
      database: testDatabaseKind,
      households: ids.length,
      concurrency,
      sweepSeconds: +seconds.toFixed(1),
      householdsPerSecond: Math.round(ids.length / seconds),
      alertsRaised: byRule,
      secondSweep: { seconds: +secondsAgain.toFixed(1), alertsRaised: again },
    }),
  );
} finally {
  await database.close();
}
