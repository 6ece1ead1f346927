// The measures every reader of a household's facts shares (criteria, the agency summary, detection),
// and the one choice of evaluator per policy.
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/agency/summary.js';
import {
  currentAllowances,
  deceasedMembers,
  evaluate,
  evaluatorFor,
  homesHeldWithin,
  homesLookbackYears,
  incomeYear,
  MEASURES,
  vehiclesHeld,
} from '../../src/policy/engine.js';
import { GUIYANG } from '../../src/policy/definitions.js';
import { AS_OF, facts, KC, member, rec, seeded } from './fixtures.js';

const family = () =>
  facts([
    member('R0', {
      incomes: [rec({ year: 2025, annualIncome: 30_000 }), rec({ year: 2026, annualIncome: 90_000 })],
      vehicles: [
        rec({ plate: 'A', purchasePrice: 150_000, deregisteredOn: '2026-11-01' }),
        rec({ plate: 'B', purchasePrice: 60_000, deregisteredOn: null }),
        rec({ plate: 'C', purchasePrice: 80_000, deregisteredOn: '2026-12-01' }),
      ],
      properties: [
        rec({ certificateNo: 'P1', kind: 'HOME', location: 'x', acquiredOn: '2010-01-01', disposedOn: '2024-06-01' }),
        rec({ certificateNo: 'P2', kind: 'HOME', location: 'y', acquiredOn: '2010-01-01', disposedOn: '2020-06-01' }),
      ],
      businesses: [
        rec({ name: 'b', registrationNo: 'B1', registeredCapital: 20_000, status: 'ACTIVE' }),
        rec({ name: 'c', registrationNo: 'B2', registeredCapital: 90_000, status: 'CANCELLED' }),
      ],
      allowances: [rec({ status: 'MINIMUM_ALLOWANCE', until: '2026-11-22' })],
    }),
    member('R1', {
      relation: 'SPOUSE',
      incomes: [rec({ year: 2025, annualIncome: 10_000 })],
      allowances: [rec({ status: 'MINIMUM_ALLOWANCE', until: AS_OF })],
      deaths: [rec({ diedOn: '2026-10-01', agency: 'civil-affairs' }), rec({ diedOn: '2026-10-01', agency: 'public-security' })],
    }),
    member('R2', { relation: 'CHILD', incomes: [rec({ year: 2025, annualIncome: 0 })] }),
  ]);

describe('shared measures', () => {
  it('income: the year before the as-of date, per member of the household', () => {
    const f = family();
    expect(incomeYear(f)).toBe(2025);
    expect(MEASURES.perCapitaIncome(f, KC).value).toBeCloseTo(40_000 / 3, 6);
    const missing = facts([...f.members.slice(0, 2), { ...f.members[2]!, incomes: [rec({ year: 2024, annualIncome: 1 })] }]);
    expect(MEASURES.perCapitaIncome(missing, KC).value).toBeNull();
  });

  it('vehicles: held unless deregistered on or before the as-of date', () => {
    expect(vehiclesHeld(family()).map((v) => v['plate'])).toEqual(['B', 'C']);
    expect(MEASURES.highestVehiclePrice(family(), KC).value).toBe(80_000);
    expect(MEASURES.highestVehiclePrice(facts([member('R0')]), KC)).toMatchObject({ value: 0, text: 'no vehicle' });
  });

  it('homes: LOCAL counts those disposed of in the lookback, the other categories those held now', () => {
    expect(homesLookbackYears('LOCAL', KC)).toBe(3);
    expect(homesLookbackYears('MIGRANT', KC)).toBe(0);
    expect(homesHeldWithin(family(), 3).map((p) => p['certificateNo'])).toEqual(['P1']);
    expect(homesHeldWithin(family(), 0)).toEqual([]);
    expect(MEASURES.homesHeld(family(), KC).value).toBe(1);
    expect(MEASURES.homesHeld({ ...family(), category: 'MIGRANT' }, KC).value).toBe(0);
  });

  it('capital of active businesses; the allowance in force on the day; members reported dead', () => {
    expect(MEASURES.registeredCapital(family(), KC).value).toBe(20_000);
    expect(currentAllowances(family()).length).toBe(1);
    expect(deceasedMembers(family()).map((m) => m.residentId)).toEqual(['R1']);
  });

  it('the summary agrees with the criteria on the same facts', () => {
    const f = family();
    const q = evaluate(f, KC);
    const actual = (code: string) => q.criteria.find((c) => c.code === code)!.actual;
    expect(summarize(f, KC)).toEqual({
      incomeYear: 2025,
      perCapitaAnnualIncome: actual('INCOME'),
      membersWithoutIncome: 0,
      highestVehiclePrice: actual('LOCAL.VEHICLE_PRICE'),
      vehicleCount: 2,
      homesOwned: actual('LOCAL.HOMES'),
      totalRegisteredCapital: actual('LOCAL.CAPITAL'),
      onMinimumAllowance: true,
      deceasedMembers: 1,
    });
  });
});

describe('evaluatorFor(policy)', () => {
  it("evaluates Kuancheng's three categories for a KUANCHENG policy", () => {
    const result = evaluatorFor({ id: 'KC', jurisdiction: 'KUANCHENG' })(family(), KC);
    expect(result.categories.map((c) => c.category)).toEqual(['LOCAL', 'MIGRANT', 'NEW_CITIZEN']);
    expect(result).toEqual(evaluate(family(), KC));
  });

  it("evaluates Guiyang's conditions for a GUIYANG policy", () => {
    const result = evaluatorFor({ id: 'GY', jurisdiction: 'GUIYANG' })(family(), seeded(GUIYANG));
    expect(result.criteria.map((c) => c.code)).toEqual(['GY.INCOME_MONTHLY', 'GY.PER_CAPITA_AREA']);
    expect(result.criteria[0]!.actual).toBeCloseTo(40_000 / 3 / 12, 6);
  });

  it("applies the exceptions granted under the policy's own id", () => {
    const f = {
      ...facts([member('R0', { incomes: [rec({ year: 2025, annualIncome: 10_000 })] })]),
      exceptions: [{ id: 1, policyId: 'KC2', criterion: 'HOUSEHOLD_SIZE', reason: 'r', grantedBy: 'm', grantedOn: '2026-01-01', expiresOn: '2027-01-01' }],
    };
    const size = (policy: { id: string; jurisdiction: string }) => evaluatorFor(policy)(f, KC).criteria.find((c) => c.code === 'HOUSEHOLD_SIZE')!.outcome;
    expect(size({ id: 'KC2', jurisdiction: 'KUANCHENG' })).toBe('PASS');
    expect(size({ id: 'KC', jurisdiction: 'KUANCHENG' })).toBe('FAIL');
  });
});
