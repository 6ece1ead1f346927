import { describe, expect, it } from 'vitest';
import { generateDemoData } from '../src/demo/generator.js';
import { parseResidentId } from '../src/domain/resident-id.js';

describe('demo data generator', () => {
  it('gives the same rows for the same seed and date, and others for another seed', () => {
    const a = generateDemoData({ households: 50, seed: 1, today: '2026-11-23' });
    const b = generateDemoData({ households: 50, seed: 1, today: '2026-11-23' });
    const c = generateDemoData({ households: 50, seed: 2, today: '2026-11-23' });
    expect(b).toEqual(a);
    expect(c.persons.map((p) => p.residentId)).not.toEqual(a.persons.map((p) => p.residentId));
  });

  it('makes unique, valid resident IDs whose birth date and sex match the person', () => {
    const data = generateDemoData({ households: 2000, seed: 3, today: '2026-11-23' });
    const ids = new Set(data.persons.map((p) => p.residentId));
    expect(ids.size).toBe(data.persons.length);
    for (const p of data.persons) {
      const check = parseResidentId(p.residentId);
      expect(check.ok).toBe(true);
      if (check.ok) expect(check.parts).toMatchObject({ birthDate: p.birthDate, sex: p.sex });
    }
  });

  it('gives every household one head, and housed ones a unit, a tenancy and a ledger up to the reference month', () => {
    const data = generateDemoData({ households: 300, seed: 4, today: '2026-11-23' });
    expect(data.households).toHaveLength(300);
    for (const h of data.households) {
      expect(data.persons.filter((p) => p.householdId === h.id && p.relation === 'HEAD')).toHaveLength(1);
    }
    const housed = data.households.filter((h) => h.status === 'HOUSED');
    expect(housed.length).toBeGreaterThan(50);
    for (const h of housed) {
      const tenancy = data.tenancies.find((x) => x.householdId === h.id)!;
      expect(tenancy.endDate).toBeNull();
      const months = data.rentLedger.filter((l) => l.tenancyId === tenancy.id).map((l) => l.month);
      expect(months.at(-1)).toBe('2026-11-01');
    }
  });
});
