// Every KC-12 threshold pinned on both sides, through the GraphQL API (TEST_TODAY is 2026-11-23).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../src/db/client.js';
import { startTestHub, TEST_TODAY, type TestHub } from './helpers/hub.js';
import { maskResidentId } from '../src/domain/resident-id.js';
import { memberIds, QUALIFICATION, qualify, type HouseholdSpec } from './helpers/scenario.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

const adults = (n: number, incomes: number[] = []) =>
  Array.from({ length: n }, (_, i) => ({
    birthDate: `198${i}-03-10`,
    relation: i === 0 ? 'HEAD' : i === 1 ? 'SPOUSE' : 'CHILD',
    income: incomes[i] ?? 10_000,
  }));

const RECORD = `mutation($id: ID!) { recordQualification(householdId: $id) { verdict sinceLast { previousVerdict changedCriteria } latestEvaluation { id verdict evaluatedOn evaluatedBy } } }`;

async function outcomeOf(spec: HouseholdSpec, code: string, category?: string) {
  return (await qualify(t, spec)).criterion(code, category);
}

describe('a household meeting every LOCAL condition', () => {
  it('is ELIGIBLE, each criterion passing with its value, threshold, article and evidence', async () => {
    const q = await qualify(t, {});
    expect(q.verdict).toBe('ELIGIBLE');
    expect(q.fits).toContain('LOCAL');
    expect(q.criteria.every((c) => c.outcome === 'PASS')).toBe(true);
    expect(q.criterion('LOCAL.PER_CAPITA_AREA')).toMatchObject({ actual: 10, threshold: 15 });
    expect(q.criterion('INCOME')).toMatchObject({ actual: 10_000, threshold: 32_400 });
  });
});

describe('KC-12 boundaries, each side', () => {
  const cases: [string, string, HouseholdSpec, 'PASS' | 'FAIL', string?][] = [
    ['applicant aged exactly 18', 'APPLICANT_AGE_MIN', { members: [{ birthDate: '2008-11-23' }, { birthDate: '2009-01-01', relation: 'SPOUSE' }] }, 'PASS'],
    ['applicant a day short of 18', 'APPLICANT_AGE_MIN', { members: [{ birthDate: '2008-11-24' }, { birthDate: '2009-01-01', relation: 'SPOUSE' }] }, 'FAIL'],
    ['applicant aged 70', 'APPLICANT_AGE_MAX', { members: [{ birthDate: '1955-11-24' }, { birthDate: '1958-01-01', relation: 'SPOUSE' }] }, 'PASS'],
    ['applicant aged 71', 'APPLICANT_AGE_MAX', { members: [{ birthDate: '1955-11-23' }, { birthDate: '1958-01-01', relation: 'SPOUSE' }] }, 'FAIL'],
    ['household of 2', 'HOUSEHOLD_SIZE', { members: adults(2) }, 'PASS'],
    ['household of 1', 'HOUSEHOLD_SIZE', { members: adults(1), floorArea: 10 }, 'FAIL'],
    ['per-capita area 14.99 m²', 'LOCAL.PER_CAPITA_AREA', { floorArea: 29.98 }, 'PASS'],
    ['per-capita area exactly 15 m² (不足15: excluded)', 'LOCAL.PER_CAPITA_AREA', { floorArea: 30 }, 'FAIL'],
    ['total area 49.99 m²', 'LOCAL.TOTAL_AREA', { members: adults(4), floorArea: 49.99 }, 'PASS'],
    ['total area exactly 50 m²', 'LOCAL.TOTAL_AREA', { members: adults(4), floorArea: 50 }, 'FAIL'],
    ['income exactly 0.9 × 36,000 per person (以下: included)', 'INCOME', { members: adults(2, [32_400, 32_400]) }, 'PASS'],
    ['income a cent per person over 0.9 ×', 'INCOME', { members: adults(2, [32_400, 32_400.02]) }, 'FAIL'],
    ['a vehicle bought for exactly 100,000', 'LOCAL.VEHICLE_PRICE', { vehicles: [100_000] }, 'PASS'],
    ['a vehicle bought for over 100,000', 'LOCAL.VEHICLE_PRICE', { vehicles: [50_000, 100_000.01] }, 'FAIL'],
    ['registered capital exactly 50,000 (不超过: included)', 'LOCAL.CAPITAL', { capital: [20_000, 30_000] }, 'PASS'],
    ['registered capital over 50,000', 'LOCAL.CAPITAL', { capital: [50_000.01] }, 'FAIL'],
    ['divorced exactly a year ago', 'LOCAL.DIVORCE_YEARS', { divorcedOn: '2025-11-23' }, 'PASS'],
    ['divorced a day less than a year ago', 'LOCAL.DIVORCE_YEARS', { divorcedOn: '2025-11-24' }, 'FAIL'],
    ['a home sold 3 years and a day ago', 'LOCAL.HOMES', { properties: [{ acquiredOn: '2010-01-01', disposedOn: '2023-11-22' }] }, 'PASS'],
    ['a home sold exactly 3 years ago (以内: counts)', 'LOCAL.HOMES', { properties: [{ acquiredOn: '2010-01-01', disposedOn: '2023-11-23' }] }, 'FAIL'],
    [
      'hukou here exactly a year',
      'LOCAL.RESIDENCE_YEARS',
      {
        members: [
          { birthDate: '1980-03-10', hukou: { since: '2025-11-23' } },
          { birthDate: '1982-06-01', relation: 'SPOUSE' },
        ],
      },
      'PASS',
    ],
    [
      'hukou here a day less than a year',
      'LOCAL.RESIDENCE_YEARS',
      {
        members: [
          { birthDate: '1980-03-10', hukou: { since: '2025-11-24' } },
          { birthDate: '1982-06-01', relation: 'SPOUSE' },
        ],
      },
      'FAIL',
    ],
    [
      'agricultural hukou',
      'LOCAL.HUKOU',
      {
        members: [
          { birthDate: '1980-03-10', hukou: { kind: 'AGRICULTURAL' } },
          { birthDate: '1982-06-01', relation: 'SPOUSE' },
        ],
      },
      'FAIL',
    ],
    ['MIGRANT: a vehicle bought for exactly 120,000', 'MIGRANT.VEHICLE_PRICE', { category: 'MIGRANT', vehicles: [120_000] }, 'PASS', 'MIGRANT'],
    ['MIGRANT: a vehicle bought for over 120,000', 'MIGRANT.VEHICLE_PRICE', { category: 'MIGRANT', vehicles: [120_000.01] }, 'FAIL', 'MIGRANT'],
    ['MIGRANT: capital exactly 100,000', 'MIGRANT.CAPITAL', { category: 'MIGRANT', capital: [100_000] }, 'PASS', 'MIGRANT'],
    ['MIGRANT: capital over 100,000', 'MIGRANT.CAPITAL', { category: 'MIGRANT', capital: [100_000.01] }, 'FAIL', 'MIGRANT'],
    ['MIGRANT: 12 continuous months of pension', 'MIGRANT.PENSION_MONTHS', { category: 'MIGRANT', pensionMonths: 12 }, 'PASS', 'MIGRANT'],
    ['MIGRANT: 11 months of pension', 'MIGRANT.PENSION_MONTHS', { category: 'MIGRANT', pensionMonths: 11 }, 'FAIL', 'MIGRANT'],
    ['MIGRANT: a contract of exactly a year so far', 'MIGRANT.CONTRACT_YEARS', { category: 'MIGRANT', contractStart: '2025-11-23' }, 'PASS', 'MIGRANT'],
    ['MIGRANT: a contract a day short of a year', 'MIGRANT.CONTRACT_YEARS', { category: 'MIGRANT', contractStart: '2025-11-24' }, 'FAIL', 'MIGRANT'],
    [
      'NEW_CITIZEN: applicant aged 35 (含: included)',
      'NEW_CITIZEN.AGE_MAX',
      { category: 'NEW_CITIZEN', members: [{ birthDate: '1990-11-24' }], depositMonths: 3 },
      'PASS',
      'NEW_CITIZEN',
    ],
    [
      'NEW_CITIZEN: applicant aged 36',
      'NEW_CITIZEN.AGE_MAX',
      { category: 'NEW_CITIZEN', members: [{ birthDate: '1990-11-23' }], depositMonths: 3 },
      'FAIL',
      'NEW_CITIZEN',
    ],
    ['NEW_CITIZEN: deposits from a local employer', 'NEW_CITIZEN.WORKPLACE', { category: 'NEW_CITIZEN', depositMonths: 2 }, 'PASS', 'NEW_CITIZEN'],
    ['NEW_CITIZEN: no deposits', 'NEW_CITIZEN.WORKPLACE', { category: 'NEW_CITIZEN' }, 'FAIL', 'NEW_CITIZEN'],
  ];

  it.each(cases)('%s → %s %s', async (_name, code, spec, expected, category) => {
    const criterion = await outcomeOf(spec, code, category);
    expect(criterion.outcome, JSON.stringify(criterion)).toBe(expected);
  });

  it('makes a MIGRANT household meeting every condition ELIGIBLE, and a NEW_CITIZEN one too', async () => {
    const migrant = await qualify(t, { category: 'MIGRANT', pensionMonths: 14, contractStart: '2024-03-01' });
    expect(migrant.verdict).toBe('ELIGIBLE');
    const young = await qualify(t, { category: 'NEW_CITIZEN', members: [{ birthDate: '1995-01-01' }], depositMonths: 6 });
    expect(young.verdict).toBe('ELIGIBLE');
  });
});

describe('missing or stale evidence is UNKNOWN, never ELIGIBLE', () => {
  it('public-security data exactly 90 days old still counts', async () => {
    const q = await qualify(t, { feedAsOf: '2026-08-25' });
    expect(q.criterion('LOCAL.HUKOU').outcome).toBe('PASS');
    expect(q.verdict).toBe('ELIGIBLE');
  });

  it('91 days old makes the criteria built on it UNKNOWN and the verdict UNKNOWN', async () => {
    const q = await qualify(t, { feedAsOf: '2026-08-24' });
    expect(q.criterion('LOCAL.HUKOU')).toMatchObject({ outcome: 'UNKNOWN', reason: 'public-security data is 91 days old' });
    expect(q.criterion('LOCAL.RESIDENCE_YEARS').outcome).toBe('UNKNOWN');
    expect(q.verdict).toBe('UNKNOWN');
  });

  it('a member without an income record makes INCOME UNKNOWN', async () => {
    const q = await qualify(t, { members: [{ birthDate: '1980-03-10' }, { birthDate: '1982-06-01', relation: 'SPOUSE', income: null }] });
    expect(q.criterion('INCOME').outcome).toBe('UNKNOWN');
    expect(q.verdict).toBe('UNKNOWN');
  });

  it('a failing criterion decides even when another is UNKNOWN', async () => {
    const q = await qualify(t, { floorArea: 80, members: [{ birthDate: '1980-03-10' }, { birthDate: '1982-06-01', relation: 'SPOUSE', income: null }] });
    expect(q.verdict).toBe('INELIGIBLE');
  });
});

describe('evaluations are recorded on purpose and compared, under the parameters in force on the date', () => {
  it('uses the county income figure in force on the as-of date', async () => {
    const q = await qualify(t, {});
    const past = await t.gql(QUALIFICATION, { id: q.id, asOf: '2025-06-01' });
    const income = past.body.data.household.qualification.criteria.find((c: { code: string }) => c.code === 'INCOME');
    expect(income.threshold).toBeCloseTo(0.9 * 34_500, 6);
  });

  it('reports which criteria flipped since the last stored evaluation', async () => {
    const q = await qualify(t, {});
    const again = await t.gql(QUALIFICATION, { id: q.id });
    // reading stores nothing: there is nothing to compare with until someone records one
    expect(again.body.data.household.qualification.sinceLast).toBeNull();
    const recorded = await t.gql(RECORD, { id: q.id });
    expect(recorded.body.errors).toBeUndefined();
    expect(recorded.body.data.recordQualification).toMatchObject({
      verdict: 'ELIGIBLE',
      sinceLast: null,
      latestEvaluation: { verdict: 'ELIGIBLE', evaluatedOn: TEST_TODAY, evaluatedBy: 'admin@test' },
    });
    const read = await t.gql(QUALIFICATION, { id: q.id });
    expect(read.body.data.household.qualification.sinceLast).toEqual({ previousVerdict: 'ELIGIBLE', changedCriteria: [] });
    const head = { residentId: (await memberIds(t, q.id))[0]! };
    await t.gql(`mutation($r: PublicSecurityRecords!) { submitPublicSecurityFeed(batchKey: "car-bought", records: $r) { inserted } }`, {
      r: { vehicle: [{ plate: '冀H88888', ownerResidentId: head.residentId, purchasePrice: 150_000, registeredOn: '2026-11-01' }] },
    });
    const after = await t.gql(QUALIFICATION, { id: q.id });
    expect(after.body.data.household.qualification).toMatchObject({
      verdict: 'INELIGIBLE',
      sinceLast: { previousVerdict: 'ELIGIBLE', changedCriteria: ['LOCAL.VEHICLE_PRICE'] },
    });
    // recording again compares with the one before and becomes the latest
    const second = await t.gql(RECORD, { id: q.id });
    expect(second.body.data.recordQualification).toMatchObject({
      verdict: 'INELIGIBLE',
      sinceLast: { previousVerdict: 'ELIGIBLE', changedCriteria: ['LOCAL.VEHICLE_PRICE'] },
      latestEvaluation: { verdict: 'INELIGIBLE' },
    });
    const last = await t.gql(QUALIFICATION, { id: q.id });
    expect(last.body.data.household.qualification.sinceLast).toEqual({ previousVerdict: 'INELIGIBLE', changedCriteria: [] });
  });

  it('stores nothing however often it is read; recordQualification stores one', async () => {
    const q = await qualify(t, {});
    const stored = async () =>
      (await selectRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from qualification_evaluations where household_id = ${Number(q.id)}`))[0]!
        .n;
    for (let i = 0; i < 5; i++) {
      const res = await t.gql(
        `query($id: ID!) { household(id: $id) { qualification { verdict latestEvaluation { id } } gy: qualification(policy: "GY") { verdict } } }`,
        { id: q.id },
      );
      expect(res.body.errors).toBeUndefined();
    }
    expect(await stored()).toBe(0);
    const recorded = await t.gql(RECORD, { id: q.id });
    expect(await stored()).toBe(1);
    const read = await t.gql(
      `query($id: ID!) { household(id: $id) { qualification { latestEvaluation { id verdict evaluatedOn evaluatedBy policyVersion } } } }`,
      { id: q.id },
    );
    expect(read.body.data.household.qualification.latestEvaluation).toEqual({ ...recorded.body.data.recordQualification.latestEvaluation, policyVersion: 1 });
  });

  it('lets a caseworker record only in its own districts', async () => {
    const q = await qualify(t, {});
    const own = await t.as({ sub: 'cw@kcz', role: 'CASEWORKER', districts: ['KC-KCZ'] }).gql(RECORD, { id: q.id });
    expect(own.body.errors).toBeUndefined();
    const other = await t.as({ sub: 'cw@other', role: 'CASEWORKER', districts: ['KC-LXM'] }).gql(RECORD, { id: q.id });
    expect(other.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const auditor = await t.as({ sub: 'aud', role: 'AUDITOR' }).gql(RECORD, { id: q.id });
    expect(auditor.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('lets a manager record a new parameter value from a date, kept with who and when', async () => {
    const res = await t.gql(
      `mutation { setPolicyParameter(input: { policyId: "KC", code: "COUNTY_URBAN_INCOME", value: 40000, effectiveFrom: "2026-11-01", note: "2025 statistics bulletin" }) { code value effectiveFrom unit article recordedBy recordedAt } }`,
    );
    expect(res.body.data.setPolicyParameter).toMatchObject({
      code: 'COUNTY_URBAN_INCOME',
      value: 40_000,
      unit: 'yuan/year',
      article: 'KC-12(1)4',
      recordedBy: 'admin@test',
    });
    const q = await qualify(t, {});
    expect(q.criterion('INCOME').threshold).toBeCloseTo(36_000, 6);
    const history = await t.gql(
      `{ policy(id: "KC") { history(code: "COUNTY_URBAN_INCOME") { value effectiveFrom } parameters(asOf: "2026-10-31") { code value } } }`,
    );
    expect(history.body.data.policy.history.map((h: { value: number }) => h.value)).toEqual([40_000, 36_000, 34_500]);
    expect(history.body.data.policy.parameters.find((p: { code: string }) => p.code === 'COUNTY_URBAN_INCOME').value).toBe(36_000);
    const unknown = await t.gql(`mutation { setPolicyParameter(input: { policyId: "KC", code: "NOPE", value: 1, effectiveFrom: "2026-11-01" }) { code } }`);
    expect(unknown.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.code' });
  });

  it('refuses an as-of date in the future', async () => {
    const q = await qualify(t, {});
    const res = await t.gql(QUALIFICATION, { id: q.id, asOf: '2026-11-24' });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
    expect(TEST_TODAY).toBe('2026-11-23');
  });
});

describe('Guiyang conditions through the API (policy GY)', () => {
  const GY = `query($id: ID!) { household(id: $id) { qualification(policy: "GY") { verdict criteria { code outcome actual threshold } } } }`;
  const gy = async (spec: HouseholdSpec, code: string) => {
    const id = (await qualify(t, spec)).id;
    const res = await t.gql(GY, { id });
    return res.body.data.household.qualification.criteria.find((c: { code: string }) => c.code === code);
  };
  it.each([
    ['income exactly 975 a month per person', { members: adults(2, [11_700, 11_700]) }, 'GY.INCOME_MONTHLY', 'PASS'],
    ['income 975.01 a month per person', { members: adults(2, [11_700, 11_700.24]) }, 'GY.INCOME_MONTHLY', 'FAIL'],
    ['12 m² per person', { floorArea: 24 }, 'GY.PER_CAPITA_AREA', 'PASS'],
    ['12.01 m² per person', { floorArea: 24.02 }, 'GY.PER_CAPITA_AREA', 'FAIL'],
  ] as [string, HouseholdSpec, string, string][])('%s', async (_name, spec, code, outcome) => {
    expect((await gy(spec, code)).outcome).toBe(outcome);
  });
});

describe('Guiyang points through the API (per-capita area a, one generation = 10)', () => {
  const bands: [string, number, 'RENTED' | 'NONE', number][] = [
    ['no housing → 25', 0, 'NONE', 25],
    ['a = 1.99 → 17', 1.99, 'RENTED', 17],
    ['a = 2 → 14', 2, 'RENTED', 14],
    ['a = 4 → 14', 4, 'RENTED', 14],
    ['a = 4.01 → 11', 4.01, 'RENTED', 11],
    ['a = 6 → 11', 6, 'RENTED', 11],
    ['a = 6.01 → 8', 6.01, 'RENTED', 8],
    ['a = 8 → 8', 8, 'RENTED', 8],
    ['a = 8.01 → 6', 8.01, 'RENTED', 6],
    ['a = 10 → 6', 10, 'RENTED', 6],
    ['a = 10.01 → 4', 10.01, 'RENTED', 4],
    ['a = 12 → 4', 12, 'RENTED', 4],
    ['a = 12.01 → 0', 12.01, 'RENTED', 0],
  ];
  it.each(bands)('%s', async (_name, area, tenure, points) => {
    const q = await qualify(t, { members: [{ birthDate: '1980-03-10' }], floorArea: area, tenure });
    const res = await t.gql(`query($id: ID!) { household(id: $id) { score { total housing { points } familyStructure { points } } } }`, { id: q.id });
    expect(res.body.data.household.score).toEqual({ total: points + 10, housing: { points }, familyStructure: { points: 10 } });
  });
});

describe('checking an applicant not yet registered', () => {
  it('evaluates on what the agencies know and lists where the declaration disagrees', async () => {
    const { makeResidentId } = await import('../src/domain/resident-id.js');
    const head = makeResidentId('130827', '1979-09-09', 450, 'MALE');
    const spouse = makeResidentId('130827', '1981-02-02', 451, 'FEMALE');
    const feeds = await t.gql(
      `mutation($ca: CivilAffairsRecords!, $ps: PublicSecurityRecords!) {
        a: submitCivilAffairsFeed(batchKey: "applicant-ca", records: $ca) { rejected }
        b: submitPublicSecurityFeed(batchKey: "applicant-ps", records: $ps) { rejected }
      }`,
      {
        ca: {
          income: [
            { residentId: head, year: 2025, annualIncome: 30_000 },
            { residentId: spouse, year: 2025, annualIncome: 12_000 },
          ],
        },
        ps: {
          hukou: [
            { residentId: head, areaCode: '130827', kind: 'URBAN', since: '1990-01-01' },
            { residentId: spouse, areaCode: '130827', kind: 'URBAN', since: '1990-01-01' },
          ],
          vehicle: [{ plate: '冀H77777', ownerResidentId: head, purchasePrice: 80_000, registeredOn: '2023-01-01' }],
        },
      },
    );
    expect(feeds.body.data).toEqual({ a: { rejected: 0 }, b: { rejected: 0 } });
    const res = await t.gql(
      `query($input: ApplicantCheckInput!) { checkApplicant(input: $input) { verdict fits discrepancies { fact residentId declared agencies agency } criteria { code outcome } } }`,
      {
        input: {
          category: 'LOCAL',
          members: [
            { residentId: head, relation: 'HEAD', declaredAnnualIncome: 20_000 },
            { residentId: spouse, relation: 'SPOUSE', declaredAnnualIncome: 12_000 },
          ],
          currentHousing: { floorArea: 24, tenure: 'RENTED' },
          declared: { vehicleCount: 0, homesOwned: 0 },
        },
      },
    );
    expect(res.body.errors).toBeUndefined();
    const check = res.body.data.checkApplicant;
    expect(check.discrepancies).toEqual([
      // masked like every resident ID the API answers with
      { fact: 'income 2025', residentId: maskResidentId(head), declared: '20000', agencies: '30000', agency: 'civil-affairs' },
      { fact: 'vehicles', residentId: null, declared: '0', agencies: '1', agency: 'public-security' },
    ]);
    // the marital status is unknown to civil affairs: the divorce criterion cannot be decided
    expect(check.criteria.find((c: { code: string }) => c.code === 'LOCAL.DIVORCE_YEARS').outcome).toBe('UNKNOWN');
    expect(check.verdict).toBe('UNKNOWN');
  });

  it('rejects a bad resident ID naming the member', async () => {
    const res = await t.gql(
      `query { checkApplicant(input: { category: LOCAL, members: [{ residentId: "110105194912310021", relation: HEAD }], currentHousing: { floorArea: 10, tenure: RENTED } }) { verdict } }`,
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.members[0].residentId' });
  });
});
