// Generates N households (default 100,000) into a fresh database and reports the time taken.
// Usage: npm run bench:generate [-- 100000]   (TEST_DATABASE_URL=postgres://... for PostgreSQL)
import { performance } from 'node:perf_hooks';
import { generateDemoData, writeDemoData } from '../src/demo/generator.js';
import { openTestDatabase, testDatabaseKind } from '../test/helpers/db.js';

const households = Number(process.argv[2] ?? 100_000);
const database = await openTestDatabase();
try {
  const t0 = performance.now();
  const data = generateDemoData({ households, seed: 1, today: '2026-11-23' });
  const t1 = performance.now();
  await writeDemoData(database, data);
  const t2 = performance.now();
  const rows = Object.values(data).reduce((n, list) => n + list.length, 0);
  console.log(
    JSON.stringify({
      database: testDatabaseKind,
      households,
      persons: data.persons.length,
      ledgerRows: data.rentLedger.length,
      totalRows: rows,
      generateSeconds: +((t1 - t0) / 1000).toFixed(2),
      writeSeconds: +((t2 - t1) / 1000).toFixed(2),
      totalSeconds: +((t2 - t0) / 1000).toFixed(2),
      rowsPerSecondWritten: Math.round(rows / ((t2 - t1) / 1000)),
    }),
  );
} finally {
  await database.close();
}
