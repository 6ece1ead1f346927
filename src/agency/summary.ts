// A household's agency facts summed over its members: a projection of the facts the qualification
// criteria and the detection rules read, measured by the very same functions (src/policy/engine.ts),
// so the summary on a page cannot contradict the verdict beside it.
import type { HouseholdRow, RecordLoaders } from '../households/loaders.js';
import { currentAllowances, deceasedMembers, incomeYear, MEASURES, vehiclesHeld, type HouseholdFacts, type Parameters } from '../policy/engine.js';
import { householdFacts, kindsOfFacts, type FactName } from '../policy/facts.js';
import { DEFAULT_POLICY } from '../policy/qualification.js';
import { AgencyCallError } from './live.js';
import type { AgencyLoaders } from './loaders.js';

export interface HouseholdAgencySummary {
  incomeYear: number | null;
  perCapitaAnnualIncome: number | null;
  membersWithoutIncome: number;
  highestVehiclePrice: number | null;
  vehicleCount: number;
  homesOwned: number;
  totalRegisteredCapital: number;
  onMinimumAllowance: boolean;
  deceasedMembers: number;
}

/** The facts `summarize` measures: only their kinds are read (a page of summaries reads half the agency tables). */
const SUMMARY_FACTS = ['incomes', 'vehicles', 'properties', 'businesses', 'allowances', 'deaths'] as const satisfies readonly FactName[];

/** the agency kinds the summary reads (a page reading ahead for its summaries reads these) */
export const SUMMARY_KINDS = kindsOfFacts(SUMMARY_FACTS)!;

/** The policy the summary measures under (its HOMES lookback): qualification's default, so the two agree. */
export const SUMMARY_POLICY = DEFAULT_POLICY;

/** The agencies whose records the summary reads: one of them unavailable leaves the summary unanswerable. */
export const SUMMARY_AGENCIES = ['civil-affairs', 'public-security', 'real-estate', 'market-regulation'] as const;

/**
 * `parameters`: the policy whose HOMES lookback applies (the household's category's HOMES criterion).
 * Income: the year the INCOME criterion reads; vehicles held on the as-of date, priced as
 * VEHICLE_PRICE prices them; homes as the category's HOMES criterion counts them (LOCAL: also those
 * disposed of in the lookback); the allowance in force on the as-of date, as KC-15's rule reads it.
 */
export function summarize(facts: HouseholdFacts, parameters: Parameters): HouseholdAgencySummary {
  const year = incomeYear(facts);
  const income = MEASURES.perCapitaIncome(facts, parameters);
  const vehicles = vehiclesHeld(facts);
  return {
    incomeYear: year,
    perCapitaAnnualIncome: income.value,
    membersWithoutIncome: facts.members.filter((m) => !m.incomes.some((i) => i.year === year)).length,
    highestVehiclePrice: vehicles.length ? MEASURES.highestVehiclePrice(facts, parameters).value : null,
    vehicleCount: vehicles.length,
    homesOwned: MEASURES.homesHeld(facts, parameters).value ?? 0,
    totalRegisteredCapital: MEASURES.registeredCapital(facts, parameters).value ?? 0,
    onMinimumAllowance: currentAllowances(facts).length > 0,
    deceasedMembers: deceasedMembers(facts).length,
  };
}

/**
 * The summary of a registered household's members on `today`, from the facts the criteria read
 * (householdFacts, through the request's loaders). An agency the summary reads that cannot answer
 * fails the summary with that agency's error, as reading its records directly would.
 */
export async function householdAgencySummary(
  h: HouseholdRow,
  loaders: RecordLoaders,
  agency: AgencyLoaders,
  parameters: Parameters,
  today: string,
): Promise<HouseholdAgencySummary> {
  const facts = await householdFacts(h, loaders, agency, today, today, SUMMARY_FACTS);
  const down = SUMMARY_AGENCIES.find((a) => facts.unavailable?.[a] !== undefined);
  if (down) throw new AgencyCallError(down, facts.unavailable![down]!);
  return summarize(facts, parameters);
}
