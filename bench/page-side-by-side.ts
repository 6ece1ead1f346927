// The three dashboard pages of issue #17 side by side, in one run over one PostgreSQL database: served by the hub
// (NODE_ENV=production, a MANAGER token: authentication, masking and audit on), by PostGraphile 4.14 over the same
// tables (read-only, no auth, its own schema naming: the equivalent queries below), and by a raw-SQL ceiling (one SQL
// statement per page returning the hub's answer shape as JSON, served by a tiny node:http server). Each server runs in
// a child process of its own, so the load loop here does not share an event loop with it. The record counts per kind
// are checked equal page by page before anything is timed. Then, each the median of the rounds: req/s at 10
// concurrent connections, p99 at 20, and the full page's single-client p50; and each server's resident set after every
// round and its peak over the run (memory bounded: flat, not growing). Prints a markdown table and JSON.
// The raw-SQL answer is also compared with the hub's leaf by leaf (the count of differing values is printed).
// Usage: TEST_DATABASE_URL=postgres://… NODE_ENV=production npm run bench:side-by-side [-- --households 10000 --seconds 5 --rounds 3]
//   --db postgres://…/name   serve a database generated before (kept, not dropped) instead of generating a fresh one
//   --rounds 0               only the record-count and answer check, nothing timed
//   --pages caseworker,light only these pages (all three by default)
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    households: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    serve: { type: 'string' },
    db: { type: 'string' },
    pages: { type: 'string' },
  },
});
const today = '2026-11-23';
const HUB_V8_FLAG = /--max-semi-space-size=\d+/.exec(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.start)![0];
type Server = 'hub' | 'postgraphile' | 'rawSql';
type PageName = 'full' | 'caseworker' | 'light';

// ---------------------------------------------------------------------------------------------- the pages, per server

const AGENCY_MEMBER_FIELDS = `allowance { status } incomes { year annualIncome } maritalStatus { status } death { diedOn }
    hukou { areaCode kind asOf source } vehicles { plate purchasePrice } pensionContributions { month amount }
    labourContracts { employer } providentFundDeposits { month amount } properties { kind disposedOn } businesses { registeredCapital }`;

const HUB: Record<PageName, string> = {
  full: `{ households(first: 100) { nodes {
  id status category size district { name } currentHousing { perCapitaArea }
  agencySummary { perCapitaAnnualIncome highestVehiclePrice homesOwned totalRegisteredCapital onMinimumAllowance deceasedMembers }
  tenancy { monthlyRent arrears { monthsUnpaid amountOutstanding } }
  unit { address utilityUse { month kind quantity asOf source } }
  application { stage stageDeadline overdue }
  members { residentId name relation ${AGENCY_MEMBER_FIELDS} }
} } }`,
  caseworker: `{ households(first: 20) { nodes {
  id status category size
  members { residentId name relation birthDate }
  currentHousing { floorArea tenure perCapitaArea }
  tenancy { monthlyRent arrears { monthsUnpaid amountOutstanding oldestUnpaidMonth } }
  agencySummary { perCapitaAnnualIncome highestVehiclePrice vehicleCount homesOwned totalRegisteredCapital onMinimumAllowance deceasedMembers }
} } }`,
  light: `{ households(first: 100) { nodes { id status category applicationDate size district { name } } } }`,
};

// PostGraphile's own naming over the same tables. The agency tables carry resident IDs, not foreign keys, so smart tags
// (below) declare the relations PostGraphile would otherwise not see; the hub's computed fields (arrears, the agency
// summary, per-capita area) are asked as the rows they are computed from, as a client of PostGraphile would.
const PG_MEMBER = `id residentId name relation`;
const PG_AGENCY = `caAllowanceByResidentId { status } caIncomesByResidentIdList(orderBy: YEAR_ASC) { year annualIncome }
    caMaritalByResidentId { status } caDeathByResidentId { diedOn } psDeathByResidentId { diedOn }
    psHukouByResidentId { areaCode kind asOf } psVehiclesByOwnerResidentIdList { plate purchasePrice registeredOn deregisteredOn }
    ssPensionContributionsByResidentIdList(orderBy: MONTH_ASC) { month amount } ssLabourContractsByResidentIdList { employer }
    pfDepositsByResidentIdList(orderBy: MONTH_ASC) { month amount } rePropertiesByOwnerResidentIdList { kind disposedOn }
    mrBusinessesByOwnerResidentIdList { registeredCapital }`;
const PG_TENANCY = `tenanciesByHouseholdIdList(condition: { endDate: null }) { monthlyRent rentLedgersByTenancyIdList(orderBy: MONTH_ASC) { month amountDue amountPaid }`;
const POSTGRAPHILE: Record<PageName, string> = {
  full: `{ allHouseholdsList(first: 100, orderBy: ID_ASC) {
  id status category districtByDistrictId { name } currentHousingByHouseholdId { floorArea }
  ${PG_TENANCY} housingUnitByUnitId { address utReadingsByUnitIdList(orderBy: [MONTH_ASC, KIND_ASC]) { month kind quantity asOf } } }
  applicationsByHouseholdIdList { stage stageDeadline }
  peopleByHouseholdIdList(condition: { leftOn: null }, orderBy: ID_ASC) { ${PG_MEMBER} ${PG_AGENCY} }
} }`,
  caseworker: `{ allHouseholdsList(first: 20, orderBy: ID_ASC) {
  id status category
  peopleByHouseholdIdList(condition: { leftOn: null }, orderBy: ID_ASC) { ${PG_MEMBER} birthDate
    caAllowanceByResidentId { status } caIncomesByResidentIdList { year annualIncome } caDeathByResidentId { diedOn } psDeathByResidentId { diedOn }
    psVehiclesByOwnerResidentIdList { purchasePrice registeredOn deregisteredOn } rePropertiesByOwnerResidentIdList { kind disposedOn }
    mrBusinessesByOwnerResidentIdList { registeredCapital } }
  currentHousingByHouseholdId { floorArea tenure }
  ${PG_TENANCY} }
} }`,
  light: `{ allHouseholdsList(first: 100, orderBy: ID_ASC) { id status category applicationDate districtByDistrictId { name } peopleByHouseholdIdList(condition: { leftOn: null }) { id } } }`,
};

const SMART_TAGS = {
  version: 1,
  config: {
    class: {
      persons: { tags: { unique: 'resident_id' } },
      ut_readings: { tags: { foreignKey: '(unit_id) references housing_units (id)' } },
      ...Object.fromEntries(
        [
          'ca_allowances',
          'ca_incomes',
          'ca_marital',
          'ca_deaths',
          'ps_deaths',
          'ps_hukou',
          'ss_pension_contributions',
          'ss_labour_contracts',
          'pf_deposits',
        ].map((t) => [t, { tags: { foreignKey: '(resident_id) references persons (resident_id)' } }]),
      ),
      ...Object.fromEntries(
        ['ps_vehicles', 're_properties', 'mr_businesses'].map((t) => [t, { tags: { foreignKey: '(owner_resident_id) references persons (resident_id)' } }]),
      ),
    },
  },
};

// The ceiling: one statement per page that returns the hub's answer (same shape, same records) as one JSON text.
// The hub's computed fields are computed in SQL the simple way (the policy's subtleties are not the point here).
const mask = (col: string) => `left(${col}, 6) || repeat('*', length(${col}) - 10) || right(${col}, 4)`;
const sub = (select: string) => `coalesce((${select}), '[]'::json)`;
const RAW_MEMBER_AGENCY = `'allowance', (select json_build_object('status', a.status) from ca_allowances a where a.resident_id = p.resident_id),
  'incomes', ${sub(`select json_agg(json_build_object('year', i.year, 'annualIncome', i.annual_income::float8) order by i.year) from ca_incomes i where i.resident_id = p.resident_id`)},
  'maritalStatus', (select json_build_object('status', m.status) from ca_marital m where m.resident_id = p.resident_id),
  'death', (select json_build_object('diedOn', d.died_on) from (select died_on from ca_deaths where resident_id = p.resident_id union all select died_on from ps_deaths where resident_id = p.resident_id) d limit 1),
  'hukou', (select json_build_object('areaCode', h.area_code, 'kind', h.kind, 'asOf', h.as_of, 'source', 'FEED') from ps_hukou h where h.resident_id = p.resident_id),
  'vehicles', ${sub(`select json_agg(json_build_object('plate', v.plate, 'purchasePrice', v.purchase_price::float8) order by v.registered_on, v.plate) from ps_vehicles v where v.owner_resident_id = p.resident_id`)},
  'pensionContributions', ${sub(`select json_agg(json_build_object('month', c.month, 'amount', c.amount::float8) order by c.month) from ss_pension_contributions c where c.resident_id = p.resident_id`)},
  'labourContracts', ${sub(`select json_agg(json_build_object('employer', l.employer) order by l.start_date) from ss_labour_contracts l where l.resident_id = p.resident_id`)},
  'providentFundDeposits', ${sub(`select json_agg(json_build_object('month', f.month, 'amount', f.amount::float8) order by f.month) from pf_deposits f where f.resident_id = p.resident_id`)},
  'properties', ${sub(`select json_agg(json_build_object('kind', r.kind, 'disposedOn', r.disposed_on) order by r.acquired_on) from re_properties r where r.owner_resident_id = p.resident_id`)},
  'businesses', ${sub(`select json_agg(json_build_object('registeredCapital', b.registered_capital::float8) order by b.registered_on) from mr_businesses b where b.owner_resident_id = p.resident_id`)}`;
const RAW_SUMMARY = (vehicleCount: boolean) => `(select json_build_object(
    'perCapitaAnnualIncome', (select case when count(*) filter (where i.annual_income is null) = 0 then round(sum(i.annual_income) / count(*), 2)::float8 end
       from persons p left join ca_incomes i on i.resident_id = p.resident_id and i.year = 2025 where p.household_id = h.id and p.left_on is null),
    'highestVehiclePrice', (select max(v.purchase_price)::float8 from ps_vehicles v join persons p on v.owner_resident_id = p.resident_id
       where p.household_id = h.id and p.left_on is null and (v.deregistered_on is null or v.deregistered_on > date '${today}')),
    ${
      vehicleCount
        ? `'vehicleCount', (select count(*) from ps_vehicles v join persons p on v.owner_resident_id = p.resident_id
       where p.household_id = h.id and p.left_on is null and (v.deregistered_on is null or v.deregistered_on > date '${today}')),`
        : ''
    }
    'homesOwned', (select count(*) from re_properties r join persons p on r.owner_resident_id = p.resident_id where p.household_id = h.id and p.left_on is null
       and (r.disposed_on is null or (h.category = 'LOCAL' and r.disposed_on > date '${today}' - interval '3 years'))),
    'totalRegisteredCapital', (select coalesce(sum(b.registered_capital), 0)::float8 from mr_businesses b join persons p on b.owner_resident_id = p.resident_id where p.household_id = h.id and p.left_on is null),
    'onMinimumAllowance', exists (select from ca_allowances a join persons p on a.resident_id = p.resident_id where p.household_id = h.id and p.left_on is null and a.status = 'MINIMUM_ALLOWANCE'),
    'deceasedMembers', (select count(*) from persons p where p.household_id = h.id and p.left_on is null and (exists (select from ca_deaths d where d.resident_id = p.resident_id) or exists (select from ps_deaths d where d.resident_id = p.resident_id)))))`;
const RAW_TENANCY = (
  oldest: boolean,
) => `(select json_build_object('monthlyRent', t.monthly_rent::float8, 'arrears', (select json_build_object('monthsUnpaid', count(*),
      'amountOutstanding', coalesce(sum(l.amount_due - l.amount_paid), 0)::float8${oldest ? `, 'oldestUnpaidMonth', min(l.month)` : ''})
    from rent_ledger l where l.tenancy_id = t.id and l.amount_paid < l.amount_due))
  from tenancies t where t.household_id = h.id and t.end_date is null)`;
const RAW_SIZE = `(select count(*) from persons p where p.household_id = h.id and p.left_on is null)`;
const RAW_PER_CAPITA = `(select json_build_object('perCapitaArea', round(c.floor_area / greatest(${RAW_SIZE}, 1), 2)::float8) from current_housing c where c.household_id = h.id)`;
const RAW_SQL: Record<PageName, string> = {
  full: `select json_build_object('data', json_build_object('households', json_build_object('nodes', coalesce(json_agg(json_build_object(
  'id', h.id::text, 'status', h.status, 'category', h.category, 'size', ${RAW_SIZE}, 'district', json_build_object('name', d.name),
  'currentHousing', ${RAW_PER_CAPITA}, 'agencySummary', ${RAW_SUMMARY(false)}, 'tenancy', ${RAW_TENANCY(false)},
  'unit', (select json_build_object('address', u.address, 'utilityUse', ${sub(`select json_agg(json_build_object('month', r.month, 'kind', r.kind, 'quantity', r.quantity::float8, 'asOf', r.as_of, 'source', 'FEED') order by r.month, r.kind) from ut_readings r where r.unit_id = u.id`)})
    from tenancies t join housing_units u on u.id = t.unit_id where t.household_id = h.id and t.end_date is null),
  'application', (select json_build_object('stage', a.stage, 'stageDeadline', a.stage_deadline, 'overdue', coalesce(a.stage_deadline < date '${today}', false))
    from applications a where a.household_id = h.id order by a.id desc limit 1),
  'members', ${sub(`select json_agg(json_build_object('residentId', ${mask('p.resident_id')}, 'name', left(p.name, 1) || repeat('*', char_length(p.name) - 1), 'relation', p.relation, ${RAW_MEMBER_AGENCY}) order by p.id)
    from persons p where p.household_id = h.id and p.left_on is null`)}
) order by h.id), '[]'::json)))) from (select * from households order by id limit 100) h join districts d on d.id = h.district_id`,
  caseworker: `select json_build_object('data', json_build_object('households', json_build_object('nodes', coalesce(json_agg(json_build_object(
  'id', h.id::text, 'status', h.status, 'category', h.category, 'size', ${RAW_SIZE},
  'members', ${sub(`select json_agg(json_build_object('residentId', ${mask('p.resident_id')}, 'name', left(p.name, 1) || repeat('*', char_length(p.name) - 1), 'relation', p.relation, 'birthDate', p.birth_date) order by p.id)
    from persons p where p.household_id = h.id and p.left_on is null`)},
  'currentHousing', (select json_build_object('floorArea', c.floor_area::float8, 'tenure', c.tenure, 'perCapitaArea', round(c.floor_area / greatest(${RAW_SIZE}, 1), 2)::float8)
    from current_housing c where c.household_id = h.id),
  'tenancy', ${RAW_TENANCY(true)}, 'agencySummary', ${RAW_SUMMARY(true)}
) order by h.id), '[]'::json)))) from (select * from households order by id limit 20) h`,
  light: `select json_build_object('data', json_build_object('households', json_build_object('nodes', coalesce(json_agg(json_build_object(
  'id', h.id::text, 'status', h.status, 'category', h.category, 'applicationDate', h.application_date, 'size', ${RAW_SIZE}, 'district', json_build_object('name', d.name)
) order by h.id), '[]'::json)))) from (select * from households order by id limit 100) h join districts d on d.id = h.district_id`,
};

// ------------------------------------------------------------------------------------------- record counts per kind

type Counts = Record<string, number>;
const len = (v: unknown) => (Array.isArray(v) ? v.length : v == null ? 0 : 1);
/** the hub's answer and the ceiling's (the same shape) */
function countHub(body: any): Counts {
  const c: Counts = {};
  const add = (k: string, n: number) => (c[k] = (c[k] ?? 0) + n);
  for (const h of body.data.households.nodes) {
    add('households', 1);
    if (h.tenancy !== undefined) add('tenancies', len(h.tenancy));
    if (h.unit !== undefined) add('utilityReadings', len(h.unit?.utilityUse));
    if (h.application !== undefined) add('applications', len(h.application));
    if (h.currentHousing !== undefined) add('currentHousing', len(h.currentHousing));
    if (h.members) add('members', h.members.length);
    else add('members', h.size);
    for (const m of h.members ?? []) {
      for (const k of [
        'allowance',
        'incomes',
        'maritalStatus',
        'hukou',
        'vehicles',
        'pensionContributions',
        'labourContracts',
        'providentFundDeposits',
        'properties',
        'businesses',
      ])
        if (k in m) add(k, len(m[k]));
    }
  }
  return c;
}
function countPostGraphile(body: any, page: PageName): Counts {
  const c: Counts = {};
  const add = (k: string, n: number) => (c[k] = (c[k] ?? 0) + n);
  const names: Record<string, string> = {
    caAllowanceByResidentId: 'allowance',
    caIncomesByResidentIdList: 'incomes',
    caMaritalByResidentId: 'maritalStatus',
    psHukouByResidentId: 'hukou',
    psVehiclesByOwnerResidentIdList: 'vehicles',
    ssPensionContributionsByResidentIdList: 'pensionContributions',
    ssLabourContractsByResidentIdList: 'labourContracts',
    pfDepositsByResidentIdList: 'providentFundDeposits',
    rePropertiesByOwnerResidentIdList: 'properties',
    mrBusinessesByOwnerResidentIdList: 'businesses',
  };
  for (const h of body.data.allHouseholdsList) {
    add('households', 1);
    add('members', h.peopleByHouseholdIdList.length);
    if (page === 'light') continue;
    add('tenancies', h.tenanciesByHouseholdIdList.length);
    add('currentHousing', len(h.currentHousingByHouseholdId));
    if (page !== 'full') continue;
    add('applications', len(h.applicationsByHouseholdIdList));
    add(
      'utilityReadings',
      h.tenanciesByHouseholdIdList.reduce((n: number, t: any) => n + len(t.housingUnitByUnitId?.utReadingsByUnitIdList), 0),
    );
    for (const m of h.peopleByHouseholdIdList) for (const [k, name] of Object.entries(names)) add(name, len(m[k]));
  }
  return c;
}

/** where the ceiling's answer differs from the hub's, leaf by leaf: how many leaves, and the first few paths */
function diffLeaves(a: unknown, b: unknown, path = '', out: { count: number; first: string[] } = { count: 0, first: [] }) {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diffLeaves((a as never)[k], (b as never)[k], `${path}.${k}`, out);
  } else if (a !== b && !(typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < 0.006)) {
    out.count++;
    if (out.first.length < 5) out.first.push(`${path.replace(/\.(\d+)/g, '[$1]')}: hub ${JSON.stringify(a)}, SQL ${JSON.stringify(b)}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------- the servers

async function serveHub(url: string) {
  const { openDatabase } = await import('../src/db/client.js');
  const { loadConfig } = await import('../src/config.js');
  const { createHub } = await import('../src/server.js');
  const { createLogger } = await import('../src/logger.js');
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 10 });
  const hub = await createHub({
    config: loadConfig({ LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', RATE_LIMIT_PER_MINUTE: '100000000' }),
    database,
    logger: createLogger('silent'),
    clock: () => new Date(`${today}T09:00:00`),
  });
  const endpoint = await hub.listen(0, '127.0.0.1');
  // a MANAGER reads every district; each page is audited like a real one
  const authorization = `Bearer ${await hub.authenticator.issue({ sub: 'bench-manager', role: 'MANAGER' })}`;
  return { endpoint, authorization };
}

async function servePostGraphile(url: string) {
  // PostGraphile 4 needs graphql 15 and the project has 16: npm nests a graphql 15 under postgraphile and another under
  // graphile-build-pg, and hoists graphql-parse-resolve-info beside graphql 16. Two graphql instances in one schema fail
  // ("Unexpected input type: Int"), so in this process every graphql that PostGraphile's packages ask for is postgraphile's.
  const require = createRequire(import.meta.url);
  const graphql15 = join(dirname(require.resolve('postgraphile/package.json')), 'node_modules', 'graphql');
  type Resolve = (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;
  const cjs = Module as unknown as { _resolveFilename: Resolve };
  const resolve = cjs._resolveFilename;
  const graphileFile = /[\\/]node_modules[\\/](postgraphile|postgraphile-core|graphile-build|graphile-build-pg|graphile-utils|graphql-parse-resolve-info)[\\/]/;
  cjs._resolveFilename = function (this: unknown, request, parent, ...rest) {
    const redirect = (request === 'graphql' || request.startsWith('graphql/')) && parent?.filename && graphileFile.test(parent.filename);
    return resolve.call(this, redirect ? graphql15 + request.slice('graphql'.length) : request, parent, ...rest);
  };
  const { postgraphile, makeJSONPgSmartTagsPlugin } = require('postgraphile') as typeof import('postgraphile');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const middleware = postgraphile(pool, 'public', {
    disableDefaultMutations: true,
    disableQueryLog: true,
    simpleCollections: 'both',
    appendPlugins: [makeJSONPgSmartTagsPlugin(SMART_TAGS as never)],
    retryOnInitFail: false,
    setofFunctionsContainNulls: false,
    // ut_readings is partitioned by month (migration 0013): PostGraphile 4 shows a partitioned parent only when asked
    graphileBuildOptions: { pgUsePartitionedParent: true },
  });
  const server = createServer(middleware);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { endpoint: `http://127.0.0.1:${port}/graphql`, authorization: '' };
}

async function serveRawSql(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const byQuery = new Map<string, string>(Object.entries(HUB).map(([page, query]) => [query, RAW_SQL[page as PageName]]));
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const sql = byQuery.get((JSON.parse(Buffer.concat(chunks).toString()) as { query: string }).query);
      if (!sql) return void res.writeHead(400).end('unknown page');
      // the JSON comes back as text (the json type is not parsed by pg) and goes out as it is
      pool.query({ text: sql, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } }).then(
        (r) => res.writeHead(200, { 'content-type': 'application/json' }).end(r.rows[0]![0] as string),
        (e: Error) => res.writeHead(500).end(e.message),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { endpoint: `http://127.0.0.1:${port}/`, authorization: '' };
}

if (values.serve) {
  const serve = { hub: serveHub, postgraphile: servePostGraphile, rawSql: serveRawSql }[values.serve as Server];
  const target = await serve(values.db!);
  console.log(JSON.stringify(target));
} else {
  await main();
}

// -------------------------------------------------------------------------------------------------------- the run

async function startChild(server: Server, url: string): Promise<{ child: ChildProcess; endpoint: string; authorization: string }> {
  // the hub as `npm start` runs it: a larger young generation, as a page allocates ~30 MB (package.json "start")
  const v8Flags = server === 'hub' ? [HUB_V8_FLAG] : [];
  const child = spawn(process.execPath, [...process.execArgv, ...v8Flags, process.argv[1]!, '--serve', server, '--db', url], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${server} exited with ${code}`)));
  });
  return { child, ...(JSON.parse(line) as { endpoint: string; authorization: string }) };
}

async function ask(endpoint: string, authorization: string, query: string): Promise<{ body: string; ms: number; statements: number }> {
  const t0 = performance.now();
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query }),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${endpoint}: HTTP ${res.status} ${body.slice(0, 500)}`);
  return { body, ms: performance.now() - t0, statements: Number(res.headers.get('x-sql-statements') ?? NaN) };
}

/** `connections` clients asking the page back to back for `seconds`: req/s and latency percentiles */
async function load(endpoint: string, authorization: string, query: string, connections: number, seconds: number) {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) latencies.push((await ask(endpoint, authorization, query)).ms);
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { rps: latencies.length / elapsed, p50: pct(50), p99: pct(99), requests: latencies.length };
}

/** CPU time (user + system) a server process has used so far, in ms (Linux, 100 clock ticks a second) */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** a process's resident set (VmRSS) or its peak (VmHWM), in MB (Linux) */
function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}

function median(xs: number[]) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

async function main() {
  const { openTestDatabase, testDatabaseUrl } = await import('../test/helpers/db.js');
  const { generateAgencyRecords } = await import('../src/demo/agency-data.js');
  const { feedAgencyRecords, generateDemoData, writeDemoData } = await import('../src/demo/generator.js');
  const { ensurePolicies } = await import('../src/policy/service.js');
  if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL must point at PostgreSQL (PostGraphile needs it)');
  if (process.env['NODE_ENV'] !== 'production') console.error('note: the hub child runs with NODE_ENV=production whatever this process has');
  const households = Number(values.households);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  // --db: a database generated before (e.g. kept from an earlier run) instead of a fresh one, dropped after
  const database = values.db ? null : await openTestDatabase();
  const databaseUrl = values.db ?? database!.url!;
  const children: ChildProcess[] = [];
  try {
    const t0 = performance.now();
    let persons = 0;
    if (database) {
      await ensurePolicies(database.db);
      const data = generateDemoData({ households, seed: 5, today });
      await writeDemoData(database, data);
      await feedAgencyRecords(database, generateAgencyRecords(data, 5, today), today);
      persons = data.persons.length;
    }
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query('vacuum analyze');
    const counted = await admin.query<{ households: number; persons: number }>(
      'select (select count(*) from households)::int as households, (select count(*) from persons)::int as persons',
    );
    await admin.end();
    const { households: inDatabase } = counted.rows[0]!;
    persons = counted.rows[0]!.persons;
    console.error(`${inDatabase} households (${persons} persons) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const targets = {} as Record<Server, { endpoint: string; authorization: string; pid: number }>;
    for (const server of ['hub', 'postgraphile', 'rawSql'] as const) {
      const started = await startChild(server, databaseUrl);
      children.push(started.child);
      targets[server] = { ...started, pid: started.child.pid! };
    }
    const queryOf = (server: Server, page: PageName) => (server === 'postgraphile' ? POSTGRAPHILE[page] : HUB[page]);

    // the same records from each, page by page
    const pages = (['full', 'caseworker', 'light'] as const).filter((page) => !values.pages || values.pages.split(',').includes(page));
    const counts = {} as Record<
      PageName,
      Record<Server, Counts> & {
        bytes: Record<Server, number>;
        equal: boolean;
        hubSqlStatements: number;
        rawSqlDiffersFromHub: { count: number; first: string[] };
      }
    >;
    for (const page of pages) {
      const perServer = {} as Record<Server, Counts>;
      const bytes = {} as Record<Server, number>;
      let hubSqlStatements = NaN;
      const answers = {} as Record<Server, unknown>;
      for (const server of ['hub', 'postgraphile', 'rawSql'] as const) {
        const { body, statements } = await ask(targets[server].endpoint, targets[server].authorization, queryOf(server, page));
        if (server === 'hub') hubSqlStatements = statements;
        answers[server] = JSON.parse(body);
        const parsed = JSON.parse(body);
        if (parsed.errors) throw new Error(`${server} ${page}: ${JSON.stringify(parsed.errors).slice(0, 800)}`);
        perServer[server] = server === 'postgraphile' ? countPostGraphile(parsed, page) : countHub(parsed);
        bytes[server] = Buffer.byteLength(body);
      }
      const same = (a: Counts, b: Counts) => Object.keys(a).every((k) => b[k] === a[k]);
      const equal = same(perServer.hub, perServer.postgraphile) && same(perServer.hub, perServer.rawSql) && same(perServer.rawSql, perServer.hub);
      const rawSqlDiffersFromHub = diffLeaves(answers.hub, answers.rawSql);
      counts[page] = { ...perServer, bytes, equal, hubSqlStatements, rawSqlDiffersFromHub };
      console.error(`${page}: counts ${equal ? 'equal' : 'DIFFER'} ${JSON.stringify(perServer)}; raw SQL vs hub: ${JSON.stringify(rawSqlDiffersFromHub)}`);
    }

    if (rounds === 0) return void console.log(JSON.stringify({ counts })); // --rounds 0: only the check

    const loadAverageAtStart = loadavg().map((l) => +l.toFixed(1));
    // timed: each round asks every page of every server in turn, so all meet the same machine
    const results = {} as Record<PageName, Record<Server, { rps10: number[]; p99at20: number[]; p50single: number[]; cpuMsPerPage: number[] }>>;
    for (const page of pages) {
      results[page] = {} as never;
      for (const server of Object.keys(targets) as Server[]) results[page][server] = { rps10: [], p99at20: [], p50single: [], cpuMsPerPage: [] };
    }
    // memory bounded: each server's resident set after every round (flat, not growing) and its peak over the run
    const rssAfterRound = Object.fromEntries((Object.keys(targets) as Server[]).map((server) => [server, [] as number[]])) as Record<Server, number[]>;
    for (let round = 0; round < rounds; round++) {
      for (const page of pages) {
        for (const server of Object.keys(targets) as Server[]) {
          const { endpoint, authorization } = targets[server];
          const query = queryOf(server, page);
          await load(endpoint, authorization, query, 10, 1); // warm-up
          const r = results[page][server];
          const cpu0 = cpuMs(targets[server].pid);
          const at10 = await load(endpoint, authorization, query, 10, seconds);
          r.rps10.push(at10.rps);
          r.cpuMsPerPage.push((cpuMs(targets[server].pid) - cpu0) / at10.requests);
          r.p99at20.push((await load(endpoint, authorization, query, 20, seconds)).p99);
          if (page === 'full') r.p50single.push((await load(endpoint, authorization, query, 1, seconds)).p50);
          console.error(`round ${round + 1} ${page} ${server}: ${r.rps10.at(-1)!.toFixed(1)} req/s, p99 at 20 ${r.p99at20.at(-1)!.toFixed(0)} ms`);
        }
      }
      for (const server of Object.keys(targets) as Server[]) rssAfterRound[server].push(memoryMb(targets[server].pid, 'VmRSS'));
    }
    const memory = Object.fromEntries(
      (Object.keys(targets) as Server[]).map((server) => [
        server,
        { peakRssMb: memoryMb(targets[server].pid, 'VmHWM'), rssAfterRoundMb: rssAfterRound[server] },
      ]),
    ) as Record<Server, { peakRssMb: number; rssAfterRoundMb: number[] }>;
    const summary = Object.fromEntries(
      pages.map((page) => [
        page,
        Object.fromEntries(
          (Object.keys(targets) as Server[]).map((server) => {
            const r = results[page][server];
            return [
              server,
              {
                rpsAt10: +median(r.rps10).toFixed(1),
                p99At20ms: +median(r.p99at20).toFixed(0),
                serverCpuMsPerPage: +median(r.cpuMsPerPage).toFixed(1),
                ...(page === 'full' ? { p50SingleMs: +median(r.p50single).toFixed(1) } : {}),
                bytes: counts[page].bytes[server],
              },
            ];
          }),
        ),
      ]),
    ) as Partial<Record<PageName, Record<Server, { rpsAt10: number; p99At20ms: number; serverCpuMsPerPage: number; p50SingleMs?: number; bytes: number }>>>;

    const label: Record<PageName, string> = {
      full: 'full: 100 households × every field incl. all agency data',
      caseworker: 'caseworker: 20 households, members, housing, arrears, agency summary',
      light: 'light: 100 households, bureau scalars',
    };
    const lines = [
      `| page | hub req/s at 10 conns | PostGraphile 4.14 | raw SQL | hub / PostGraphile | p99 at 20 conns: hub / PostGraphile / raw SQL | Node CPU per page: hub / PostGraphile / raw SQL | hub SQL statements | counts equal |`,
      `|---|---|---|---|---|---|---|---|---|`,
      ...pages.map((page) => {
        const s = summary[page]!;
        return `| ${label[page]} (${Math.round(s.hub.bytes / 1000)} kB) | **${s.hub.rpsAt10}** | ${s.postgraphile.rpsAt10} | ${s.rawSql.rpsAt10} | ${(s.hub.rpsAt10 / s.postgraphile.rpsAt10).toFixed(2)} | ${s.hub.p99At20ms} / ${s.postgraphile.p99At20ms} / ${s.rawSql.p99At20ms} ms | ${s.hub.serverCpuMsPerPage} / ${s.postgraphile.serverCpuMsPerPage} / ${s.rawSql.serverCpuMsPerPage} ms | ${counts[page].hubSqlStatements} | ${counts[page].equal ? 'yes' : '**no**'}${counts[page].rawSqlDiffersFromHub.count === 0 ? ' (raw SQL answer = hub answer)' : ` (raw SQL differs from the hub in ${counts[page].rawSqlDiffersFromHub.count} values)`} |`;
      }),
      '',
      ...(summary.full
        ? [
            `Single client, full page p50: hub ${summary.full.hub.p50SingleMs} ms, PostGraphile 4.14 ${summary.full.postgraphile.p50SingleMs} ms, raw SQL ${summary.full.rawSql.p50SingleMs} ms.`,
          ]
        : []),
      `Memory, peak RSS over the run (RSS after each round): ${(Object.keys(memory) as Server[])
        .map((server) => `${server} ${memory[server].peakRssMb} MB (${memory[server].rssAfterRoundMb.join(', ')})`)
        .join('; ')}.`,
    ];
    console.log(lines.join('\n'));
    console.log(
      JSON.stringify({
        households: inDatabase,
        persons,
        secondsPerMeasure: seconds,
        rounds,
        node: process.version,
        machine: { cpus: cpus().length, loadAverageAtStart, loadAverageAtEnd: loadavg().map((l) => +l.toFixed(1)) },
        summary,
        memory,
        counts,
      }),
    );
  } finally {
    for (const child of children) child.kill();
    await database?.close();
  }
}
