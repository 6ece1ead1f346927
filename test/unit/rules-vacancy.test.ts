// KC-19(1) on both sides of each threshold, with the seeded parameters.
import { describe, expect, it } from 'vitest';
import { detectAlerts, vacantMonths } from '../../src/detection/rules.js';
import { KC, raised, readings, snapshot, value, withParameters } from './fixtures.js';

const empty = { WATER: value('VACANCY.WATER_MAX'), ELECTRICITY: value('VACANCY.ELECTRICITY_MAX'), GAS: value('VACANCY.GAS_MAX') };
const lived = { WATER: 8, ELECTRICITY: 120, GAS: 10 };
/** `vacant` empty months after enough lived-in ones */
const vacant = (months: number) => readings([...Array.from({ length: 12 - months }, () => lived), ...Array.from({ length: months }, () => empty)]);
const vacancyAlerts = (months: number, p = KC) => raised(snapshot({ readings: vacant(months) }), p).filter((r) => r.startsWith('VACANCY'));

describe('vacancy (KC-19(1))', () => {
  it('reads its thresholds from the seeds', () => {
    expect([value('VACANCY.MONTHS_WARNING'), value('VACANCY.MONTHS_EXIT')]).toEqual([3, 6]);
  });

  it.each([
    [0, []],
    [2, []],
    [3, ['VACANCY_WARNING']],
    [5, ['VACANCY_WARNING']],
    [6, ['VACANCY_EXIT']],
    [9, ['VACANCY_EXIT']],
  ])('%i months near zero → %j', (months, expected) => {
    expect(vacancyAlerts(months)).toEqual(expected);
  });

  it('counts a month only when water, power and gas all stay at or under their limits', () => {
    expect(vacantMonths(vacant(4), KC)).toEqual({ months: 4, from: '2026-07' });
    const aboveWater = readings([...Array.from({ length: 3 }, () => empty), { ...empty, WATER: empty.WATER + 0.01 }]);
    expect(vacantMonths(aboveWater, KC).months).toBe(0);
    const aboveGas = readings([{ ...empty, GAS: 0.51 }, ...Array.from({ length: 3 }, () => empty)]);
    expect(vacantMonths(aboveGas, KC).months).toBe(3);
    // a month without a gas reading is no evidence of vacancy
    expect(vacantMonths(readings([empty, empty, { WATER: 0, ELECTRICITY: 0 }]), KC).months).toBe(0);
  });

  it('honours the limits\' comparators: "under" instead of "at most" excludes use exactly at the limit', () => {
    expect(vacantMonths(vacant(6), withParameters({ 'VACANCY.WATER_MAX': { comparator: '<' } })).months).toBe(0);
  });

  it('raises the exit alert with its own id, article and severity', () => {
    expect(detectAlerts(snapshot({ readings: vacant(6) }), KC)[0]).toMatchObject({
      rule: 'VACANCY_EXIT',
      article: 'KC-19(1)',
      severity: 'HIGH',
      period: '2026-05',
    });
  });
});
