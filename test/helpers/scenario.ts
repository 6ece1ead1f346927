// Builds a household the way users would: registered through the API, agency facts sent through
// the agencies' feed mutations. Returns its id.
import { eq } from 'drizzle-orm';
import { households, housingUnits, rentLedger, tenancies } from '../../src/db/schema.js';
import { makeResidentId } from '../../src/domain/resident-id.js';
import type { TestHub } from './hub.js';
import { TEST_TODAY } from './hub.js';

export interface MemberSpec {
  birthDate: string;
  relation?: string;
  income?: number | null;
  hukou?: { areaCode?: string; kind?: 'URBAN' | 'AGRICULTURAL'; since?: string } | null;
}

export interface HouseholdSpec {
  category?: 'LOCAL' | 'MIGRANT' | 'NEW_CITIZEN';
  members?: MemberSpec[];
  floorArea?: number;
  tenure?: 'OWNED' | 'RENTED' | 'NONE';
  vehicles?: number[];
  capital?: number[];
  divorcedOn?: string;
  properties?: { acquiredOn: string; disposedOn?: string }[];
  /** months of pension contributions, ending last month */
  pensionMonths?: number;
  contractStart?: string;
  /** the contract's last day (open-ended when absent) */
  contractEnd?: string;
  depositMonths?: number;
  /** as-of date of every agency feed (default TEST_TODAY) */
  feedAsOf?: string;
}

let sequence = 0;
let batch = 0;

function monthsBefore(today: string, n: number): string {
  const d = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1 - n, 1));
  return d.toISOString().slice(0, 7);
}

/** Each kind as the agency's complete extract about the household; a kind with no records, as nothing to report. */
async function feed(t: TestHub, mutation: string, type: string, records: Record<string, unknown[]>, asOf: string) {
  batch += 1;
  const kinds = Object.keys(records);
  const res = await t.gql(
    `mutation($k: String!, $a: Date, $r: ${type}!, $c: [String!], $n: [String!]) { ${mutation}(batchKey: $k, asOf: $a, records: $r, complete: $c, nothingToReport: $n) { rejected errors { index field reason } } }`,
    {
      k: `scenario-${batch}`,
      a: asOf,
      r: Object.fromEntries(kinds.filter((k) => records[k]!.length).map((k) => [k, records[k]])),
      c: kinds.filter((k) => records[k]!.length),
      n: kinds.filter((k) => !records[k]!.length),
    },
  );
  if (res.body.errors || res.body.data[mutation].rejected) throw new Error(JSON.stringify(res.body.errors ?? res.body.data[mutation].errors));
}

export async function buildHousehold(t: TestHub, spec: HouseholdSpec): Promise<string> {
  const category = spec.category ?? 'LOCAL';
  const members = (spec.members ?? [{ birthDate: '1980-03-10' }, { birthDate: '1982-06-01', relation: 'SPOUSE' }]).map((m, i) => {
    sequence += 1;
    const relation = m.relation ?? (i === 0 ? 'HEAD' : 'CHILD');
    const area = category === 'LOCAL' ? '130827' : '130821';
    return { ...m, relation, residentId: makeResidentId(area, m.birthDate, sequence % 500, i % 2 ? 'FEMALE' : 'MALE') };
  });
  const reg = await t.gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`, {
    input: {
      districtId: 'KC-KCZ',
      category,
      members: members.map((m, i) => ({ residentId: m.residentId, name: `成员${i}`, birthDate: m.birthDate, relation: m.relation })),
      currentHousing: { floorArea: spec.floorArea ?? (spec.tenure === 'NONE' ? 0 : 20), tenure: spec.tenure ?? 'RENTED' },
    },
  });
  if (reg.body.errors) throw new Error(JSON.stringify(reg.body.errors));
  const asOf = spec.feedAsOf ?? TEST_TODAY;
  const head = members[0]!.residentId;
  const lastYear = Number(TEST_TODAY.slice(0, 4)) - 1;

  await feed(
    t,
    'submitCivilAffairsFeed',
    'CivilAffairsRecords',
    {
      income: members.filter((m) => m.income !== null).map((m) => ({ residentId: m.residentId, year: lastYear, annualIncome: m.income ?? 10_000 })),
      marital: [{ residentId: head, status: spec.divorcedOn ? 'DIVORCED' : 'MARRIED', since: spec.divorcedOn ?? '2005-05-01' }],
    },
    asOf,
  );
  await feed(
    t,
    'submitPublicSecurityFeed',
    'PublicSecurityRecords',
    {
      hukou: members
        .filter((m) => m.hukou !== null)
        .map((m) => ({
          residentId: m.residentId,
          areaCode: m.hukou?.areaCode ?? (category === 'LOCAL' ? '130827' : '130821'),
          kind: m.hukou?.kind ?? 'URBAN',
          since: m.hukou?.since ?? m.birthDate,
        })),
      vehicle: (spec.vehicles ?? []).map((price, i) => ({
        plate: `冀H${String(sequence).padStart(3, '0')}V${i}`,
        ownerResidentId: head,
        purchasePrice: price,
        registeredOn: '2024-01-01',
      })),
    },
    asOf,
  );
  await feed(
    t,
    'submitRealEstateFeed',
    'RealEstateRecords',
    {
      property: (spec.properties ?? []).map((p, i) => ({
        certificateNo: `C-${sequence}-${i}`,
        ownerResidentId: head,
        kind: 'HOME',
        location: '宽城镇',
        floorArea: 60,
        acquiredOn: p.acquiredOn,
        disposedOn: p.disposedOn ?? null,
        disposal: p.disposedOn ? 'SOLD' : null,
      })),
    },
    asOf,
  );
  await feed(
    t,
    'submitMarketRegulationFeed',
    'MarketRegulationRecords',
    {
      business: (spec.capital ?? []).map((capital, i) => ({
        registrationNo: `91130827${String(sequence).padStart(8, '0')}${i}X`,
        ownerResidentId: head,
        name: '小店',
        registeredCapital: capital,
        status: 'ACTIVE',
        registeredOn: '2020-01-01',
      })),
    },
    asOf,
  );
  const pension = Array.from({ length: spec.pensionMonths ?? 0 }, (_, i) => ({
    residentId: head,
    month: monthsBefore(TEST_TODAY, i + 1),
    employer: '宽城矿业',
    amount: 480,
  }));
  await feed(
    t,
    'submitSocialSecurityFeed',
    'SocialSecurityRecords',
    {
      pension,
      contract: spec.contractStart ? [{ residentId: head, employer: '宽城矿业', startDate: spec.contractStart, endDate: spec.contractEnd ?? null }] : [],
    },
    asOf,
  );
  const deposits = Array.from({ length: spec.depositMonths ?? 0 }, (_, i) => ({
    residentId: head,
    month: monthsBefore(TEST_TODAY, i + 1),
    employer: '宽城县人民医院',
    base: 4000,
    amount: 960,
  }));
  await feed(t, 'submitProvidentFundFeed', 'ProvidentFundRecords', { deposit: deposits }, asOf);
  return reg.body.data.registerHousehold.id;
}

export const QUALIFICATION = /* GraphQL */ `
  query ($id: ID!, $asOf: Date) {
    household(id: $id) {
      qualification(asOf: $asOf) {
        verdict
        fits
        category
        criteria {
          code
          article
          outcome
          actual
          actualText
          threshold
          comparator
          unit
          reason
          evidence {
            agency
            record
            asOf
            ageDays
            stale
          }
        }
        categories {
          category
          verdict
          criteria {
            code
            outcome
            actual
            threshold
            reason
          }
        }
        sinceLast {
          previousVerdict
          changedCriteria
        }
      }
    }
  }
`;

export interface Criterion {
  code: string;
  outcome: 'PASS' | 'FAIL' | 'UNKNOWN';
  actual: number | null;
  threshold: number | null;
  reason: string | null;
}

export async function qualify(t: TestHub, spec: HouseholdSpec) {
  const id = await buildHousehold(t, spec);
  const res = await t.gql(QUALIFICATION, { id });
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  const q = res.body.data.household.qualification as {
    verdict: string;
    fits: string[];
    criteria: Criterion[];
    categories: { category: string; verdict: string; criteria: Criterion[] }[];
  };
  return {
    id,
    ...q,
    criterion(code: string, category?: string): Criterion {
      const list = category ? q.categories.find((c) => c.category === category)!.criteria : q.criteria;
      const found = list.find((c) => c.code === code);
      if (!found) throw new Error(`no criterion ${code}`);
      return found;
    },
  };
}

const LEDGER_MONTHS = ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];

/**
 * A registered household moved into a new unit of KC-KCZ (bureau records written directly: the API has
 * no allocation mutation yet), with a ledger from 2025-12 whose `unpaid` months (YYYY-MM) were not paid,
 * and reviewed today (its qualification recorded, KC-18).
 */
export async function housedHousehold(t: TestHub, unpaid: string[] = []): Promise<{ id: string; unitId: number }> {
  const id = await buildHousehold(t, {});
  const db = t.database.db;
  const [unit] = await db
    .insert(housingUnits)
    .values({ districtId: 'KC-KCZ', address: `test unit ${id}`, floorArea: 45 })
    .returning();
  const [tenancy] = await db
    .insert(tenancies)
    .values({ unitId: unit!.id, householdId: Number(id), startDate: '2025-12-01', rentStandard: 'STANDARD', monthlyRent: 270 })
    .returning();
  await db.insert(rentLedger).values(
    LEDGER_MONTHS.map((m) => ({
      tenancyId: tenancy!.id,
      month: `${m}-01`,
      amountDue: 270,
      amountPaid: unpaid.includes(m) ? 0 : 270,
      paidOn: unpaid.includes(m) ? null : `${m}-05`,
    })),
  );
  await db
    .update(households)
    .set({ status: 'HOUSED' })
    .where(eq(households.id, Number(id)));
  const reviewed = await t.gql(`mutation($id: ID!) { recordQualification(householdId: $id) { verdict } }`, { id });
  if (reviewed.body.errors) throw new Error(JSON.stringify(reviewed.body.errors));
  return { id, unitId: unit!.id };
}

/** The members' full resident IDs, released for a stated purpose as any caseworker would (masked otherwise). */
export async function memberIds(t: TestHub, householdId: string): Promise<string[]> {
  const res = await t.gql(
    `query($id: ID!) { household(id: $id) { members { identity(purpose: "test fixture: feed records about this household") { residentId } } } }`,
    { id: householdId },
  );
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data.household.members.map((m: { identity: { residentId: string } }) => m.identity.residentId);
}
