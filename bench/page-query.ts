// The dashboard page: 100 households with every agency field, over HTTP, many times over.
// Prints p50/p99 latency and SQL statements per request, with agency data from feeds (default)
// or pulled live from the agency simulator (--live). With --gateway the same pages go alternately to the
// hub and through Hive Gateway in front of it, in one run: the gateway's overhead side by side.
// Usage: TEST_DATABASE_URL=postgres://… npm run bench:page [-- --households 10000 --requests 200 --live --gateway]
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { generateAgencyRecords } from '../src/demo/agency-data.js';
import { startAgencySim } from '../src/demo/agency-sim.js';
import { feedAgencyRecords, generateDemoData, writeDemoData } from '../src/demo/generator.js';
import { createGateway } from '../src/gateway/gateway.js';
import { createLogger } from '../src/logger.js';
import { ensurePolicies } from '../src/policy/service.js';
import { createHub } from '../src/server.js';
import { PUBLISHED_SDL } from '../src/schema.js';
import { openTestDatabase, testDatabaseKind } from '../test/helpers/db.js';

const { values } = parseArgs({
  options: {
    households: { type: 'string', default: '10000' },
    requests: { type: 'string', default: '200' },
    live: { type: 'boolean', default: false },
    gateway: { type: 'boolean', default: false },
  },
});
const households = Number(values.households);
const requests = Number(values.requests);
const today = '2026-11-23';
const GATEWAY_SECRET = 'bench-gateway-hmac-secret-of-32-characters';

const PAGE = `query($after: String) { households(first: 100, after: $after) { pageInfo { endCursor hasNextPage } nodes {
  id status category size district { name } currentHousing { perCapitaArea }
  agencySummary { perCapitaAnnualIncome highestVehiclePrice homesOwned totalRegisteredCapital onMinimumAllowance deceasedMembers }
  tenancy { monthlyRent arrears { monthsUnpaid amountOutstanding } }
  unit { address utilityUse { month kind quantity asOf source } }
  application { stage stageDeadline overdue }
  members { residentId name relation allowance { status } incomes { year annualIncome } maritalStatus { status } death { diedOn }
    hukou { areaCode kind asOf source } vehicles { plate purchasePrice } pensionContributions { month amount }
    labourContracts { employer } providentFundDeposits { month amount } properties { kind disposedOn } businesses { registeredCapital } }
} } }`;

const database = await openTestDatabase();
await ensurePolicies(database.db);
const data = generateDemoData({ households, seed: 5, today });
await writeDemoData(database, data);
const agencyRecords = generateAgencyRecords(data, 5, today);
const sim = values.live ? await startAgencySim({ records: agencyRecords, asOf: today }) : null;
if (!sim) await feedAgencyRecords(database, agencyRecords, today);
const hub = await createHub({
  config: loadConfig({
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    RATE_LIMIT_PER_MINUTE: '1000000',
    GATEWAY_HMAC_SECRET: GATEWAY_SECRET,
    ...(sim ? { AGENCY_BASE_URL: sim.url } : {}),
  }),
  database,
  logger: createLogger('silent'),
  clock: () => new Date(`${today}T09:00:00`),
});
const url = await hub.listen(0, '127.0.0.1');
const gateway = values.gateway
  ? await createGateway({
      subgraphs: [{ name: 'hub', url, sdlFile: PUBLISHED_SDL }],
      hmacSecret: GATEWAY_SECRET,
      timeoutMs: 30_000,
      retries: 0,
      logging: false,
    })
  : null;
const targets = { hub: url, ...(gateway ? { gateway: await gateway.listen(0, '127.0.0.1') } : {}) };
// a MANAGER reads every district; each page is audited like a real one
const authorization = `Bearer ${await hub.authenticator.issue({ sub: 'bench-manager', role: 'MANAGER' })}`;
try {
  const latencies: Record<string, number[]> = Object.fromEntries(Object.keys(targets).map((t) => [t, []]));
  const statements: number[] = [];
  let after: string | null = null;
  for (let i = 0; i < requests + 10; i++) {
    let next: string | null = null;
    // the same page from each target in turn, so both meet the same data and the same machine
    for (const [target, endpoint] of Object.entries(targets)) {
      const t0 = performance.now();
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: PAGE, variables: { after } }),
      });
      const body = (await res.json()) as { errors?: unknown[]; data: { households: { pageInfo: { endCursor: string; hasNextPage: boolean } } } };
      const ms = performance.now() - t0;
      if (body.errors) throw new Error(`${target}: ${JSON.stringify(body.errors).slice(0, 500)}`);
      next = body.data.households.pageInfo.hasNextPage ? body.data.households.pageInfo.endCursor : null;
      if (i < 10) continue; // warm-up
      latencies[target]!.push(ms);
      if (target === 'hub') statements.push(Number(res.headers.get('x-sql-statements')));
    }
    after = next;
  }
  const pct = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return +sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(1);
  };
  const figures = Object.fromEntries(Object.entries(latencies).map(([t, l]) => [t, { p50ms: pct(l, 50), p99ms: pct(l, 99) }]));
  console.log(
    JSON.stringify({
      database: testDatabaseKind,
      agencyData: sim ? 'LIVE (simulator on 127.0.0.1)' : 'FEED',
      households,
      persons: data.persons.length,
      requests,
      pageSize: 100,
      ...figures.hub,
      ...(gateway ? { throughGateway: figures['gateway'], gatewayOverheadP50ms: +(figures['gateway']!.p50ms - figures['hub']!.p50ms).toFixed(1) } : {}),
      sqlStatementsPerRequest: { min: Math.min(...statements), max: Math.max(...statements) },
      agencyCallsPerRequest: sim
        ? Object.fromEntries(Object.entries(sim.calls).map(([a, n]) => [a, +(n / ((requests + 10) * Object.keys(targets).length)).toFixed(2)]))
        : undefined,
    }),
  );
} finally {
  await gateway?.close();
  await hub.stop();
  await sim?.close();
  await database.close();
}
