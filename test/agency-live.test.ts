import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateAgencyRecords } from '../src/demo/agency-data.js';
import { startAgencySim, type AgencySim } from '../src/demo/agency-sim.js';
import { generateDemoData } from '../src/demo/generator.js';
import { startTestHub, TEST_TODAY, type TestHub } from './helpers/hub.js';

const SEED = 11;
const PAGE = /* GraphQL */ `
  query ($first: Int) {
    households(first: $first) {
      nodes {
        id
        agencySummary {
          perCapitaAnnualIncome
          highestVehiclePrice
          homesOwned
          totalRegisteredCapital
          onMinimumAllowance
          deceasedMembers
        }
        unit {
          utilityUse {
            month
            kind
            quantity
            source
          }
        }
        members {
          residentId
          allowance {
            status
            source
          }
          incomes {
            year
            annualIncome
            asOf
            source
          }
          maritalStatus {
            status
          }
          death {
            diedOn
            agency
          }
          hukou {
            areaCode
            kind
            asOf
            source
          }
          vehicles {
            plate
            purchasePrice
          }
          pensionContributions {
            month
            amount
          }
          labourContracts {
            employer
          }
          providentFundDeposits {
            month
            amount
          }
          properties {
            certificateNo
          }
          businesses {
            registeredCapital
          }
        }
      }
    }
  }
`;
const AGENCY_FIELDS = [
  'allowance',
  'incomes',
  'maritalStatus',
  'death',
  'hukou',
  'vehicles',
  'pensionContributions',
  'labourContracts',
  'providentFundDeposits',
  'properties',
  'businesses',
];

describe('live pull from agency APIs', () => {
  let sim: AgencySim;
  let t: TestHub;
  beforeAll(async () => {
    const data = generateDemoData({ households: 120, seed: SEED, today: TEST_TODAY });
    sim = await startAgencySim({ records: generateAgencyRecords(data, SEED, TEST_TODAY), asOf: TEST_TODAY, token: 'sim-token' });
    t = await startTestHub({
      households: 120,
      seed: SEED,
      env: {
        AGENCY_BASE_URL: sim.url,
        ...Object.fromEntries(
          ['CIVIL_AFFAIRS', 'PUBLIC_SECURITY', 'SOCIAL_SECURITY', 'PROVIDENT_FUND', 'UTILITIES', 'REAL_ESTATE', 'MARKET_REGULATION'].map((a) => [
            `AGENCY_${a}_TOKEN`,
            'sim-token',
          ]),
        ),
        // generous for a loaded test machine, but for the agency made slow below
        AGENCY_TIMEOUT_MS: '4000',
        AGENCY_MARKET_REGULATION_TIMEOUT_MS: '1000',
        AGENCY_RETRIES: '1',
        AGENCY_BREAKER_RESET_MS: '400',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  afterEach(() => {
    sim.behaviour = {};
  });

  const resetCalls = () => {
    for (const agency of Object.keys(sim.calls) as (keyof typeof sim.calls)[]) {
      sim.calls[agency] = 0;
      sim.batches[agency] = [];
    }
  };

  it('loads a page of 100 households with every agency field in one batched call per agency', async () => {
    resetCalls();
    const res = await t.gql(PAGE, { first: 100 });
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data.households.nodes;
    expect(nodes).toHaveLength(100);
    expect(sim.calls).toEqual(Object.fromEntries(Object.keys(sim.calls).map((a) => [a, 1])));
    // ONE statement: the households with the bureau records their fields read and the summary's parameters
    // (src/households/page-read.ts); agency data came over HTTP
    expect(Number(res.headers.get('x-sql-statements'))).toBeLessThanOrEqual(1);
    const members = nodes.flatMap((n: { members: unknown[] }) => n.members);
    expect(sim.batches['public-security']).toEqual([members.length]);
    expect(members.every((m: { hukou: { source: string; asOf: string } }) => m.hukou.source === 'LIVE' && m.hukou.asOf === TEST_TODAY)).toBe(true);
    expect(members.some((m: { vehicles: unknown[] }) => m.vehicles.length > 0)).toBe(true);
    expect(nodes.some((n: { unit: { utilityUse: unknown[] } | null }) => (n.unit?.utilityUse.length ?? 0) > 0)).toBe(true);
  });

  it('answers the page when an agency is down: its fields carry AGENCY_UNAVAILABLE, the rest is there', async () => {
    sim.behaviour['real-estate'] = { reset: true };
    const res = await t.gql(PAGE, { first: 10 });
    expect(res.status).toBe(200);
    const errors = res.body.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.extensions?.['code'] === 'AGENCY_UNAVAILABLE' && e.extensions?.['agency'] === 'real-estate')).toBe(true);
    expect(errors.every((e) => ['properties', 'agencySummary'].includes(String(e.path?.at(-1))))).toBe(true);
    const members = res.body.data.households.nodes.flatMap((n: { members: unknown[] }) => n.members);
    expect(members.every((m: Record<string, unknown>) => m['properties'] === null && m['hukou'] !== null && Array.isArray(m['vehicles']))).toBe(true);
    for (const field of AGENCY_FIELDS.filter((f) => f !== 'properties')) {
      expect(members.every((m: Record<string, unknown>) => field in m)).toBe(true);
    }
  });

  it('cuts a slow agency at its timeout', async () => {
    sim.behaviour['market-regulation'] = { delayMs: 2_500 };
    const res = await t.gql(PAGE, { first: 5 });
    const errors = (res.body.errors ?? []).filter((e) => e.extensions?.['agency'] === 'market-regulation');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.message).toMatch(/no answer within 1000 ms/);
    expect(res.body.data.households.nodes[0].members[0].hukou).not.toBeNull();
  });

  it('opens the circuit after repeated failures, stops calling the agency, then recovers', async () => {
    sim.behaviour['provident-fund'] = { status: 503 };
    // each failed attempt counts: the circuit opens within a few pages (checked as soon as it has)
    let opened = false;
    for (let i = 0; i < 4 && !opened; i++) {
      const res = await t.gql(PAGE, { first: 3 });
      opened = !!res.body.errors?.some((e) => e.extensions?.['agency'] === 'provident-fund' && /circuit open/.test(e.message));
    }
    expect(opened).toBe(true);
    const callsWhenOpen = sim.calls['provident-fund'];
    const open = await t.gql(PAGE, { first: 3 });
    expect(sim.calls['provident-fund']).toBe(callsWhenOpen); // not called while open
    expect(open.body.errors?.find((e) => e.extensions?.['agency'] === 'provident-fund')?.message).toMatch(/circuit open/);

    sim.behaviour = {};
    await new Promise((r) => setTimeout(r, 500)); // past AGENCY_BREAKER_RESET_MS
    const healed = await t.gql(PAGE, { first: 3 });
    expect(healed.body.errors).toBeUndefined();
    expect(sim.calls['provident-fund']).toBe(callsWhenOpen + 1);
  });

  it('does not retry a call the agency refuses as wrong (HTTP 4xx)', async () => {
    sim.behaviour['utilities'] = { status: 400 };
    const before = sim.calls['utilities'];
    const res = await t.gql(`{ households(first: 30, filter: { status: HOUSED }) { nodes { unit { utilityUse { month } } } } }`);
    expect(res.body.errors?.[0]?.message).toMatch(/refused the call with HTTP 400/);
    expect(sim.calls['utilities']).toBe(before + 1);
  });
});

describe('agency fields from feeds', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ households: 120, seed: SEED, agencyFeeds: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('loads a page of 100 households with every agency field in a bounded number of SQL statements', async () => {
    // ONE statement listing the households with their members, current housing, tenancies, units, policy parameters,
    // the agency records about the page's people whatever their kinds with the feed coverage, and the units' utility
    // readings (src/households/page-read.ts; one statement a kind once: up to 25 in all), asked a few times
    const counts = [];
    for (let i = 0; i < 5; i++) {
      const again = await t.gql(PAGE, { first: 100 });
      expect(again.body.errors).toBeUndefined();
      counts.push(Number(again.headers.get('x-sql-statements')));
    }
    for (const count of counts) expect(count).toBeLessThanOrEqual(1);
    const res = await t.gql(PAGE, { first: 100 });
    const members = res.body.data.households.nodes.flatMap((n: { members: unknown[] }) => n.members);
    expect(members.every((m: { hukou: { source: string } }) => m.hukou.source === 'FEED')).toBe(true);
  });

  it("answers a caseworker's page (members, housing, arrears, the agency summary) in one statement a kind of record", async () => {
    // the page of bench/page-side-by-side.ts
    const res = await t.gql(`{ households(first: 20) { nodes {
      id status category size
      members { residentId name relation birthDate }
      currentHousing { floorArea tenure perCapitaArea }
      tenancy { monthlyRent arrears { monthsUnpaid amountOutstanding oldestUnpaidMonth } }
      agencySummary { perCapitaAnnualIncome highestVehiclePrice vehicleCount homesOwned totalRegisteredCapital onMinimumAllowance deceasedMembers }
    } } }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.households.nodes).toHaveLength(20);
    // ONE statement: the households with their members, housing, tenancies, their ledgers, policy parameters, and the
    // agency records the summary measures (six kinds) with the feed coverage; no waivers (a summary judges nothing)
    expect(Number(res.headers.get('x-sql-statements'))).toBeLessThanOrEqual(1);
  });

  it('answers each household of a page read ahead as its own query answers it, field for field', async () => {
    // a household asked alone is read field by field through the loaders, nothing read ahead (src/households/page-read.ts)
    const FIELDS = `id status category size district { id name } head { residentId }
      currentHousing { floorArea tenure perCapitaArea }
      tenancy { monthlyRent rentLedger { month amountDue amountPaid unpaid } arrears { monthsUnpaid amountOutstanding oldestUnpaidMonth } }
      unit { id address utilityUse { month kind quantity } }
      application { stage stageDeadline overdue }
      agencySummary { incomeYear perCapitaAnnualIncome membersWithoutIncome highestVehiclePrice vehicleCount homesOwned totalRegisteredCapital onMinimumAllowance deceasedMembers }
      members { residentId name relation birthDate ${AGENCY_FIELDS.filter((f) => f !== 'death')
        .map((f) => `${f} { asOf source }`)
        .join(' ')} death { diedOn agency } }`;
    const page = await t.gql(`{ households(first: 40) { nodes { ${FIELDS} } } }`);
    expect(page.body.errors).toBeUndefined();
    const nodes = page.body.data.households.nodes as { id: string; tenancy: unknown; agencySummary: { vehicleCount: number } }[];
    expect(nodes).toHaveLength(40);
    // the page has what each part reads: running tenancies, and summaries over records
    expect(nodes.filter((n) => n.tenancy).length).toBeGreaterThan(0);
    for (const node of nodes) {
      const alone = await t.gql(`query($id: ID!) { household(id: $id) { ${FIELDS} } }`, { id: node.id });
      expect(alone.body.errors).toBeUndefined();
      expect(alone.body.data.household).toEqual(node);
    }
  });
});
