// The shipped policies: Kuancheng County (KC-12) and Guiyang (002). Every number here is seeded into
// policy_parameters, where the bureau edits it with an effective date; code reads only the table.
export type Comparator = '<' | '<=' | '>=' | '>' | '=';

export interface ParameterSeed {
  code: string;
  value: number;
  unit: string;
  comparator: Comparator;
  article: string;
  description: string;
  effectiveFrom: string;
  /** set when the source's figure is uncertain and the bureau must confirm it */
  toBeConfirmed?: string;
}

export interface PolicySeed {
  id: string;
  name: string;
  jurisdiction: string;
  version: number;
  effectiveFrom: string;
  source: string;
  parameters: ParameterSeed[];
}

/**
 * How the bureau runs its programme once a household qualifies: allocation, rent, subsidy, exit,
 * inspections and reports. Each policy carries its own copy, so a district's policy decides.
 */
function programmeParameters(from: string, article: (kc: string) => string, confirm?: string): ParameterSeed[] {
  const p = (
    code: string,
    value: number,
    unit: string,
    comparator: Comparator,
    kcArticle: string,
    description: string,
    toBeConfirmed?: string,
  ): ParameterSeed => ({
    code,
    value,
    unit,
    comparator,
    article: article(kcArticle),
    description,
    effectiveFrom: from,
    ...((toBeConfirmed ?? confirm) ? { toBeConfirmed: toBeConfirmed ?? confirm } : {}),
  });
  return [
    p(
      'ALLOCATION.ACCEPT_WORKING_DAYS',
      10,
      'working days',
      '<=',
      'KC-13(4)',
      'an offered unit must be accepted within this many working days, or the offer lapses',
      "the measures set no period: confirm the bureau's",
    ),
    p(
      'ALLOCATION.DECLINES_MAX',
      2,
      'offers',
      '<=',
      'KC-21',
      'offers a household may decline (or let lapse) and keep its place on the waitlist; one more removes it',
      "the measures set no number: confirm the bureau's",
    ),
    p('RENT.ALLOWANCE_PER_M2', 1, 'yuan/m²/month', '=', 'KC-15', 'rent for households holding a minimum-living-allowance (低保) certificate'),
    p('RENT.STANDARD_PER_M2', 6, 'yuan/m²/month', '=', 'KC-16', 'the standard rent', 'enter the standard rent the price bureau set'),
    p(
      'SUBSIDY.PER_CAPITA_MONTHLY',
      150,
      'yuan/month per person',
      '=',
      'KC-26',
      'rent subsidy paid to a waitlisted household, per member',
      "enter the county's subsidy standard",
    ),
    p(
      'EXIT.VACATE_DAYS',
      30,
      'days',
      '>=',
      'KC-19',
      'days between the notice served and the day the unit must be vacated',
      "the measures set no period: confirm the bureau's",
    ),
    p('INSPECTION.STAFF_MIN', 2, 'staff', '>=', 'KC-35(2)', 'an inspection visit takes at least 2 staff'),
    p('INSPECTION.ADULT_AGE', 18, 'years', '>=', 'KC-35(2)', 'the household member present at a visit is an adult'),
    p(
      'REPORT.INVESTIGATE_WORKING_DAYS',
      15,
      'working days',
      '<=',
      'KC-37',
      'a report from the public is investigated within this many working days',
      "the measures set no period: confirm the bureau's",
    ),
    p(
      'REPORT.ANSWER_WORKING_DAYS',
      20,
      'working days',
      '<=',
      'KC-37',
      'and answered within this many working days of receipt',
      "the measures set no period: confirm the bureau's",
    ),
    p(
      'EXCEPTION_ALLOWED.HOUSEHOLD_SIZE',
      1,
      'flag',
      '=',
      'KC-12(1)2',
      '"in principle" 2 or more persons: a manager may grant a recorded exception for one household',
    ),
  ];
}

const KC_FROM = '2020-01-01';
const kc = (
  code: string,
  value: number,
  unit: string,
  comparator: Comparator,
  article: string,
  description: string,
  extra: Partial<ParameterSeed> = {},
): ParameterSeed => ({
  code,
  value,
  unit,
  comparator,
  article,
  description,
  effectiveFrom: KC_FROM,
  ...extra,
});

export const KUANCHENG: PolicySeed = {
  id: 'KC',
  name: 'Kuancheng County affordable housing measures',
  jurisdiction: 'KUANCHENG',
  version: 1,
  effectiveFrom: KC_FROM,
  source: 'seeds/003 (宽城满族自治县保障性住房管理办法)',
  parameters: [
    kc('APPLICANT_AGE_MIN', 18, 'years', '>=', 'KC-12', 'applicant aged 18 or more (满18周岁)'),
    kc('APPLICANT_AGE_MAX', 70, 'years', '<=', 'KC-12', 'applicant aged 70 or less'),
    kc('LOCAL.HUKOU_AREA', 130827, 'area code', '=', 'KC-12(1)1', 'urban hukou of the county town'),
    kc('LOCAL.RESIDENCE_YEARS_MIN', 1, 'years', '>=', 'KC-12(1)1', 'resident in the county town for 1 year or more'),
    kc('HOUSEHOLD_SIZE_MIN', 2, 'persons', '>=', 'KC-12(1)2', 'household of 2 or more persons (in principle)'),
    kc('LOCAL.PER_CAPITA_AREA_MAX', 15, 'm²', '<', 'KC-12(1)3', 'per-capita floor area under 15 m² (不足15平方米)'),
    kc('LOCAL.TOTAL_AREA_MAX', 50, 'm²', '<', 'KC-12(1)3', 'household floor area under 50 m²'),
    kc('INCOME_RATIO_MAX', 0.9, 'ratio', '<=', 'KC-12(1)4', 'per-capita income at most 0.9 × the county urban figure (0.9倍以下)'),
    kc('COUNTY_URBAN_INCOME', 34_500, 'yuan/year', '=', 'KC-12(1)4', 'county urban per-capita disposable income of the previous year (2024 figure)', {
      effectiveFrom: '2025-01-01',
      toBeConfirmed: 'enter the statistics bureau figure',
    }),
    kc('COUNTY_URBAN_INCOME', 36_000, 'yuan/year', '=', 'KC-12(1)4', 'county urban per-capita disposable income of the previous year (2025 figure)', {
      effectiveFrom: '2026-01-01',
      toBeConfirmed: 'enter the statistics bureau figure',
    }),
    kc(
      'PROPERTY_LOOKBACK_YEARS',
      3,
      'years',
      '<=',
      'KC-12(1)5',
      'homes held in the last 3 years count, including sold, gifted, expropriated, split or entrusted',
    ),
    kc('LOCAL.HOMES_MAX', 0, 'homes', '<=', 'KC-12(1)5', 'no residential land or home owned locally in the last 3 years'),
    kc('LOCAL.VEHICLE_PRICE_MAX', 100_000, 'yuan', '<=', 'KC-12(1)6', 'no vehicle bought for over 100,000 yuan'),
    kc('LOCAL.CAPITAL_MAX', 50_000, 'yuan', '<=', 'KC-12(1)6', 'registered business capital at most 50,000 yuan (不超过5万元)'),
    kc('LOCAL.DIVORCE_YEARS_MIN', 1, 'years', '>=', 'KC-12(1)7', 'a divorced applicant: 1 year or more since the divorce'),
    kc('MIGRANT.CONTRACT_YEARS_MIN', 1, 'years', '>=', 'KC-12(2)1', 'labour contract of 1 year or more with a local employer'),
    kc('MIGRANT.PENSION_MONTHS_MIN', 12, 'months', '>=', 'KC-12(2)1', 'pension insurance paid locally and continuously for 1 year or more'),
    kc('MIGRANT.HOMES_MAX', 0, 'homes', '<=', 'KC-12(2)3', 'no residential land or home owned locally'),
    kc('MIGRANT.VEHICLE_PRICE_MAX', 120_000, 'yuan', '<=', 'KC-12(2)5', 'no vehicle bought for over 120,000 yuan'),
    kc('MIGRANT.CAPITAL_MAX', 100_000, 'yuan', '<=', 'KC-12(2)5', 'registered business capital at most 100,000 yuan'),
    kc('NEW_CITIZEN.AGE_MAX', 35, 'years', '<=', 'KC-12(3)2', 'applicant aged 35 or less (35周岁（含）以下)'),
    kc('NEW_CITIZEN.WORKPLACE', 1, 'flag', '=', 'KC-12(3)1', 'workplace in the county (provident fund deposits from a local employer)'),
    kc('NEW_CITIZEN.HOMES_MAX', 0, 'homes', '<=', 'KC-12(3)3', 'no residential land or home owned locally'),
    // change detection (KC-19): thresholds of the alert rules
    kc('ARREARS.MONTHS_EXIT', 6, 'months', '>=', 'KC-19(2)', 'rent unpaid for 6 or more months in total ends the lease'),
    kc('ARREARS.MONTHS_WARNING', 3, 'months', '>=', 'KC-19(2)', 'early warning of rent arrears'),
    kc('VACANCY.MONTHS_EXIT', 6, 'months', '>=', 'KC-19(1)', 'not living in the unit for 6 or more consecutive months'),
    kc('VACANCY.MONTHS_WARNING', 3, 'months', '>=', 'KC-19(1)', 'early warning of vacancy'),
    kc('VACANCY.WATER_MAX', 0.5, 'm3/month', '<=', 'KC-19(1)', 'water use this low counts as nobody living there'),
    kc('VACANCY.ELECTRICITY_MAX', 5, 'kWh/month', '<=', 'KC-19(1)', 'electricity use this low counts as nobody living there'),
    kc('VACANCY.GAS_MAX', 0.5, 'm3/month', '<=', 'KC-19(1)', 'gas use this low counts as nobody living there'),
    kc(
      'OVERUSE.WATER_PER_PERSON_MAX',
      6,
      'm3/month per person',
      '<=',
      'KC-19(5)',
      'water use above this for the registered household suggests subletting or overcrowding',
    ),
    kc('OVERUSE.MONTHS', 3, 'months', '>=', 'KC-19(5)', 'consecutive months of such use before an alert'),
    kc(
      'OVERUSE.JUMP_FACTOR',
      2,
      'times the usual water use',
      '>=',
      'KC-19(5)',
      'water use this many times the median of the 6 months before, for OVERUSE.MONTHS running, is a sudden sustained jump',
    ),
    kc('REVIEW.INTERVAL_MONTHS', 12, 'months', '>=', 'KC-18', 'every housed family is reviewed once a year'),
    // how old an agency's evidence may be before a criterion built on it is UNKNOWN
    kc('EVIDENCE_MAX_AGE_DAYS.civil-affairs', 400, 'days', '<=', 'KC-18', 'civil affairs: income is assessed yearly'),
    kc('EVIDENCE_MAX_AGE_DAYS.public-security', 90, 'days', '<=', 'KC-18', 'public security data'),
    kc('EVIDENCE_MAX_AGE_DAYS.social-security', 62, 'days', '<=', 'KC-18', 'pension contributions (monthly)'),
    kc('EVIDENCE_MAX_AGE_DAYS.provident-fund', 62, 'days', '<=', 'KC-18', 'provident fund deposits (monthly)'),
    kc('EVIDENCE_MAX_AGE_DAYS.real-estate', 90, 'days', '<=', 'KC-18', 'real-estate registry'),
    kc('EVIDENCE_MAX_AGE_DAYS.market-regulation', 90, 'days', '<=', 'KC-18', 'business registrations'),
    ...programmeParameters(KC_FROM, (article) => article),
  ],
};

const GY_FROM = '2009-01-01';
const gy = (code: string, value: number, unit: string, comparator: Comparator, description: string, extra: Partial<ParameterSeed> = {}): ParameterSeed => ({
  code,
  value,
  unit,
  comparator,
  article: 'GY-002',
  description,
  effectiveFrom: GY_FROM,
  ...extra,
});

export const GUIYANG: PolicySeed = {
  id: 'GY',
  name: 'Guiyang low-rent housing (Q&A)',
  jurisdiction: 'GUIYANG',
  version: 1,
  effectiveFrom: GY_FROM,
  source: 'seeds/002 (digits corrected: every 0 was printed as 1)',
  parameters: [
    gy('INCOME_MONTHLY_MAX', 975, 'yuan/month per capita', '<=', 'per-capita monthly income at most 975 yuan'),
    gy('PER_CAPITA_AREA_MAX', 12, 'm²', '<=', 'per-capita housing area limit', { toBeConfirmed: 'printed as "1.5 m²" (damaged); 12 m² shipped' }),
    // housing condition: points by per-capita area band
    gy('POINTS.AREA_NONE', 25, 'points', '=', 'no housing at all'),
    gy('POINTS.AREA_UNDER_2', 17, 'points', '=', 'a < 2 m²'),
    gy('POINTS.AREA_2_TO_4', 14, 'points', '=', '2 <= a <= 4 m²'),
    gy('POINTS.AREA_4_TO_6', 11, 'points', '=', '4 < a <= 6 m²'),
    gy('POINTS.AREA_6_TO_8', 8, 'points', '=', '6 < a <= 8 m²'),
    gy('POINTS.AREA_8_TO_10', 6, 'points', '=', '8 < a <= 10 m²'),
    gy('POINTS.AREA_10_TO_12', 4, 'points', '=', '10 < a <= 12 m²'),
    gy('POINTS.GENERATIONS_1', 10, 'points', '=', 'one generation'),
    gy('POINTS.GENERATIONS_2', 20, 'points', '=', 'two generations'),
    gy('POINTS.GENERATIONS_3', 30, 'points', '=', 'three or more generations'),
    gy('POINTS.MODEL_WORKER_OR_SPECIAL_CARE', 20, 'points', '=', 'model worker or special-care (优抚) family'),
    gy('POINTS.LONELY_ELDERLY', 20, 'points', '=', 'lonely elderly'),
    gy('POINTS.DISABILITY_1', 25, 'points', '=', 'grade-1 disability'),
    gy('POINTS.DISABILITY_2', 20, 'points', '=', 'grade-2 disability'),
    gy('POINTS.DISABILITY_3', 10, 'points', '=', 'grade-3 disability'),
    gy('POINTS.SPECIAL_ADD_UP', 0, 'flag', '=', 'several special difficulties: 0 = the highest counts, 1 = they add up', {
      toBeConfirmed: 'the source does not say whether they add up',
    }),
    gy('POINTS.SUBSIDY_OVER_3', 20, 'points', '=', 'rent subsidy received y > 3 years'),
    gy('POINTS.SUBSIDY_2_TO_3', 15, 'points', '=', '2 < y <= 3 years'),
    gy('POINTS.SUBSIDY_1_TO_2', 10, 'points', '=', '1 < y <= 2 years'),
    gy('POINTS.SUBSIDY_HALF_TO_1', 8, 'points', '=', '0.5 <= y <= 1 year'),
    gy('POINTS.SUBSIDY_UNDER_HALF', 5, 'points', '=', 'y < 0.5 year'),
    gy('REVIEW.SPOT_CHECK_SHARE', 0.05, 'share of households', '=', 'households of each district spot-checked at random each year'),
    ...programmeParameters(GY_FROM, () => 'GY-002', "copied from Kuancheng's measures: confirm Guiyang's"),
  ],
};

export const POLICIES = [KUANCHENG, GUIYANG];
