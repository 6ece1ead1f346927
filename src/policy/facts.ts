// Assembles what the engine needs about a household from the bureau's records and the agencies
// (through the request's loaders, so evaluating a page of households stays batched).
import type { AgencyLoaders } from '../agency/loaders.js';
import type { RecordLoaders, HouseholdRow } from '../households/loaders.js';
import { wholeMonths, type AgencyRecord, type HouseholdFacts, type MemberFacts } from './engine.js';
import { generationsOf, type ScoreFacts } from './points.js';

export async function householdFacts(h: HouseholdRow, loaders: RecordLoaders, agency: AgencyLoaders, asOf: string, today: string): Promise<HouseholdFacts> {
  const [members, housing] = await Promise.all([loaders.membersByHousehold.load(h.id), loaders.currentHousing.load(h.id)]);
  return factsOf({ category: h.category, members, housing }, agency, asOf, today);
}

interface Applicants {
  category: HouseholdRow['category'];
  members: { residentId: string; relation: string; birthDate: string }[];
  housing: { floorArea: number; tenure: string } | null;
}

/** Facts about people, registered or not: what the agencies know of each resident ID. */
export async function factsOf({ category, members, housing }: Applicants, agency: AgencyLoaders, asOf: string, today: string): Promise<HouseholdFacts> {
  const coverage = await agency.coverage(today);
  const memberFacts = await Promise.all(
    members.map(async (m): Promise<MemberFacts> => {
      const id = m.residentId;
      const [hukou, incomes, marital, vehicles, properties, businesses, pension, contracts, deposits] = (await Promise.all([
        agency.load('public-security', 'hukou', id),
        agency.load('civil-affairs', 'income', id),
        agency.load('civil-affairs', 'marital', id),
        agency.load('public-security', 'vehicle', id),
        agency.load('real-estate', 'property', id),
        agency.load('market-regulation', 'business', id),
        agency.load('social-security', 'pension', id),
        agency.load('social-security', 'contract', id),
        agency.load('provident-fund', 'deposit', id),
      ])) as unknown as AgencyRecord[][];
      return {
        residentId: id,
        relation: m.relation,
        birthDate: m.birthDate,
        hukou: hukou![0] ?? null,
        incomes: incomes!,
        marital: marital![0] ?? null,
        vehicles: vehicles!,
        properties: properties!,
        businesses: businesses!,
        pension: pension!,
        contracts: contracts!,
        deposits: deposits!,
      };
    }),
  );
  return {
    asOf,
    category,
    size: members.length,
    housing: housing && { floorArea: housing.floorArea, tenure: housing.tenure },
    members: memberFacts,
    coverage,
  };
}

export async function scoreFacts(h: HouseholdRow, loaders: RecordLoaders, asOf: string): Promise<ScoreFacts> {
  const [members, housing, waitlist] = await Promise.all([
    loaders.membersByHousehold.load(h.id),
    loaders.currentHousing.load(h.id),
    loaders.waitlistByHousehold.load(h.id),
  ]);
  const noHousing = !housing || housing.tenure === 'NONE' || housing.floorArea === 0;
  let subsidyYears: number | null = null;
  if (h.status === 'SUBSIDISED' && waitlist) {
    // whole months on subsidy, in years
    subsidyYears = Math.max(0, wholeMonths(waitlist.enteredOn, asOf)) / 12;
  }
  return {
    perCapitaArea: noHousing ? null : housing.floorArea / Math.max(1, members.length),
    generations: generationsOf(members.map((m) => m.relation)),
    specialDifficulties: [],
    subsidyYears,
  };
}
