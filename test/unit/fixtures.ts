// Fixtures for the unit layer: pure code only, no database, no hub. Parameters are the shipped
// seeds (src/policy/definitions.ts) as the policy table would give them on a date.
import type { LedgerLine } from '../../src/households/arrears.js';
import type { HouseholdRow } from '../../src/households/loaders.js';
import type { AgencyRecord, CriterionResult, HouseholdFacts, MemberFacts, ParameterValue, Parameters, QualificationResult } from '../../src/policy/engine.js';
import { KUANCHENG, type PolicySeed } from '../../src/policy/definitions.js';
import { detectAlerts, RULES, type HouseholdSnapshot, type Reading, type Rule } from '../../src/detection/rules.js';

export const AS_OF = '2026-11-23';

/** A policy's seeded parameters in force on a date: per code, the value with the latest effectiveFrom on or before it. */
export function seeded(policy: PolicySeed = KUANCHENG, asOf = AS_OF): Map<string, ParameterValue> {
  const map = new Map<string, ParameterValue>();
  for (const p of [...policy.parameters].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))) {
    if (p.effectiveFrom <= asOf) map.set(p.code, { ...p, toBeConfirmed: p.toBeConfirmed ?? null });
  }
  return map;
}

/** The seeds with some values (or comparators) changed, as a manager would record them. */
export function withParameters(changes: Record<string, Partial<ParameterValue>>, base: Parameters = seeded()): Map<string, ParameterValue> {
  const map = new Map(base);
  for (const [code, change] of Object.entries(changes)) map.set(code, { ...map.get(code)!, ...change });
  return map;
}

export const KC = seeded();
export const value = (code: string, p: Parameters = KC): number => p.get(code)!.value;

export function household(status: HouseholdRow['status'] = 'HOUSED'): HouseholdRow {
  return { id: 1, districtId: 'KC-KCZ', category: 'LOCAL', status, applicationDate: '2024-01-01', createdAt: new Date('2024-01-01T00:00:00Z') };
}

export function qualification(criteria: Partial<CriterionResult>[] = [], verdict: QualificationResult['verdict'] = 'ELIGIBLE'): QualificationResult {
  const full = criteria.map(
    (c): CriterionResult => ({
      code: 'INCOME',
      article: 'KC-12(1)4',
      description: 'per-capita income',
      outcome: 'PASS',
      actual: 0,
      actualText: '0',
      threshold: 0,
      comparator: '<=',
      unit: '',
      evidence: [],
      reason: null,
      exception: null,
      ...c,
    }),
  );
  return {
    asOf: AS_OF,
    category: 'LOCAL',
    verdict,
    criteria: full,
    categories: [{ category: 'LOCAL', verdict, criteria: full }],
    fits: verdict === 'ELIGIBLE' ? ['LOCAL'] : [],
  };
}

export function snapshot(over: Partial<HouseholdSnapshot> = {}): HouseholdSnapshot {
  return {
    household: household(),
    asOf: AS_OF,
    ledger: null,
    readings: null,
    deaths: [],
    waitlistedSince: null,
    qualification: qualification(),
    previousQualification: null,
    rentStandard: 'STANDARD',
    allowances: [],
    lastReviewedOn: AS_OF,
    members: 2,
    ...over,
  };
}

/** `months` ledger lines back from 2026-11, the first `unpaid` of them (oldest first) unpaid */
export function ledger(months: number, unpaid: number): LedgerLine[] {
  return Array.from({ length: months }, (_, i) => {
    const d = new Date(Date.UTC(2026, 10 - (months - 1 - i), 1));
    return { month: d.toISOString().slice(0, 10), amountDue: 270, amountPaid: i < unpaid ? 0 : 270 };
  });
}

/** consecutive months ending 2026-10 (latest last), with these uses per month */
export function readings(months: { WATER: number; ELECTRICITY?: number; GAS?: number }[]): Reading[] {
  return months.flatMap((use, i) => {
    const d = new Date(Date.UTC(2026, 9 - (months.length - 1 - i), 1));
    const month = d.toISOString().slice(0, 10);
    return (['WATER', 'ELECTRICITY', 'GAS'] as const).flatMap((kind) => (use[kind] === undefined ? [] : [{ month, kind, quantity: use[kind] }]));
  });
}

export const rule = (id: string): Rule => {
  const found = RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};

/** the alert ids the rules raise for a snapshot */
export const raised = (s: HouseholdSnapshot, p: Parameters = KC): string[] => detectAlerts(s, p).map((a) => a.rule);

/** a record of whatever kind the place it goes expects (fixtures give only the fields a test reads) */
const rec = <T = AgencyRecord>(fields: Record<string, unknown>): T => ({ asOf: AS_OF, source: 'FEED', ...fields }) as T;

export function member(residentId: string, over: Partial<MemberFacts> = {}): MemberFacts {
  return {
    residentId,
    relation: 'HEAD',
    birthDate: '1980-01-01',
    hukou: null,
    incomes: [],
    marital: null,
    vehicles: [],
    properties: [],
    businesses: [],
    pension: [],
    contracts: [],
    deposits: [],
    allowances: [],
    deaths: [],
    ...over,
  };
}

export function facts(members: MemberFacts[], over: Partial<HouseholdFacts> = {}): HouseholdFacts {
  return { asOf: AS_OF, category: 'LOCAL', size: members.length, housing: { floorArea: 20, tenure: 'RENTED' }, members, coverage: {}, exceptions: [], ...over };
}

export { rec };
