// Change-detection rules (domain: "Dynamic management and exit"). Each rule is one kind of alert:
// its id, the article it serves, a severity and a recommended action are the rule's own, and every
// alert it raises carries them. Thresholds are policy parameters (KC: ARREARS.*, VACANCY.*), read
// with their own comparators and never with a fallback: each rule names the codes it reads, and the
// hub refuses to start when a policy detection uses lacks one (checkRuleParameters). The
// qualification rules reuse the engine's own criteria, so an alert says exactly what the verdict says.
import type { HouseholdRow } from '../households/loaders.js';
import type { LedgerLine } from '../households/arrears.js';
import { summarizeArrears } from '../households/arrears.js';
import { compare, isAllowanceInForce, type Parameters, type ParameterValue, type QualificationResult } from '../policy/engine.js';
import { changedCriteria, type StoredEvaluation } from '../policy/evaluations.js';
import { wholeMonths, wholeYears } from '../domain/working-days.js';

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH';

/** What a rule found about one household: the rule itself says which alert it is. */
export interface Finding {
  period: string;
  summary: string;
  evidence: unknown;
  /** the failing criterion a qualification rule found (its article is the alert's: the condition no longer met) */
  criterion?: { code: string; article: string };
}

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
  /** the alert's rule id */
  id: string;
  /** the article the alert cites (a qualification rule: the failing criterion's instead) */
  article: string;
  severity: Severity;
  action: string;
  /** the policy parameters it reads: each must be in force in the policy detection uses */
  parameters: readonly string[];
  detect(s: HouseholdSnapshot, p: Parameters): Finding[];
}

/** A rule's finding as the alert it raises: the rule's own id, article, severity and action. */
export function draftOf(rule: Rule, finding: Finding): AlertDraft {
  return {
    rule: rule.id,
    article: finding.criterion?.article || rule.article,
    severity: rule.severity,
    action: rule.action,
    period: finding.period,
    summary: finding.summary,
    evidence: finding.evidence,
  };
}

/** A parameter a rule declared; checked at start-up, so missing here means a date before the policy set it. */
function parameter(p: Parameters, code: string): ParameterValue {
  const found = p.get(code);
  if (!found) throw new Error(`detection: parameter ${code} is not in force`);
  return found;
}

/** whether `actual` meets the parameter under its own comparator (`threshold`: a value derived from the parameter's) */
const meets = (actual: number, p: Parameters, code: string, threshold?: number) => compare(actual, parameter(p, code), threshold);

const OCCUPYING = new Set(['HOUSED', 'SUBSIDISED']);

// ---- rent arrears (KC-19(2)) --------------------------------------------------------------------

const arrearsFinding = (a: ReturnType<typeof summarizeArrears>): Finding => ({
  period: a.oldestUnpaidMonth!.slice(0, 7),
  summary: `${a.monthsUnpaid} months unpaid in total, ${a.amountOutstanding} yuan`,
  evidence: { ...a },
});

const rentArrearsExit: Rule = {
  id: 'RENT_ARREARS_EXIT',
  article: 'KC-19(2)',
  severity: 'HIGH',
  action: 'give notice to end the lease',
  parameters: ['ARREARS.MONTHS_EXIT'],
  detect(s, p) {
    if (!s.ledger) return [];
    const a = summarizeArrears(s.ledger, s.asOf);
    if (a.monthsUnpaid === 0 || !meets(a.monthsUnpaid, p, 'ARREARS.MONTHS_EXIT')) return [];
    return [arrearsFinding(a)];
  },
};

/** early warning: arrears that have not reached the exit threshold yet */
const rentArrearsWarning: Rule = {
  id: 'RENT_ARREARS_WARNING',
  article: 'KC-19(2)',
  severity: 'MEDIUM',
  action: 'remind the household to pay',
  parameters: ['ARREARS.MONTHS_WARNING', 'ARREARS.MONTHS_EXIT'],
  detect(s, p) {
    if (!s.ledger) return [];
    const a = summarizeArrears(s.ledger, s.asOf);
    if (a.monthsUnpaid === 0 || !meets(a.monthsUnpaid, p, 'ARREARS.MONTHS_WARNING') || meets(a.monthsUnpaid, p, 'ARREARS.MONTHS_EXIT')) return [];
    return [arrearsFinding(a)];
  },
};

// ---- vacancy (KC-19(1)) -------------------------------------------------------------------------

function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

const UTILITIES = ['WATER', 'ELECTRICITY', 'GAS'] as const;
const VACANCY_LIMITS = UTILITIES.map((k) => `VACANCY.${k}_MAX`);

/** consecutive months, back from the latest reported, in which water, power and gas all stayed near zero */
export function vacantMonths(readings: readonly Reading[], p: Parameters): { months: number; from: string | null } {
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
    const empty = UTILITIES.every((k) => use.has(k) && meets(use.get(k)!, p, `VACANCY.${k}_MAX`));
    if (!empty) break;
    months += 1;
    from = month;
  }
  return { months, from };
}

const vacancyFinding = (months: number, from: string): Finding => ({
  period: from,
  summary: `near-zero water, power and gas use for ${months} consecutive months from ${from}`,
  evidence: { months, from },
});

const vacancyExit: Rule = {
  id: 'VACANCY_EXIT',
  article: 'KC-19(1)',
  severity: 'HIGH',
  action: 'visit the unit and start lease termination',
  parameters: ['VACANCY.MONTHS_EXIT', ...VACANCY_LIMITS],
  detect(s, p) {
    if (!s.readings) return [];
    const { months, from } = vacantMonths(s.readings, p);
    if (!from || !meets(months, p, 'VACANCY.MONTHS_EXIT')) return [];
    return [vacancyFinding(months, from)];
  },
};

const vacancyWarning: Rule = {
  id: 'VACANCY_WARNING',
  article: 'KC-19(1)',
  severity: 'MEDIUM',
  action: 'visit the unit',
  parameters: ['VACANCY.MONTHS_WARNING', 'VACANCY.MONTHS_EXIT', ...VACANCY_LIMITS],
  detect(s, p) {
    if (!s.readings) return [];
    const { months, from } = vacantMonths(s.readings, p);
    if (!from || !meets(months, p, 'VACANCY.MONTHS_WARNING') || meets(months, p, 'VACANCY.MONTHS_EXIT')) return [];
    return [vacancyFinding(months, from)];
  },
};

// ---- household composition (KC-14) ---------------------------------------------------------------

const memberDeath: Rule = {
  id: 'MEMBER_DEATH',
  article: 'KC-14',
  severity: 'MEDIUM',
  action: 'update the household composition and re-check qualification',
  parameters: [],
  detect(s) {
    const seen = new Set<string>();
    return s.deaths.flatMap((d) => {
      if (seen.has(d.residentId)) return [];
      seen.add(d.residentId);
      return [{ period: d.residentId, summary: `a member died on ${d.diedOn} (reported by ${d.agency})`, evidence: d }];
    });
  },
};

// ---- qualification (KC-19(3)(4)) ------------------------------------------------------------------

/**
 * A failing KC-12 criterion of an occupying household, as the alert it means. The alert cites the
 * criterion's article: the condition no longer met.
 */
function criterionRule(id: string, severity: Severity, action: string, criteria: readonly string[]): Rule {
  const codes = new Set(criteria);
  return {
    id,
    article: 'KC-19(4)',
    severity,
    action,
    // read through the engine, which makes a criterion whose parameter is not in force UNKNOWN
    parameters: [],
    detect(s) {
      if (!OCCUPYING.has(s.household.status)) return [];
      return s.qualification.criteria
        .filter((c) => c.outcome === 'FAIL' && codes.has(c.code))
        .map((c) => ({
          criterion: { code: c.code, article: c.article },
          period: `${c.code}:${c.actualText}`.slice(0, 200),
          summary: `${c.description}: ${c.actualText} (threshold ${c.comparator} ${c.threshold} ${c.unit})`,
          evidence: c.evidence,
        }));
    },
  };
}

const CRITERION_RULES: Rule[] = [
  criterionRule('INCOME_ABOVE_LIMIT', 'HIGH', 're-check income; notice to leave if confirmed (KC-19(4))', ['INCOME']),
  criterionRule('VEHICLE_ABOVE_LIMIT', 'HIGH', 're-check assets; notice to leave if confirmed', ['LOCAL.VEHICLE_PRICE', 'MIGRANT.VEHICLE_PRICE']),
  criterionRule('HOME_ACQUIRED', 'HIGH', 'the household must exit before the registry registers the home', [
    'LOCAL.HOMES',
    'MIGRANT.HOMES',
    'NEW_CITIZEN.HOMES',
  ]),
  criterionRule('CAPITAL_ABOVE_LIMIT', 'MEDIUM', 're-check business assets', ['LOCAL.CAPITAL', 'MIGRANT.CAPITAL']),
  criterionRule('HUKOU_MOVED', 'MEDIUM', 'confirm where the household lives', ['LOCAL.HUKOU']),
  criterionRule('PENSION_STOPPED', 'MEDIUM', 'confirm the household is still employed locally', ['MIGRANT.PENSION_MONTHS']),
];

/** A household found ELIGIBLE at its last stored evaluation is INELIGIBLE now: which criteria flipped. */
const qualificationFlipped: Rule = {
  id: 'QUALIFICATION_FLIPPED',
  article: 'KC-19(4)',
  severity: 'HIGH',
  action: 're-check the household; notice to leave if it no longer qualifies',
  parameters: [],
  detect(s) {
    const before = s.previousQualification;
    if (!before || before.outcome !== 'ELIGIBLE' || s.qualification.verdict !== 'INELIGIBLE') return [];
    const flipped = changedCriteria(before, s.qualification);
    const now = new Map(s.qualification.criteria.map((c) => [c.code, c]));
    return [
      {
        // one alert per ELIGIBLE evaluation left behind, however often the same facts are seen
        period: `evaluation ${before.id} of ${before.asOf}`,
        summary: `ELIGIBLE on ${before.asOf}, INELIGIBLE on ${s.asOf}: ${flipped.join(', ')}`,
        evidence: flipped.map((code) => {
          const c = now.get(code)!;
          return {
            code,
            article: c.article,
            before: before.result.criteria.find((b) => b.code === code)?.outcome ?? null,
            now: c.outcome,
            actual: c.actualText,
            evidence: c.evidence,
          };
        }),
      },
    ];
  },
};

const waitingOverYear: Rule = {
  id: 'WAITING_OVER_YEAR',
  article: 'KC-23',
  severity: 'LOW',
  action: 're-check qualification and re-queue',
  parameters: [],
  detect(s) {
    if ((s.household.status !== 'WAITLISTED' && s.household.status !== 'SUBSIDISED') || !s.waitlistedSince || wholeYears(s.waitlistedSince, s.asOf) < 1)
      return [];
    return [{ period: s.waitlistedSince, summary: `waiting since ${s.waitlistedSince}`, evidence: { waitlistedSince: s.waitlistedSince } }];
  },
};

/** KC-15: rent at the allowance rate, but civil affairs no longer lists anyone on the allowance. */
const allowanceEnded: Rule = {
  id: 'ALLOWANCE_ENDED',
  article: 'KC-15',
  severity: 'MEDIUM',
  action: 'move the tenancy to the standard rent',
  parameters: [],
  detect(s) {
    if (s.rentStandard !== 'MINIMUM_ALLOWANCE') return [];
    if (s.allowances.some((a) => isAllowanceInForce(a, s.asOf))) return [];
    const ended =
      s.allowances
        .map((a) => a.until)
        .filter((u): u is string => !!u)
        .sort()
        .at(-1) ?? 'no current record';
    return [{ period: ended, summary: `rent at the minimum-allowance rate, but no member holds the allowance (${ended})`, evidence: s.allowances }];
  },
};

// ---- use inconsistent with the registered household (KC-19(5)) -------------------------------------

const BASELINE_MONTHS = 6;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** water readings, latest first, and the number of months running back from the latest whose use meets `test` */
function waterRuns(readings: readonly Reading[]) {
  const water = readings.filter((r) => r.kind === 'WATER').sort((a, b) => (a.month < b.month ? 1 : -1));
  const runOf = (test: (quantity: number) => boolean) => {
    let run = 0;
    while (run < water.length && test(Number(water[run]!.quantity))) run += 1;
    return run;
  };
  return { water, runOf };
}

/** months running with water use above the registered household's (OVERUSE.WATER_PER_PERSON_MAX per person, at least one) */
function aboveHousehold(s: HouseholdSnapshot, p: Parameters) {
  const { water, runOf } = waterRuns(s.readings ?? []);
  const limit = parameter(p, 'OVERUSE.WATER_PER_PERSON_MAX').value * Math.max(1, s.members);
  // the parameter's comparator says what use is in keeping with the household
  return { water, runOf, limit, run: runOf((q) => !meets(q, p, 'OVERUSE.WATER_PER_PERSON_MAX', limit)) };
}

const overuseFinding = (water: readonly Reading[], run: number, summary: string): Finding => {
  const from = water[run - 1]!.month.slice(0, 7);
  return { period: from, summary: `${summary} for ${run} months from ${from}`, evidence: water.slice(0, run) };
};

const OVERUSE_ACTION = 'visit: possible subletting or overcrowding';

const useAboveHousehold: Rule = {
  id: 'USE_ABOVE_HOUSEHOLD',
  article: 'KC-19(5)',
  severity: 'LOW',
  action: OVERUSE_ACTION,
  parameters: ['OVERUSE.MONTHS', 'OVERUSE.WATER_PER_PERSON_MAX'],
  detect(s, p) {
    if (!s.readings) return [];
    const { water, limit, run } = aboveHousehold(s, p);
    if (run === 0 || !meets(run, p, 'OVERUSE.MONTHS')) return [];
    return [overuseFinding(water, run, `water use above ${limit} m³ a month, for ${s.members} registered persons,`)];
  },
};

/** a sudden jump to several times the household's own usual use that lasts (when not already above the household's) */
const useSuddenJump: Rule = {
  id: 'USE_SUDDEN_JUMP',
  article: 'KC-19(5)',
  severity: 'LOW',
  action: OVERUSE_ACTION,
  parameters: ['OVERUSE.MONTHS', 'OVERUSE.WATER_PER_PERSON_MAX', 'OVERUSE.JUMP_FACTOR'],
  detect(s, p) {
    if (!s.readings) return [];
    const { water, runOf, run } = aboveHousehold(s, p);
    if (run > 0 && meets(run, p, 'OVERUSE.MONTHS')) return [];
    // the latest months against the median of the 6 months before them
    const recent = parameter(p, 'OVERUSE.MONTHS').value;
    const baseline = water.slice(recent, recent + BASELINE_MONTHS).map((r) => Number(r.quantity));
    if (baseline.length < BASELINE_MONTHS) return [];
    const usual = median(baseline);
    if (usual <= 0) return [];
    const factor = parameter(p, 'OVERUSE.JUMP_FACTOR').value;
    const jumped = runOf((q) => meets(q, p, 'OVERUSE.JUMP_FACTOR', usual * factor));
    if (jumped === 0 || !meets(jumped, p, 'OVERUSE.MONTHS')) return [];
    return [overuseFinding(water, jumped, `water use ${factor}× or more the usual ${usual} m³ a month`)];
  },
};

// ---- reviews (KC-18) -------------------------------------------------------------------------------

/** KC-18: every housed family is reviewed once a year. */
const annualReviewDue: Rule = {
  id: 'ANNUAL_REVIEW_DUE',
  article: 'KC-18',
  severity: 'LOW',
  action: 'run the annual review',
  parameters: ['REVIEW.INTERVAL_MONTHS'],
  detect(s, p) {
    if (s.household.status !== 'HOUSED') return [];
    if (s.lastReviewedOn && !meets(wholeMonths(s.lastReviewedOn, s.asOf), p, 'REVIEW.INTERVAL_MONTHS')) return [];
    return [
      {
        period: s.asOf.slice(0, 4),
        summary: s.lastReviewedOn ? `last reviewed on ${s.lastReviewedOn}` : 'never reviewed',
        evidence: { lastReviewedOn: s.lastReviewedOn },
      },
    ];
  },
};

export const RULES: readonly Rule[] = [
  rentArrearsWarning,
  rentArrearsExit,
  vacancyWarning,
  vacancyExit,
  memberDeath,
  ...CRITERION_RULES,
  qualificationFlipped,
  waitingOverYear,
  allowanceEnded,
  useAboveHousehold,
  useSuddenJump,
  annualReviewDue,
];

/** Every parameter code some rule reads. */
export const RULE_PARAMETERS: readonly string[] = [...new Set(RULES.flatMap((r) => r.parameters))].sort();

/** The rules' alerts for one household. */
export function detectAlerts(s: HouseholdSnapshot, p: Parameters): AlertDraft[] {
  return RULES.flatMap((rule) => rule.detect(s, p).map((finding) => draftOf(rule, finding)));
}
