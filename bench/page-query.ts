// The dashboard page: 100 households with every agency field, over HTTP, many times over.
// Prints p50/p99 latency and SQL statements per request, with agency data from feeds (default)
// or pulled live from the agency simulator (--live). With --gateway the same pages go alternately to the
// hub and through Hive Gateway in front of it, in one run: the gateway's overhead side by side. With
// --agency-subgraph the gateway also composes the civil affairs subgraph (src/demo/agency-subgraph.ts), and a
// third target asks the page with the members' `civilAffairs` joined: what a field from an agency's subgraph costs.
// Usage: TEST_DATABASE_URL=postgres://… npm run bench:page [-- --households 10000 --requests 200 --live --gateway --agency-subgraph]
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { generateAgencyRecords } from '../src/demo/agency-data.js';
import { startAgencySim } from '../src/demo/agency-sim.js';
import { startAgencySubgraph } from '../src/demo/agency-subgraph.js';
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
    'agency-subgraph': { type: 'boolean', default: false },
  },
});
const households = Number(values.households);
const requests = Number(values.requests);
const today = '2026-11-23';
const GATEWAY_SECRET = 'bench-gateway-hmac-secret-of-32-characters';
const SUBJECT_SECRET = 'bench-federation-subject-secret-32-chars';
const withAgency = values['agency-subgraph'];

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
/** the same page with the members' civil affairs profile from the agency's own subgraph */
const PAGE_WITH_AGENCY = PAGE.replace(
  'members { residentId name',
  'members { civilAffairs { asOf allowance { status } incomes { year annualIncome } } residentId name',
);

const database = await openTestDatabase();
await ensurePolicies(database.db);
const data = generateDemoData({ households, seed: 5, today });
await writeDemoData(database, data);
const agencyRecords = generateAgencyRecords(data, 5, today);
const sim = values.live ? await startAgencySim({ records: agencyRecords, asOf: today }) : null;
const agencySubgraph = withAgency
  ? await startAgencySubgraph({ records: agencyRecords, asOf: today, subjectSecret: SUBJECT_SECRET, gatewaySecret: GATEWAY_SECRET })
  : null;
if (!sim) await feedAgencyRecords(database, agencyRecords, today);
const hub = await createHub({
  config: loadConfig({
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    RATE_LIMIT_PER_MINUTE: '1000000',
    GATEWAY_HMAC_SECRET: GATEWAY_SECRET,
    FEDERATION_SUBJECT_SECRET: SUBJECT_SECRET,
    ...(sim ? { AGENCY_BASE_URL: sim.url } : {}),
  }),
  database,
  logger: createLogger('silent'),
  clock: () => new Date(`${today}T09:00:00`),
});
const url = await hub.listen(0, '127.0.0.1');
const gateway =
  values.gateway || withAgency
    ? await createGateway({
        subgraphs: [{ name: 'hub', url, sdlFile: PUBLISHED_SDL }, ...(agencySubgraph ? [{ name: 'civil_affairs', url: agencySubgraph.url }] : [])],
        hmacSecret: GATEWAY_SECRET,
        timeoutMs: 30_000,
        retries: 0,
        logging: false,
      })
    : null;
const gatewayUrl = gateway ? await gateway.listen(0, '127.0.0.1') : null;
const targets: Record<string, string> = {
  hub: url,
  ...(gatewayUrl ? { gateway: gatewayUrl } : {}),
  ...(gatewayUrl && withAgency ? { gatewayWithAgency: gatewayUrl } : {}),
};
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
        body: JSON.stringify({ query: target === 'gatewayWithAgency' ? PAGE_WITH_AGENCY : PAGE, variables: { after } }),
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
      ...(agencySubgraph
        ? {
            throughGatewayWithAgencySubgraph: figures['gatewayWithAgency'],
            agencyFieldsCostP50ms: +(figures['gatewayWithAgency']!.p50ms - figures['gateway']!.p50ms).toFixed(1),
            agencySubgraphPerPage: { entitiesRequests: agencySubgraph.entitiesRequests / (requests + 10), peoplePerBatch: Math.max(...agencySubgraph.batches) },
          }
        : {}),
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
  await agencySubgraph?.close();
  await database.close();
}
