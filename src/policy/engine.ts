// The qualification engine: a pure function from a household's facts (as of a date) and the policy
// parameters in force on that date to a verdict, every criterion with its value, threshold and
// evidence. No database, no HTTP: facts are assembled beforehand (src/policy/facts.ts).
import type { allowance, income, marital } from '../../connectors/civil-affairs/index.js';
import type { business } from '../../connectors/market-regulation/index.js';
import type { deposit } from '../../connectors/provident-fund/index.js';
import type { hukou, vehicle } from '../../connectors/public-security/index.js';
import type { property } from '../../connectors/real-estate/index.js';
import type { contract, pension } from '../../connectors/social-security/index.js';
import type { RecordKind, StoredOf } from '../agency/connector.js';
import { dayAfter, epochDay, wholeYears } from '../domain/working-days.js';
import type { Comparator, ParameterSeed } from './definitions.js';

export type Category = 'LOCAL' | 'MIGRANT' | 'NEW_CITIZEN';
export type CriterionOutcome = 'PASS' | 'FAIL' | 'UNKNOWN';
export type Verdict = 'ELIGIBLE' | 'INELIGIBLE' | 'UNKNOWN';

/** A parameter as read from the database: a seed's fields, `toBeConfirmed` null when settled. */
export type ParameterValue = Omit<ParameterSeed, 'toBeConfirmed'> & { toBeConfirmed: string | null };

/** The parameters of one policy in force on one date. */
export type Parameters = ReadonlyMap<string, ParameterValue>;

export interface Evidence {
  /** an agency id, or 'bureau' for the bureau's own records */
  agency: string;
  /** the record it came from (its natural key), null when the evidence is the absence of records */
  record: string | null;
  /** when the fact was known to hold; null when nothing is known */
  asOf: string | null;
  source?: 'FEED' | 'LIVE' | 'BUREAU';
  /** for the absence of records: the kind whose coverage dates it */
  kind?: string;
}

/** A record of kind K as the engine reads it: from the request's loaders (with its source) or from a bulk read of the feeds. */
export type AgencyRecord<K extends RecordKind = RecordKind> = StoredOf<K> & { source?: 'FEED' | 'LIVE' };

/**
 * Whose records of each kind the criteria read: the applicant's (HEAD) only, or every member's.
 * Facts leave the others' out: for a member who is not the applicant, `hukou`, `marital`,
 * `pension`, `contracts` and `deposits` are empty because nothing reads them, not because the
 * agency knows of none.
 */
export const READ_OF = {
  hukou: 'applicant',
  incomes: 'members',
  marital: 'applicant',
  vehicles: 'members',
  properties: 'members',
  businesses: 'members',
  pension: 'applicant',
  contracts: 'applicant',
  deposits: 'applicant',
  allowances: 'members',
  deaths: 'members',
} as const satisfies Record<string, 'applicant' | 'members'>;

export interface MemberFacts {
  residentId: string;
  relation: string;
  birthDate: string;
  hukou: AgencyRecord<typeof hukou> | null;
  incomes: AgencyRecord<typeof income>[];
  marital: AgencyRecord<typeof marital> | null;
  vehicles: AgencyRecord<typeof vehicle>[];
  properties: AgencyRecord<typeof property>[];
  businesses: AgencyRecord<typeof business>[];
  pension: AgencyRecord<typeof pension>[];
  contracts: AgencyRecord<typeof contract>[];
  deposits: AgencyRecord<typeof deposit>[];
  /** minimum-living-allowance and low-income status (civil affairs) */
  allowances: AgencyRecord<typeof allowance>[];
  /** deaths, as civil affairs and public security report them */
  deaths: DeathFact[];
}

/** A member's death as one agency reports it. */
export interface DeathFact {
  diedOn: string;
  agency: 'civil-affairs' | 'public-security';
  asOf: string;
}

/** A criterion a manager waived for the household (qualification_exceptions), not revoked. */
export interface ExceptionFact {
  id: number;
  policyId: string;
  criterion: string;
  reason: string;
  grantedBy: string;
  grantedOn: string;
  /** the last day it applies */
  expiresOn: string;
}

export interface HouseholdFacts {
  asOf: string;
  category: Category;
  size: number;
  housing: { floorArea: number; tenure: string } | null;
  members: MemberFacts[];
  /**
   * per `agency/kind` (`real-estate/property`): the latest date the agency's records of that kind are
   * known complete; absence of a record means "none" only up to that date, and only for that kind
   */
  coverage: Readonly<Record<string, string | undefined>>;
  /** per agency that could not be asked live: why (its coverage is withdrawn, so what rests on it is UNKNOWN) */
  unavailable?: Readonly<Record<string, string>>;
  /** exceptions granted to the household (absent for a family not registered) */
  exceptions?: readonly ExceptionFact[];
}

export interface CriterionResult {
  code: string;
  article: string;
  description: string;
  outcome: CriterionOutcome;
  actual: number | null;
  /** how the actual value reads to a person (a date, an area code, "not divorced") */
  actualText: string;
  threshold: number | null;
  comparator: Comparator;
  unit: string;
  evidence: (Evidence & { ageDays: number | null; stale: boolean })[];
  /** why the outcome is UNKNOWN, or that it passed by exception */
  reason: string | null;
  /** the exception that turned a FAIL into a PASS */
  exception: ExceptionFact | null;
}

export interface CategoryResult {
  category: Category;
  verdict: Verdict;
  criteria: CriterionResult[];
}

export interface Measure {
  value: number | null;
  text?: string;
  evidence: Evidence[];
  /** false when the criterion does not apply to this household (it passes) */
  applies?: boolean;
}

interface Criterion {
  code: string;
  parameter: string;
  measure(f: HouseholdFacts, p: Parameters): Measure;
  /** the threshold when it is not simply the parameter's value, and its unit */
  threshold?(p: Parameters, f: HouseholdFacts): number | null;
  unit?: string;
}

// ---- small helpers on ISO dates -------------------------------------------------------------

function minusYears(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) - years}${date.slice(4)}`;
}

function monthIndex(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/**
 * Whether `actual` meets a parameter under the parameter's own comparator: against its value, or a
 * threshold derived from it (0.9 × the county income). Criteria PASS on it; detection rules read what
 * it means for each of their parameters.
 */
export function compare(actual: number, parameter: { comparator: Comparator; value: number }, threshold: number = parameter.value): boolean {
  switch (parameter.comparator) {
    case '<':
      return actual < threshold;
    case '<=':
      return actual <= threshold;
    case '>=':
      return actual >= threshold;
    case '>':
      return actual > threshold;
    case '=':
      return actual === threshold;
  }
}

const bureau = (what: string, asOf: string): Evidence => ({ agency: 'bureau', record: what, asOf, source: 'BUREAU' });
const fromRecord = (agency: string, record: string, r: AgencyRecord): Evidence => ({ agency, record, asOf: r.asOf, source: r.source });
const absence = (agency: string, kind: string, f: HouseholdFacts): Evidence => ({ agency, kind, record: null, asOf: f.coverage[`${agency}/${kind}`] ?? null });

export const APPLICANT = 'HEAD';

function applicant(f: HouseholdFacts): MemberFacts | undefined {
  return f.members.find((m) => m.relation === APPLICANT);
}

// ---- what each criterion measures -------------------------------------------------------------

const applicantAge: Criterion['measure'] = (f) => {
  const head = applicant(f);
  if (!head) return { value: null, evidence: [], text: 'no applicant (HEAD) registered' };
  return { value: wholeYears(head.birthDate, f.asOf), text: `born ${head.birthDate}`, evidence: [bureau(`person ${head.residentId}`, f.asOf)] };
};

const householdSize: Criterion['measure'] = (f) => ({ value: f.size, evidence: [bureau('household members', f.asOf)] });

const perCapitaArea: Criterion['measure'] = (f) =>
  f.housing && f.size > 0
    ? { value: f.housing.floorArea / f.size, text: `${f.housing.floorArea} m² / ${f.size}`, evidence: [bureau('current housing', f.asOf)] }
    : { value: null, evidence: [], text: 'current housing not recorded' };

const totalArea: Criterion['measure'] = (f) =>
  f.housing
    ? { value: f.housing.floorArea, evidence: [bureau('current housing', f.asOf)] }
    : { value: null, evidence: [], text: 'current housing not recorded' };

const localHukou: Criterion['measure'] = (f) => {
  const h = applicant(f)?.hukou;
  if (!h) return { value: null, evidence: [absence('public-security', 'hukou', f)], text: 'no hukou record' };
  return {
    value: h.kind === 'URBAN' ? Number(h.areaCode) : 0,
    text: `${h.areaCode} ${h.kind}`,
    evidence: [fromRecord('public-security', `hukou ${h.residentId}`, h)],
  };
};

const residenceYears: Criterion['measure'] = (f) => {
  const h = applicant(f)?.hukou;
  if (!h) return { value: null, evidence: [absence('public-security', 'hukou', f)], text: 'no hukou record' };
  return { value: wholeYears(h.since, f.asOf), text: `since ${h.since}`, evidence: [fromRecord('public-security', `hukou ${h.residentId}`, h)] };
};

const perCapitaIncome: Criterion['measure'] = (f) => {
  const year = incomeYear(f);
  const records = f.members.map((m) => m.incomes.find((i) => i.year === year));
  const evidence = records.flatMap((r, i) => (r ? [fromRecord('civil-affairs', `income ${f.members[i]!.residentId} ${year}`, r)] : []));
  const missing = records.filter((r) => !r).length;
  if (missing > 0 || f.members.length === 0) {
    return {
      value: null,
      evidence: [...evidence, { agency: 'civil-affairs', record: null, asOf: null }],
      text: `${missing} member(s) without a ${year} income record`,
    };
  }
  const total = records.reduce((s, r) => s + r!.annualIncome, 0);
  return { value: total / f.members.length, text: `${year}: ${total} yuan / ${f.members.length}`, evidence };
};

const incomeThreshold = (p: Parameters) => {
  const ratio = p.get('INCOME_RATIO_MAX');
  const county = p.get('COUNTY_URBAN_INCOME');
  return ratio && county ? ratio.value * county.value : null;
};

/** the year whose income assessment the criteria read: the year before the as-of date */
export const incomeYear = (f: HouseholdFacts): number => Number(f.asOf.slice(0, 4)) - 1;

/** homes and residential land members held at any time in the last `lookbackYears` (0: held on the as-of date) */
export function homesHeldWithin(f: HouseholdFacts, lookbackYears: number): MemberFacts['properties'] {
  const since = minusYears(f.asOf, lookbackYears);
  return f.members.flatMap((m) => m.properties.filter((r) => r.acquiredOn <= f.asOf && (r.disposedOn === null || r.disposedOn >= since)));
}

/** vehicles registered to members and not deregistered by the as-of date */
export const vehiclesHeld = (f: HouseholdFacts): MemberFacts['vehicles'] =>
  f.members.flatMap((m) => m.vehicles.filter((v) => !v.deregisteredOn || v.deregisteredOn > f.asOf));

/** members' businesses still active */
export const activeBusinesses = (f: HouseholdFacts): MemberFacts['businesses'] => f.members.flatMap((m) => m.businesses.filter((b) => b.status === 'ACTIVE'));

/** a minimum-living-allowance (低保) record in force on a date (KC-15) */
export const isAllowanceInForce = (a: { status: string; until: string | null }, asOf: string): boolean =>
  a.status === 'MINIMUM_ALLOWANCE' && (!a.until || a.until >= asOf);

/** members' minimum-living-allowance records in force on the as-of date */
export const currentAllowances = (f: HouseholdFacts): MemberFacts['allowances'] =>
  f.members.flatMap((m) => m.allowances.filter((a) => isAllowanceInForce(a, f.asOf)));

/** members some agency reports dead */
export const deceasedMembers = (f: HouseholdFacts): MemberFacts[] => f.members.filter((m) => m.deaths.length > 0);

/** homes and residential land held by members at any time in the lookback (0 years: held now) */
const homesHeld =
  (lookbackYears: (p: Parameters) => number): Criterion['measure'] =>
  (f, p) => {
    const since = minusYears(f.asOf, lookbackYears(p));
    const held = homesHeldWithin(f, lookbackYears(p));
    const disposedToo = lookbackYears(p) > 0;
    return {
      value: held.length,
      text: held.length
        ? held.map((r) => `${r.kind} ${r.location}${r.disposedOn ? ` (disposed ${r.disposedOn})` : ''}`).join('; ')
        : disposedToo
          ? `none since ${since}`
          : 'none',
      evidence: held.length ? held.map((r) => fromRecord('real-estate', `property ${r.certificateNo}`, r)) : [absence('real-estate', 'property', f)],
    };
  };

const highestVehiclePrice: Criterion['measure'] = (f) => {
  const vehicles = vehiclesHeld(f);
  if (vehicles.length === 0) return { value: 0, text: 'no vehicle', evidence: [absence('public-security', 'vehicle', f)] };
  const top = vehicles.reduce((a, b) => (b.purchasePrice > a.purchasePrice ? b : a));
  return { value: top.purchasePrice, text: top.plate, evidence: vehicles.map((v) => fromRecord('public-security', `vehicle ${v.plate}`, v)) };
};

const registeredCapital: Criterion['measure'] = (f) => {
  const active = activeBusinesses(f);
  if (active.length === 0) return { value: 0, text: 'no business', evidence: [absence('market-regulation', 'business', f)] };
  return {
    value: active.reduce((s, b) => s + b.registeredCapital, 0),
    text: active.map((b) => b.name).join('; '),
    evidence: active.map((b) => fromRecord('market-regulation', `business ${b.registrationNo}`, b)),
  };
};

const yearsSinceDivorce: Criterion['measure'] = (f) => {
  const marital = applicant(f)?.marital;
  if (!marital) return { value: null, evidence: [absence('civil-affairs', 'marital', f)], text: 'no marital record', applies: true };
  const evidence = [fromRecord('civil-affairs', `marital ${marital.residentId}`, marital)];
  if (marital.status !== 'DIVORCED') return { value: null, evidence, text: `${marital.status}: not divorced`, applies: false };
  return { value: wholeYears(marital.since, f.asOf), text: `divorced ${marital.since}`, evidence };
};

const contractYears: Criterion['measure'] = (f) => {
  const head = applicant(f);
  const current = (head?.contracts ?? []).filter((c) => c.startDate <= f.asOf && (!c.endDate || c.endDate >= f.asOf));
  if (current.length === 0) return { value: 0, text: 'no current labour contract', evidence: [absence('social-security', 'contract', f)] };
  // a contract's length is its term: start to end, or to today for an open-ended one. The end date is
  // the contract's last day, so 2025-12-01 to 2026-11-30 is one whole year.
  const years = (c: MemberFacts['contracts'][number]) => wholeYears(c.startDate, c.endDate ? dayAfter(c.endDate) : f.asOf);
  const best = current.reduce((a, b) => (years(b) > years(a) ? b : a));
  return { value: years(best), text: `${best.employer} from ${best.startDate}`, evidence: [fromRecord('social-security', `contract ${best.employer}`, best)] };
};

const continuousPensionMonths: Criterion['measure'] = (f) => {
  const months = [...new Set((applicant(f)?.pension ?? []).map((r) => monthIndex(r.month)))].sort((a, b) => b - a);
  const records = applicant(f)?.pension ?? [];
  // contributions are paid for last month at the latest: an older last month means they stopped
  if (months.length === 0 || months[0]! < monthIndex(f.asOf) - 2) {
    return {
      value: 0,
      text: months.length ? 'contributions stopped' : 'no contributions',
      evidence: records.length
        ? records.map((r) => fromRecord('social-security', `pension ${r.month.slice(0, 7)}`, r))
        : [absence('social-security', 'pension', f)],
    };
  }
  let run = 1;
  while (run < months.length && months[run] === months[0]! - run) run++;
  const latest = records.find((r) => monthIndex(r.month) === months[0])!;
  return {
    value: run,
    text: `${run} months to ${latest.month.slice(0, 7)}`,
    evidence: [fromRecord('social-security', `pension ${latest.month.slice(0, 7)}`, latest)],
  };
};

const localWorkplace: Criterion['measure'] = (f) => {
  const deposits = (applicant(f)?.deposits ?? []).filter((d) => monthIndex(d.month) >= monthIndex(f.asOf) - 2);
  if (deposits.length === 0) return { value: 0, text: 'no recent provident fund deposit', evidence: [absence('provident-fund', 'deposit', f)] };
  const latest = deposits.reduce((a, b) => (b.month > a.month ? b : a));
  return { value: 1, text: latest.employer, evidence: [fromRecord('provident-fund', `deposit ${latest.month.slice(0, 7)}`, latest)] };
};

// ---- the criteria of each category (KC-12) ------------------------------------------------------

const lookback = (p: Parameters) => p.get('PROPERTY_LOOKBACK_YEARS')?.value ?? 3;
const homesHeldNow = homesHeld(() => 0);
const homesHeldInLookback = homesHeld(lookback);

/** How many years back a category's HOMES criterion looks: LOCAL counts homes disposed of in the lookback (KC-12(1)5), the others homes held now. */
export const homesLookbackYears = (category: Category, p: Parameters): number => (category === 'LOCAL' ? lookback(p) : 0);

/**
 * What the criteria measure, for every other reader of a household's facts (the agency summary,
 * the applicant check): the same functions, so a summary cannot contradict the verdict beside it.
 */
export const MEASURES = {
  perCapitaIncome,
  highestVehiclePrice,
  registeredCapital,
  /** the household's own category's HOMES criterion */
  homesHeld: (f: HouseholdFacts, p: Parameters): Measure => (homesLookbackYears(f.category, p) > 0 ? homesHeldInLookback : homesHeldNow)(f, p),
} as const;

const COMMON: Criterion[] = [
  { code: 'APPLICANT_AGE_MIN', parameter: 'APPLICANT_AGE_MIN', measure: applicantAge },
  { code: 'APPLICANT_AGE_MAX', parameter: 'APPLICANT_AGE_MAX', measure: applicantAge },
];
const SIZE: Criterion = { code: 'HOUSEHOLD_SIZE', parameter: 'HOUSEHOLD_SIZE_MIN', measure: householdSize };
const INCOME: Criterion = { code: 'INCOME', parameter: 'INCOME_RATIO_MAX', measure: perCapitaIncome, threshold: incomeThreshold, unit: 'yuan/year per person' };

export const CRITERIA: Record<Category, Criterion[]> = {
  LOCAL: [
    ...COMMON,
    { code: 'LOCAL.HUKOU', parameter: 'LOCAL.HUKOU_AREA', measure: localHukou },
    { code: 'LOCAL.RESIDENCE_YEARS', parameter: 'LOCAL.RESIDENCE_YEARS_MIN', measure: residenceYears },
    SIZE,
    { code: 'LOCAL.PER_CAPITA_AREA', parameter: 'LOCAL.PER_CAPITA_AREA_MAX', measure: perCapitaArea },
    { code: 'LOCAL.TOTAL_AREA', parameter: 'LOCAL.TOTAL_AREA_MAX', measure: totalArea },
    INCOME,
    { code: 'LOCAL.HOMES', parameter: 'LOCAL.HOMES_MAX', measure: homesHeldInLookback },
    { code: 'LOCAL.VEHICLE_PRICE', parameter: 'LOCAL.VEHICLE_PRICE_MAX', measure: highestVehiclePrice },
    { code: 'LOCAL.CAPITAL', parameter: 'LOCAL.CAPITAL_MAX', measure: registeredCapital },
    { code: 'LOCAL.DIVORCE_YEARS', parameter: 'LOCAL.DIVORCE_YEARS_MIN', measure: yearsSinceDivorce },
  ],
  MIGRANT: [
    ...COMMON,
    { code: 'MIGRANT.CONTRACT_YEARS', parameter: 'MIGRANT.CONTRACT_YEARS_MIN', measure: contractYears },
    { code: 'MIGRANT.PENSION_MONTHS', parameter: 'MIGRANT.PENSION_MONTHS_MIN', measure: continuousPensionMonths },
    SIZE,
    { code: 'MIGRANT.HOMES', parameter: 'MIGRANT.HOMES_MAX', measure: homesHeldNow },
    INCOME,
    { code: 'MIGRANT.VEHICLE_PRICE', parameter: 'MIGRANT.VEHICLE_PRICE_MAX', measure: highestVehiclePrice },
    { code: 'MIGRANT.CAPITAL', parameter: 'MIGRANT.CAPITAL_MAX', measure: registeredCapital },
  ],
  NEW_CITIZEN: [
    ...COMMON,
    { code: 'NEW_CITIZEN.WORKPLACE', parameter: 'NEW_CITIZEN.WORKPLACE', measure: localWorkplace },
    { code: 'NEW_CITIZEN.AGE_MAX', parameter: 'NEW_CITIZEN.AGE_MAX', measure: applicantAge },
    { code: 'NEW_CITIZEN.HOMES', parameter: 'NEW_CITIZEN.HOMES_MAX', measure: homesHeldNow },
  ],
};

// Hot: 100,000 households × 3 categories × ~10 criteria. Objects are built whole, without spreads,
// which cost more here than the measuring itself.
/** Guiyang's conditions (002): per-capita monthly income and housing area; hukou districts are not modelled. */
export const GUIYANG_CRITERIA: Criterion[] = [
  {
    code: 'GY.INCOME_MONTHLY',
    parameter: 'INCOME_MONTHLY_MAX',
    measure: (f, p) => {
      const yearly = perCapitaIncome(f, p);
      return { ...yearly, value: yearly.value === null ? null : yearly.value / 12 };
    },
    unit: 'yuan/month per person',
  },
  { code: 'GY.PER_CAPITA_AREA', parameter: 'PER_CAPITA_AREA_MAX', measure: perCapitaArea },
];

// Evidence dates are few (the as-of dates of feed batches and series months) and every criterion
// ages its evidence: their day numbers are remembered, up to a bound.
const days = new Map<string, number>();
function dayOf(iso: string): number {
  let day = days.get(iso);
  if (day === undefined) {
    if (days.size >= 10_000) days.clear();
    day = epochDay(iso);
    days.set(iso, day);
  }
  return day;
}

/** Per agency, the oldest evidence a criterion may rest on (EVIDENCE_MAX_AGE_DAYS.<agency>), per parameter set. */
const maxAges = new WeakMap<Parameters, Map<string, number>>();
function maxAgeDays(p: Parameters): Map<string, number> {
  let ages = maxAges.get(p);
  if (!ages) {
    const prefix = 'EVIDENCE_MAX_AGE_DAYS.';
    ages = new Map([...p].filter(([code]) => code.startsWith(prefix)).map(([code, v]) => [code.slice(prefix.length), v.value]));
    maxAges.set(p, ages);
  }
  return ages;
}

/**
 * What each measure found, per evaluation: several criteria and all three categories measure the
 * same thing (the applicant's age, per-capita income, homes held); a measure is a pure function of
 * the facts and parameters, so it is taken once.
 */
type Measured = Map<Criterion['measure'], Measure>;

function measure(c: Criterion, f: HouseholdFacts, p: Parameters, measured: Measured): Measure {
  let m = measured.get(c.measure);
  if (!m) {
    m = c.measure(f, p);
    measured.set(c.measure, m);
  }
  return m;
}

function evaluateCriterion(c: Criterion, f: HouseholdFacts, p: Parameters, measured: Measured = new Map()): CriterionResult {
  const parameter = p.get(c.parameter);
  const result: CriterionResult = {
    code: c.code,
    article: parameter?.article ?? '',
    description: parameter?.description ?? c.parameter,
    outcome: 'UNKNOWN',
    actual: null,
    actualText: '',
    threshold: null,
    comparator: parameter?.comparator ?? '=',
    unit: c.unit ?? parameter?.unit ?? '',
    evidence: [],
    reason: null,
    exception: null,
  };
  if (!parameter) {
    result.reason = `parameter ${c.parameter} not in force on ${f.asOf}`;
    return result;
  }
  const m = measure(c, f, p, measured);
  result.actual = m.value;
  result.actualText = m.text ?? (m.value === null ? '' : String(m.value));
  result.threshold = c.threshold ? c.threshold(p, f) : parameter.value;
  let stale: CriterionResult['evidence'][number] | undefined;
  for (const e of m.evidence) {
    let ageDays: number | null = 0;
    let isStale = false;
    if (e.agency !== 'bureau') {
      ageDays = e.asOf === null ? null : dayOf(f.asOf) - dayOf(e.asOf);
      const maxAge = maxAgeDays(p).get(e.agency);
      isStale = ageDays === null || (maxAge !== undefined && ageDays > maxAge);
    }
    const item = { agency: e.agency, kind: e.kind, record: e.record, asOf: e.asOf, source: e.source, ageDays, stale: isStale };
    result.evidence.push(item);
    if (isStale && !stale) stale = item;
  }
  if (m.applies === false) {
    result.outcome = 'PASS';
  } else if (stale) {
    const cause = f.unavailable?.[stale.agency];
    const data = stale.kind ? `${stale.agency} ${stale.kind} data` : `${stale.agency} data`;
    result.reason = cause ? `${stale.agency} unavailable: ${cause}` : stale.asOf === null ? `no ${data}` : `${data} is ${stale.ageDays} days old`;
  } else if (m.value === null) {
    result.reason = m.text ?? 'no data';
  } else if (result.threshold === null) {
    result.reason = 'threshold not in force';
  } else {
    result.outcome = compare(m.value, parameter, result.threshold) ? 'PASS' : 'FAIL';
  }
  return result;
}

/**
 * An exception in force on the evaluation's date (granted on or before it, expiring on or after it)
 * turns that criterion's FAIL into a PASS, saying so. Only a FAIL: an exception waives a threshold,
 * not the evidence, so an UNKNOWN stays UNKNOWN. The policy must still allow exceptions to the
 * criterion (EXCEPTION_ALLOWED.<criterion> = 1) on that date.
 */
export function applyExceptions(criteria: CriterionResult[], f: HouseholdFacts, p: Parameters, policyId: string): void {
  const exceptions = f.exceptions;
  if (!exceptions || exceptions.length === 0) return;
  for (const c of criteria) {
    if (c.outcome !== 'FAIL' || p.get(`EXCEPTION_ALLOWED.${c.code}`)?.value !== 1) continue;
    const e = exceptions.find((x) => x.policyId === policyId && x.criterion === c.code && x.grantedOn <= f.asOf && f.asOf <= x.expiresOn);
    if (!e) continue;
    c.outcome = 'PASS';
    c.exception = e;
    c.reason = `passed by exception ${e.id}, granted by ${e.grantedBy} on ${e.grantedOn} until ${e.expiresOn}: ${e.reason}`;
    c.evidence.push({ agency: 'bureau', record: `qualification exception ${e.id}`, asOf: e.grantedOn, source: 'BUREAU', ageDays: 0, stale: false });
  }
}

/** The criteria a policy's evaluation has, by the policy's jurisdiction. */
export function criterionCodes(jurisdiction: string): string[] {
  const criteria = jurisdiction === 'GUIYANG' ? GUIYANG_CRITERIA : Object.values(CRITERIA).flat();
  return [...new Set(criteria.map((c) => c.code))];
}

/** A FAIL decides; otherwise any UNKNOWN could decide, so the verdict is UNKNOWN, never ELIGIBLE. */
export function verdictOf(criteria: readonly CriterionResult[]): Verdict {
  if (criteria.some((c) => c.outcome === 'FAIL')) return 'INELIGIBLE';
  if (criteria.some((c) => c.outcome === 'UNKNOWN')) return 'UNKNOWN';
  return 'ELIGIBLE';
}

export function evaluateCategory(
  category: Category,
  facts: HouseholdFacts,
  parameters: Parameters,
  measured: Measured = new Map(),
  policyId = 'KC',
): CategoryResult {
  const criteria = CRITERIA[category].map((c) => evaluateCriterion(c, facts, parameters, measured));
  applyExceptions(criteria, facts, parameters, policyId);
  return { category, verdict: verdictOf(criteria), criteria };
}

export interface QualificationResult {
  asOf: string;
  /** the household's registered category and its verdict */
  category: Category;
  verdict: Verdict;
  criteria: CriterionResult[];
  /** all three categories, and which the household fits */
  categories: CategoryResult[];
  fits: Category[];
}

/** Guiyang has one set of conditions for every household. */
export function evaluateGuiyang(facts: HouseholdFacts, parameters: Parameters, policyId = 'GY'): QualificationResult {
  const criteria = GUIYANG_CRITERIA.map((c) => evaluateCriterion(c, facts, parameters));
  applyExceptions(criteria, facts, parameters, policyId);
  const verdict = verdictOf(criteria);
  return {
    asOf: facts.asOf,
    category: facts.category,
    verdict,
    criteria,
    categories: [{ category: facts.category, verdict, criteria }],
    fits: verdict === 'ELIGIBLE' ? [facts.category] : [],
  };
}

/** `policyId`: whose exceptions apply (the callers evaluate Kuancheng's measures under KC). */
export function evaluate(facts: HouseholdFacts, parameters: Parameters, policyId = 'KC'): QualificationResult {
  const measured: Measured = new Map();
  const categories = (['LOCAL', 'MIGRANT', 'NEW_CITIZEN'] as const).map((c) => evaluateCategory(c, facts, parameters, measured, policyId));
  const own = categories.find((c) => c.category === facts.category)!;
  return {
    asOf: facts.asOf,
    category: facts.category,
    verdict: own.verdict,
    criteria: own.criteria,
    categories,
    fits: categories.filter((c) => c.verdict === 'ELIGIBLE').map((c) => c.category),
  };
}

export type Evaluator = (facts: HouseholdFacts, parameters: Parameters) => QualificationResult;

/**
 * The one place a policy's jurisdiction chooses how households are evaluated: Guiyang's conditions or
 * Kuancheng's three categories. The policy's own id decides whose exceptions apply.
 */
export function evaluatorFor(policy: { id: string; jurisdiction: string }): Evaluator {
  if (policy.jurisdiction === 'GUIYANG') return (facts, parameters) => evaluateGuiyang(facts, parameters, policy.id);
  return (facts, parameters) => evaluate(facts, parameters, policy.id);
}
