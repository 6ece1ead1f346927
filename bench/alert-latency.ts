// Feed-to-subscriber latency: a utilities feed that makes a unit vacant, sent over HTTP, until the
// VACANCY_EXIT alert it raises reaches a graphql-ws subscriber. Prints p50/p99.
// Usage: TEST_DATABASE_URL=postgres://… npm run bench:alerts [-- 200]
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../src/config.js';
import { tenancies } from '../src/db/schema.js';
import { generateDemoData, writeDemoData } from '../src/demo/generator.js';
import { createLogger } from '../src/logger.js';
import { ensurePolicies } from '../src/policy/service.js';
import { createHub } from '../src/server.js';
import { asc, isNull } from 'drizzle-orm';
import { openTestDatabase, testDatabaseKind } from '../test/helpers/db.js';

const rounds = Number(process.argv[2] ?? 200);
const today = '2026-11-23';
const database = await openTestDatabase();
await writeDemoData(database, generateDemoData({ households: Math.max(500, rounds * 3), seed: 3, today }));
await ensurePolicies(database.db);
const housed = await database.db
  .select({ unitId: tenancies.unitId, householdId: tenancies.householdId })
  .from(tenancies)
  .where(isNull(tenancies.endDate))
  .orderBy(asc(tenancies.id));
const hub = await createHub({
  config: loadConfig({ LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '1000000' }),
  database,
  logger: createLogger('silent'),
  clock: () => new Date(`${today}T09:00:00`),
});
const url = await hub.listen(0, '127.0.0.1');
const manager = `Bearer ${await hub.authenticator.issue({ sub: 'bench-manager', role: 'MANAGER' })}`;
const agency = `Bearer ${await hub.authenticator.issue({ sub: 'bench-utilities', role: 'AGENCY', agency: 'utilities' })}`;
const client = createClient({ url: url.replace('http://', 'ws://'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: manager } });
const arrivals = new Map<string, number>();
const waiters = new Map<string, () => void>();
client.subscribe<{ alertRaised: { rule: string; household: { id: string } } }>(
  { query: 'subscription { alertRaised { rule household { id } } }' },
  {
    next: (m) => {
      const a = m.data?.alertRaised;
      if (a?.rule !== 'VACANCY_EXIT') return;
      arrivals.set(a.household.id, performance.now());
      waiters.get(a.household.id)?.();
    },
    error: (e) => console.error(e),
    complete: () => undefined,
  },
);
await new Promise((r) => setTimeout(r, 500));
const latencies: number[] = [];
try {
  for (let i = 0; i < Math.min(rounds, housed.length); i++) {
    const unitId = housed[i]!.unitId;
    const householdId = String(housed[i]!.householdId);
    const reading = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'].flatMap((month) => [
      { unitId, month, kind: 'WATER', quantity: 0, unit: 'm3' },
      { unitId, month, kind: 'ELECTRICITY', quantity: 1, unit: 'kWh' },
      { unitId, month, kind: 'GAS', quantity: 0, unit: 'm3' },
    ]);
    const arrived = new Promise<void>((resolve) => waiters.set(householdId, resolve));
    const t0 = performance.now();
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: agency },
      body: JSON.stringify({
        query: 'mutation($r: UtilitiesRecords!, $k: String!) { submitUtilitiesFeed(batchKey: $k, records: $r) { alertsRaised } }',
        variables: { r: { reading }, k: `lat-${i}` },
      }),
    });
    await arrived;
    latencies.push(arrivals.get(householdId)! - t0);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => +latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  console.log(JSON.stringify({ database: testDatabaseKind, alerts: latencies.length, p50ms: pct(50), p99ms: pct(99), maxMs: pct(100) }));
} finally {
  await client.dispose();
  await hub.stop();
  await database.close();
}
