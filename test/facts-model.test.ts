// One facts model: a household's agency summary and its qualification read the same facts through
// the same loaders and measure them with the same functions, so the page cannot contradict itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { buildHousehold, memberIds, type HouseholdSpec } from './helpers/scenario.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

const PAGE = /* GraphQL */ `
  query ($id: ID!) {
    household(id: $id) {
      agencySummary {
        incomeYear
        perCapitaAnnualIncome
        membersWithoutIncome
        highestVehiclePrice
        vehicleCount
        homesOwned
        totalRegisteredCapital
        onMinimumAllowance
        deceasedMembers
      }
      qualification {
        category
        criteria {
          code
          actual
          outcome
        }
      }
    }
  }
`;

/** three members with 2025 incomes, a car sold off and one kept, a home sold two years ago, a small business */
const SPEC: HouseholdSpec = {
  members: [
    { birthDate: '1980-03-10', income: 30_000 },
    { birthDate: '1982-06-01', relation: 'SPOUSE', income: 12_000 },
    { birthDate: '2005-09-09', relation: 'CHILD', income: 0 },
  ],
  floorArea: 30,
  properties: [{ acquiredOn: '2012-01-01', disposedOn: '2024-06-01' }],
  capital: [20_000],
};

async function household(spec: HouseholdSpec) {
  const id = await buildHousehold(t, spec);
  const ids = await memberIds(t, id);
  // this year's incomes are in too: the criterion reads last year's, and so must the summary
  const feeds = await t.gql(
    `mutation($ca: CivilAffairsRecords!, $ps: PublicSecurityRecords!) {
      ca: submitCivilAffairsFeed(batchKey: ${JSON.stringify(`model-ca-${id}`)}, records: $ca) { rejected }
      ps: submitPublicSecurityFeed(batchKey: ${JSON.stringify(`model-ps-${id}`)}, records: $ps) { rejected }
    }`,
    {
      ca: { income: ids.map((r, i) => ({ residentId: r, year: 2026, annualIncome: [90_000, 60_000, 30_000][i] })) },
      ps: {
        vehicle: [
          { plate: `冀H${id.padStart(4, '0')}A`, ownerResidentId: ids[0], purchasePrice: 150_000, registeredOn: '2019-01-01', deregisteredOn: '2026-06-01' },
          { plate: `冀H${id.padStart(4, '0')}B`, ownerResidentId: ids[1], purchasePrice: 80_000, registeredOn: '2022-01-01' },
        ],
      },
    },
  );
  expect(feeds.body.data).toEqual({ ca: { rejected: 0 }, ps: { rejected: 0 } });
  const res = await t.gql(PAGE, { id });
  expect(res.body.errors).toBeUndefined();
  const { agencySummary: summary, qualification } = res.body.data.household;
  const actual = (code: string) => (qualification.criteria as { code: string; actual: number | null }[]).find((c) => c.code === code)!.actual;
  return { summary, actual };
}

describe('agencySummary and qualification on the same household', () => {
  it('agree on income, vehicles, homes and capital (LOCAL: homes disposed of in the lookback count)', async () => {
    const { summary, actual } = await household(SPEC);
    expect(summary.incomeYear).toBe(2025);
    expect(summary.perCapitaAnnualIncome).toBeCloseTo(actual('INCOME')!, 6);
    expect(summary.perCapitaAnnualIncome).toBeCloseTo(42_000 / 3, 6);
    expect(summary.membersWithoutIncome).toBe(0);
    expect(summary.highestVehiclePrice).toBe(actual('LOCAL.VEHICLE_PRICE'));
    expect(summary.highestVehiclePrice).toBe(80_000);
    expect(summary.vehicleCount).toBe(1);
    expect(summary.homesOwned).toBe(actual('LOCAL.HOMES'));
    expect(summary.homesOwned).toBe(1);
    expect(summary.totalRegisteredCapital).toBe(actual('LOCAL.CAPITAL'));
    expect(summary).toMatchObject({ onMinimumAllowance: false, deceasedMembers: 0 });
  });

  it('agree for a MIGRANT household too, whose HOMES criterion counts homes held now', async () => {
    const { summary, actual } = await household({ ...SPEC, category: 'MIGRANT', pensionMonths: 14, contractStart: '2024-03-01' });
    expect(summary.homesOwned).toBe(actual('MIGRANT.HOMES'));
    expect(summary.homesOwned).toBe(0);
    expect(summary.highestVehiclePrice).toBe(actual('MIGRANT.VEHICLE_PRICE'));
    expect(summary.perCapitaAnnualIncome).toBeCloseTo(actual('INCOME')!, 6);
  });
});
