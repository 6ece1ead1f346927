import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { income, marital } from '../connectors/civil-affairs/index.js';
import { business } from '../connectors/market-regulation/index.js';
import { deposit } from '../connectors/provident-fund/index.js';
import { hukou, vehicle } from '../connectors/public-security/index.js';
import { property } from '../connectors/real-estate/index.js';
import { contract, pension } from '../connectors/social-security/index.js';
import type { RecordKind, RecordOf } from '../src/agency/connector.js';
import { GUIYANG, KUANCHENG } from '../src/policy/definitions.js';
import { evaluate, READ_OF, type AgencyRecord, type HouseholdFacts, type Parameters, type ParameterValue } from '../src/policy/engine.js';
import { generationsOf, guiyangScore } from '../src/policy/points.js';
import { member } from './unit/fixtures.js';

const AS_OF = '2026-11-23';

function parametersOf(seed: typeof KUANCHENG, asOf: string): Parameters {
  const map = new Map<string, ParameterValue>();
  for (const p of [...seed.parameters].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))) {
    if (p.effectiveFrom <= asOf) map.set(p.code, { ...p, toBeConfirmed: p.toBeConfirmed ?? null });
  }
  return map;
}

const KC = parametersOf(KUANCHENG, AS_OF);
const GY = parametersOf(GUIYANG, AS_OF);
const rec = <K extends RecordKind>(_kind: K, fields: RecordOf<K>, asOf = AS_OF): AgencyRecord<K> => ({ ...fields, asOf, source: 'FEED' });

const factsArb = fc
  .record({
    category: fc.constantFrom('LOCAL' as const, 'MIGRANT' as const, 'NEW_CITIZEN' as const),
    size: fc.integer({ min: 1, max: 5 }),
    area: fc.double({ min: 0, max: 120, noNaN: true }),
    income: fc.double({ min: 0, max: 80_000, noNaN: true }),
    vehicles: fc.array(fc.double({ min: 1_000, max: 300_000, noNaN: true }), { maxLength: 2 }),
    capital: fc.array(fc.double({ min: 0, max: 200_000, noNaN: true }), { maxLength: 2 }),
    headBirth: fc.constantFrom('1960-01-01', '1985-06-15', '1995-02-01', '2009-01-01'),
    pensionMonths: fc.integer({ min: 0, max: 18 }),
    contractStart: fc.constantFrom(null, '2024-01-01', '2026-06-01'),
    deposits: fc.boolean(),
    hukouUrban: fc.boolean(),
    homes: fc.integer({ min: 0, max: 1 }),
  })
  .map((g): HouseholdFacts => {
    const members = Array.from({ length: g.size }, (_, i) => {
      const residentId = `R${i}`;
      return {
        residentId,
        relation: i === 0 ? 'HEAD' : 'CHILD',
        birthDate: i === 0 ? g.headBirth : '2010-01-01',
        hukou: rec(hukou, { residentId, areaCode: '130827', kind: g.hukouUrban ? 'URBAN' : 'AGRICULTURAL', since: '2000-01-01' }),
        incomes: [rec(income, { residentId, year: 2025, annualIncome: g.income })],
        marital: rec(marital, { residentId, status: 'MARRIED', since: '2005-01-01' }),
        vehicles:
          i === 0
            ? g.vehicles.map((price, n) =>
                rec(vehicle, { plate: `P${n}`, ownerResidentId: residentId, purchasePrice: price, registeredOn: '2020-01-01', deregisteredOn: null }),
              )
            : [],
        properties:
          i === 0 && g.homes
            ? [
                rec(property, {
                  certificateNo: 'C',
                  ownerResidentId: residentId,
                  kind: 'HOME',
                  location: 'x',
                  floorArea: 80,
                  acquiredOn: '2015-01-01',
                  disposedOn: null,
                  disposal: null,
                }),
              ]
            : [],
        businesses:
          i === 0
            ? g.capital.map((c, n) =>
                rec(business, {
                  registrationNo: `B${n}`,
                  ownerResidentId: residentId,
                  name: 'b',
                  registeredCapital: c,
                  status: 'ACTIVE',
                  registeredOn: '2020-01-01',
                }),
              )
            : [],
        pension:
          i === 0
            ? Array.from({ length: g.pensionMonths }, (_, m) =>
                rec(pension, { residentId, month: `2026-${String(10 - (m % 10)).padStart(2, '0')}-01`, employer: 'e', amount: 500 }),
              ).slice(0, 10)
            : [],
        contracts: i === 0 && g.contractStart ? [rec(contract, { residentId, employer: 'e', startDate: g.contractStart, endDate: null })] : [],
        deposits: i === 0 && g.deposits ? [rec(deposit, { residentId, month: '2026-10-01', employer: 'e', base: 5000, amount: 600 })] : [],
        allowances: [],
        deaths: [],
      };
    });
    const coverage = Object.fromEntries(
      [
        'civil-affairs/marital',
        'public-security/hukou',
        'public-security/vehicle',
        'social-security/pension',
        'social-security/contract',
        'provident-fund/deposit',
        'real-estate/property',
        'market-regulation/business',
      ].map((k) => [k, AS_OF]),
    );
    return { asOf: AS_OF, category: g.category, size: g.size, housing: { floorArea: g.area, tenure: 'RENTED' }, members, coverage };
  });

const eligible = (f: HouseholdFacts) => evaluate(f, KC).verdict === 'ELIGIBLE';

describe('qualification engine properties', () => {
  it('raising income never turns INELIGIBLE into ELIGIBLE', () => {
    fc.assert(
      fc.property(factsArb, fc.double({ min: 0, max: 50_000, noNaN: true }), (f, raise) => {
        const richer = {
          ...f,
          members: f.members.map((m) => ({ ...m, incomes: m.incomes.map((i) => ({ ...i, annualIncome: Number(i.annualIncome) + raise })) })),
        };
        return eligible(f) || !eligible(richer);
      }),
    );
  });

  it('more floor area never turns INELIGIBLE into ELIGIBLE', () => {
    fc.assert(
      fc.property(factsArb, fc.double({ min: 0, max: 100, noNaN: true }), (f, more) => {
        const bigger = { ...f, housing: { ...f.housing!, floorArea: f.housing!.floorArea + more } };
        return eligible(f) || !eligible(bigger);
      }),
    );
  });

  it('buying a vehicle never turns INELIGIBLE into ELIGIBLE', () => {
    fc.assert(
      fc.property(factsArb, fc.double({ min: 1_000, max: 400_000, noNaN: true }), (f, price) => {
        const head = f.members[0]!;
        const withCar = {
          ...f,
          members: [
            {
              ...head,
              vehicles: [
                ...head.vehicles,
                rec(vehicle, { plate: 'NEW', ownerResidentId: head.residentId, purchasePrice: price, registeredOn: '2020-01-01', deregisteredOn: null }),
              ],
            },
            ...f.members.slice(1),
          ],
        };
        return eligible(f) || !eligible(withCar);
      }),
    );
  });

  it('removing evidence never makes anything ELIGIBLE', () => {
    const removals: ((f: HouseholdFacts) => HouseholdFacts)[] = [
      (f) => ({ ...f, members: f.members.map((m) => ({ ...m, incomes: [] })) }),
      (f) => ({ ...f, members: f.members.map((m) => ({ ...m, hukou: null })) }),
      (f) => ({ ...f, coverage: {} }),
      (f) => ({ ...f, housing: null }),
      (f) => ({ ...f, members: f.members.map((m) => ({ ...m, hukou: m.hukou && { ...m.hukou, asOf: '2025-01-01' } })) }),
    ];
    fc.assert(
      fc.property(factsArb, fc.integer({ min: 0, max: removals.length - 1 }), (f, which) => {
        return eligible(f) || !eligible(removals[which]!(f));
      }),
    );
  });

  it('with no evidence at all, nothing is ELIGIBLE', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const bare = {
          ...f,
          coverage: {},
          members: f.members.map((m) => ({
            ...member(m.residentId, { relation: m.relation, birthDate: m.birthDate }),
            allowances: m.allowances,
            deaths: m.deaths,
          })),
        };
        return evaluate(bare, KC).categories.every((c) => c.verdict !== 'ELIGIBLE');
      }),
    );
  });
});

describe('what the engine reads (READ_OF)', () => {
  it("reads of the records marked 'applicant' only the applicant's: the other members' change nothing", () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const head = f.members[0]!;
        // every other member with a different hukou, a recent divorce and the applicant's employment records
        const loaded = {
          ...f,
          members: f.members.map((m, i) =>
            i === 0
              ? m
              : {
                  ...m,
                  hukou: rec(hukou, {
                    residentId: m.residentId,
                    areaCode: '110101',
                    kind: head.hukou?.['kind'] === 'URBAN' ? 'AGRICULTURAL' : 'URBAN',
                    since: '2026-01-01',
                  }),
                  marital: rec(marital, { residentId: m.residentId, status: 'DIVORCED', since: '2026-10-01' }),
                  pension: head.pension,
                  contracts: head.contracts,
                  deposits: head.deposits,
                },
          ),
        };
        const onlyRead = {
          ...loaded,
          members: loaded.members.map((m, i) =>
            i === 0
              ? m
              : Object.fromEntries(
                  Object.entries(m).map(([k, v]) => [k, READ_OF[k as keyof typeof READ_OF] === 'applicant' ? (Array.isArray(v) ? [] : null) : v]),
                ),
          ),
        } as HouseholdFacts;
        expect(evaluate(onlyRead, KC)).toEqual(evaluate(loaded, KC));
      }),
    );
  });
});

describe('Guiyang points', () => {
  type Special = 'DISABILITY_1' | 'DISABILITY_3' | 'LONELY_ELDERLY';
  const score = (subsidyYears: number | null, special: Special[] = [], params: Parameters = GY) =>
    guiyangScore({ perCapitaArea: 20, generations: 1, specialDifficulties: special, subsidyYears }, params);

  it.each([
    [3.01, 20],
    [3, 15],
    [2.01, 15],
    [2, 10],
    [1.01, 10],
    [1, 8],
    [0.5, 8],
    [0.49, 5],
    [null, 0],
  ])('rent subsidy for %s years gives %i points', (years, points) => {
    expect(score(years).subsidyYears.points).toBe(points);
  });

  it('counts the highest special difficulty by default, and adds them up when the bureau says so', () => {
    expect(score(null, ['DISABILITY_1', 'DISABILITY_3']).specialDifficulty.points).toBe(25);
    const addUp = new Map(GY);
    addUp.set('POINTS.SPECIAL_ADD_UP', { ...GY.get('POINTS.SPECIAL_ADD_UP')!, value: 1 });
    expect(score(null, ['DISABILITY_1', 'DISABILITY_3'], addUp).specialDifficulty.points).toBe(35);
  });

  it('counts generations from relations to the head', () => {
    expect(generationsOf(['HEAD'])).toBe(1);
    expect(generationsOf(['HEAD', 'SPOUSE', 'CHILD'])).toBe(2);
    expect(generationsOf(['HEAD', 'CHILD', 'PARENT'])).toBe(3);
    expect(guiyangScore({ perCapitaArea: 20, generations: 4, specialDifficulties: [], subsidyYears: null }, GY).familyStructure.points).toBe(30);
  });
});
