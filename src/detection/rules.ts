// Change-detection rules (domain: "Dynamic management and exit"). Each rule has an id, the article it
// serves, a severity and a recommended action, and turns a household's snapshot into alert drafts.
// Thresholds are policy parameters (KC: ARREARS.*, VACANCY.*); the qualification rules reuse the
// engine's own criteria, so an alert says exactly what the verdict says.
import type { HouseholdRow } from '../households/loaders.js';
import type { LedgerLine } from '../households/arrears.js';
import { summarizeArrears } from '../households/arrears.js';
import type { Parameters, QualificationResult } from '../policy/engine.js';
import { changedCriteria, type StoredEvaluation } from '../policy/service.js';
import { wholeMonths, wholeYears } from '../domain/working-days.js';

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH';

export interface AlertDraft {
  rule: string;
  article: string;
  severity: Severity;
  action: string;
  period: string;
  summary: string;
  evidence: unknown;
}

export interface Reading {
  month: string;
  kind: 'WATER' | 'ELECTRICITY' | 'GAS';
  quantity: number;
}

export interface HouseholdSnapshot {
  household: HouseholdRow;
  asOf: string;
  /** the running tenancy's ledger, when housed */
  ledger: LedgerLine[] | null;
  /** the running tenancy's unit's utility use */
  readings: Reading[] | null;
  deaths: { residentId: string; diedOn: string; agency: string }[];
  waitlistedSince: string | null;
  qualification: QualificationResult;
  /** the household's last stored evaluation under the same policy, if any */
  previousQualification: StoredEvaluation | null;
  /** the running tenancy's rent standard */
  rentStandard: 'MINIMUM_ALLOWANCE' | 'STANDARD' | null;
  /** members' allowance records from civil affairs */
  allowances: { residentId: string; status: string; until: string | null }[];
  /** when the household's qualification was last evaluated (stored), null if never */
  lastReviewedOn: string | null;
  /** registered members */
  members: number;
}

export interface Rule {
  id: string;
  article: string;
  detect(s: HouseholdSnapshot, p: Parameters): AlertDraft[];
}

const value = (p: Parameters, code: string, fallback: number) => p.get(code)?.value ?? fallback;
const OCCUPYING = new Set(['HOUSED', 'SUBSIDISED']);

const rentArrears: Rule = {
  id: 'RENT_ARREARS',
  article: 'KC-19(2)',
  detect(s, p) {
    if (!s.ledger) return [];
    const a = summarizeArrears(s.ledger, s.asOf);
    const exit = value(p, 'ARREARS.MONTHS_EXIT', 6);
    const warn = value(p, 'ARREARS.MONTHS_WARNING', 3);
    if (a.monthsUnpaid < warn) return [];
    const severe = a.monthsUnpaid >= exit;
    return [
      {
        rule: severe ? 'RENT_ARREARS_EXIT' : 'RENT_ARREARS_WARNING',
        article: 'KC-19(2)',
        severity: severe ? 'HIGH' : 'MEDIUM',
        action: severe ? 'give notice to end the lease' : 'remind the household to pay',
        period: a.oldestUnpaidMonth!.slice(0, 7),
        summary: `${a.monthsUnpaid} months unpaid in total, ${a.amountOutstanding} yuan`,
        evidence: { ...a },
      },
    ];
  },
};

function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** consecutive months, back from the latest reported, in which water, power and gas all stayed near zero */
export function vacantMonths(readings: readonly Reading[], p: Parameters): { months: number; from: string | null } {
  const limits = { WATER: value(p, 'VACANCY.WATER_MAX', 0.5), ELECTRICITY: value(p, 'VACANCY.ELECTRICITY_MAX', 5), GAS: value(p, 'VACANCY.GAS_MAX', 0.5) };
  const byMonth = new Map<string, Map<string, number>>();
  for (const r of readings) {
    const month = r.month.slice(0, 7);
    if (!byMonth.has(month)) byMonth.set(month, new Map());
    byMonth.get(month)!.set(r.kind, Number(r.quantity));
  }
  const latest = [...byMonth.keys()].sort().at(-1);
  let months = 0;
  let from: string | null = null;
  // a month missing a reading is not evidence of vacancy: it ends the run
  for (let month = latest; month && byMonth.has(month); month = previousMonth(month)) {
    const use = byMonth.get(month)!;
    const empty = (['WATER', 'ELECTRICITY', 'GAS'] as const).every((k) => use.has(k) && use.get(k)! <= limits[k]);
    if (!empty) break;
    months += 1;
    from = month;
  }
  return { months, from };
}

const vacancy: Rule = {
  id: 'VACANCY',
  article: 'KC-19(1)',
  detect(s, p) {
    if (!s.readings) return [];
    const { months, from } = vacantMonths(s.readings, p);
    const exit = value(p, 'VACANCY.MONTHS_EXIT', 6);
    if (months < value(p, 'VACANCY.MONTHS_WARNING', 3)) return [];
    const severe = months >= exit;
    return [
      {
        rule: severe ? 'VACANCY_EXIT' : 'VACANCY_WARNING',
        article: 'KC-19(1)',
        severity: severe ? 'HIGH' : 'MEDIUM',
        action: severe ? 'visit the unit and start lease termination' : 'visit the unit',
        period: from!,
        summary: `near-zero water, power and gas use for ${months} consecutive months from ${from}`,
        evidence: { months, from },
      },
    ];
  },
};

const memberDeath: Rule = {
  id: 'MEMBER_DEATH',
  article: 'KC-14',
  detect(s) {
    const seen = new Set<string>();
    return s.deaths.flatMap((d) => {
      if (seen.has(d.residentId)) return [];
      seen.add(d.residentId);
      return [
        {
          rule: 'MEMBER_DEATH',
          article: 'KC-14',
          severity: 'MEDIUM' as const,
          action: 'update the household composition and re-check qualification',
          period: d.residentId,
          summary: `a member died on ${d.diedOn} (reported by ${d.agency})`,
          evidence: d,
        },
      ];
    });
  },
};

/** a failing KC-12 criterion of an occupying household, as the alert it means */
const CRITERION_ALERTS: Record<string, { rule: string; severity: Severity; action: string }> = {
  INCOME: { rule: 'INCOME_ABOVE_LIMIT', severity: 'HIGH', action: 're-check income; notice to leave if confirmed (KC-19(4))' },
  'LOCAL.VEHICLE_PRICE': { rule: 'VEHICLE_ABOVE_LIMIT', severity: 'HIGH', action: 're-check assets; notice to leave if confirmed' },
  'MIGRANT.VEHICLE_PRICE': { rule: 'VEHICLE_ABOVE_LIMIT', severity: 'HIGH', action: 're-check assets; notice to leave if confirmed' },
  'LOCAL.HOMES': { rule: 'HOME_ACQUIRED', severity: 'HIGH', action: 'the household must exit before the registry registers the home' },
  'MIGRANT.HOMES': { rule: 'HOME_ACQUIRED', severity: 'HIGH', action: 'the household must exit before the registry registers the home' },
  'NEW_CITIZEN.HOMES': { rule: 'HOME_ACQUIRED', severity: 'HIGH', action: 'the household must exit before the registry registers the home' },
  'LOCAL.CAPITAL': { rule: 'CAPITAL_ABOVE_LIMIT', severity: 'MEDIUM', action: 're-check business assets' },
  'MIGRANT.CAPITAL': { rule: 'CAPITAL_ABOVE_LIMIT', severity: 'MEDIUM', action: 're-check business assets' },
  'LOCAL.HUKOU': { rule: 'HUKOU_MOVED', severity: 'MEDIUM', action: 'confirm where the household lives' },
  'MIGRANT.PENSION_MONTHS': { rule: 'PENSION_STOPPED', severity: 'MEDIUM', action: 'confirm the household is still employed locally' },
};

const criteriaFailing: Rule = {
  id: 'QUALIFICATION_CRITERIA',
  article: 'KC-19(3)(4)',
  detect(s) {
    if (!OCCUPYING.has(s.household.status)) return [];
    return s.qualification.criteria.flatMap((c) => {
      const meaning = CRITERION_ALERTS[c.code];
      if (c.outcome !== 'FAIL' || !meaning) return [];
      return [
        {
          ...meaning,
          article: c.article,
          period: `${c.code}:${c.actualText}`.slice(0, 200),
          summary: `${c.description}: ${c.actualText} (threshold ${c.comparator} ${c.threshold} ${c.unit})`,
          evidence: c.evidence,
        },
      ];
    });
  },
};

/** A household found ELIGIBLE at its last stored evaluation is INELIGIBLE now: which criteria flipped. */
const qualificationFlipped: Rule = {
  id: 'QUALIFICATION_FLIPPED',
  article: 'KC-19(4)',
  detect(s) {
    const before = s.previousQualification;
    if (!before || before.outcome !== 'ELIGIBLE' || s.qualification.verdict !== 'INELIGIBLE') return [];
    const flipped = changedCriteria(before, s.qualification);
    const now = new Map(s.qualification.criteria.map((c) => [c.code, c]));
    return [
      {
        rule: 'QUALIFICATION_FLIPPED',
        article: 'KC-19(4)',
        severity: 'HIGH',
        action: 're-check the household; notice to leave if it no longer qualifies',
        // one alert per ELIGIBLE evaluation left behind, however often the same facts are seen
        period: `evaluation ${before.id} of ${before.asOf}`,
        summary: `ELIGIBLE on ${before.asOf}, INELIGIBLE on ${s.asOf}: ${flipped.join(', ')}`,
        evidence: flipped.map((code) => {
          const c = now.get(code)!;
          return { code, article: c.article, before: before.result.criteria.find((b) => b.code === code)?.outcome ?? null, now: c.outcome, actual: c.actualText, evidence: c.evidence };
        }),
      },
    ];
  },
};

const waitingOverYear: Rule = {
  id: 'WAITING_OVER_YEAR',
  article: 'KC-23',
  detect(s) {
    if ((s.household.status !== 'WAITLISTED' && s.household.status !== 'SUBSIDISED') || !s.waitlistedSince || wholeYears(s.waitlistedSince, s.asOf) < 1) return [];
    return [
      {
        rule: 'WAITING_OVER_YEAR',
        article: 'KC-23',
        severity: 'LOW',
        action: 're-check qualification and re-queue',
        period: s.waitlistedSince,
        summary: `waiting since ${s.waitlistedSince}`,
        evidence: { waitlistedSince: s.waitlistedSince },
      },
    ];
  },
};

/** KC-15: rent at the allowance rate, but civil affairs no longer lists anyone on the allowance. */
const allowanceEnded: Rule = {
  id: 'ALLOWANCE_ENDED',
  article: 'KC-15',
  detect(s) {
    if (s.rentStandard !== 'MINIMUM_ALLOWANCE') return [];
    const current = s.allowances.filter((a) => a.status === 'MINIMUM_ALLOWANCE' && (!a.until || a.until >= s.asOf));
    if (current.length > 0) return [];
    const ended = s.allowances.map((a) => a.until).filter((u): u is string => !!u).sort().at(-1) ?? 'no current record';
    return [
      {
        rule: 'ALLOWANCE_ENDED',
        article: 'KC-15',
        severity: 'MEDIUM',
        action: 'move the tenancy to the standard rent',
        period: ended,
        summary: `rent at the minimum-allowance rate, but no member holds the allowance (${ended})`,
        evidence: s.allowances,
      },
    ];
  },
};

const BASELINE_MONTHS = 6;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * KC-19(5): use inconsistent with the registered household, month after month: water far above what
 * its size would use, or a sudden jump to several times its own usual use that lasts.
 */
const overuse: Rule = {
  id: 'USE_ABOVE_HOUSEHOLD',
  article: 'KC-19(5)',
  detect(s, p) {
    if (!s.readings) return [];
    const months = value(p, 'OVERUSE.MONTHS', 3);
    const limit = value(p, 'OVERUSE.WATER_PER_PERSON_MAX', 6) * Math.max(1, s.members);
    const water = s.readings.filter((r) => r.kind === 'WATER').sort((a, b) => (a.month < b.month ? 1 : -1));
    /** months running, back from the latest, whose use meets `test` */
    const runOf = (test: (quantity: number) => boolean) => {
      let run = 0;
      while (run < water.length && test(Number(water[run]!.quantity))) run += 1;
      return run;
    };
    const draft = (rule: string, run: number, summary: string): AlertDraft => {
      const from = water[run - 1]!.month.slice(0, 7);
      return { rule, article: 'KC-19(5)', severity: 'LOW', action: 'visit: possible subletting or overcrowding', period: from, summary: `${summary} for ${run} months from ${from}`, evidence: water.slice(0, run) };
    };
    const above = runOf((q) => q > limit);
    if (above >= months) return [draft('USE_ABOVE_HOUSEHOLD', above, `water use above ${limit} m³ a month, for ${s.members} registered persons,`)];
    // the jump: the latest months against the median of the 6 months before them
    const baseline = water.slice(months, months + BASELINE_MONTHS).map((r) => Number(r.quantity));
    if (baseline.length < BASELINE_MONTHS) return [];
    const usual = median(baseline);
    const factor = value(p, 'OVERUSE.JUMP_FACTOR', 2);
    if (usual <= 0) return [];
    const jumped = runOf((q) => q >= usual * factor);
    if (jumped < months) return [];
    return [draft('USE_SUDDEN_JUMP', jumped, `water use ${factor}× or more the usual ${usual} m³ a month`)];
  },
};

/** KC-18: every housed family is reviewed once a year. */
const annualReviewDue: Rule = {
  id: 'ANNUAL_REVIEW_DUE',
  article: 'KC-18',
  detect(s, p) {
    if (s.household.status !== 'HOUSED') return [];
    const interval = value(p, 'REVIEW.INTERVAL_MONTHS', 12);
    if (s.lastReviewedOn && wholeMonths(s.lastReviewedOn, s.asOf) < interval) return [];
    return [
      {
        rule: 'ANNUAL_REVIEW_DUE',
        article: 'KC-18',
        severity: 'LOW',
        action: 'run the annual review',
        period: s.asOf.slice(0, 4),
        summary: s.lastReviewedOn ? `last reviewed on ${s.lastReviewedOn}` : 'never reviewed',
        evidence: { lastReviewedOn: s.lastReviewedOn },
      },
    ];
  },
};

export const RULES: Rule[] = [rentArrears, vacancy, memberDeath, criteriaFailing, qualificationFlipped, waitingOverYear, allowanceEnded, overuse, annualReviewDue];
