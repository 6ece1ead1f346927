// A household's agency facts summed over its members: what the qualification policy reads.
import type { AgencyLoaders, AgencyValue, KindOf } from './loaders.js';

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

interface MemberFacts {
  incomes: AgencyValue<KindOf<'civil-affairs', 'income'>>[];
  vehicles: AgencyValue<KindOf<'public-security', 'vehicle'>>[];
  properties: AgencyValue<KindOf<'real-estate', 'property'>>[];
  businesses: AgencyValue<KindOf<'market-regulation', 'business'>>[];
  allowance: AgencyValue<KindOf<'civil-affairs', 'allowance'>>[];
  deaths: AgencyValue<KindOf<'civil-affairs' | 'public-security', 'death'>>[];
}

export function summarize(members: MemberFacts[]): HouseholdAgencySummary {
  const yearsPerMember = members.map((m) => new Set(m.incomes.map((i) => i.year)));
  const allYears = [...new Set(members.flatMap((m) => m.incomes.map((i) => i.year)))].sort((a, b) => b - a);
  const incomeYear = allYears.find((y) => yearsPerMember.every((set) => set.has(y))) ?? null;
  const total =
    incomeYear === null
      ? null
      : members.reduce((sum, m) => sum + Number(m.incomes.find((i) => i.year === incomeYear)!.annualIncome), 0);
  const activeVehicles = members.flatMap((m) => m.vehicles.filter((v) => !v.deregisteredOn));
  return {
    incomeYear,
    perCapitaAnnualIncome: total === null || members.length === 0 ? null : total / members.length,
    membersWithoutIncome: yearsPerMember.filter((set) => (incomeYear === null ? set.size === 0 : !set.has(incomeYear))).length,
    highestVehiclePrice: activeVehicles.length ? Math.max(...activeVehicles.map((v) => Number(v.purchasePrice))) : null,
    vehicleCount: activeVehicles.length,
    homesOwned: members.flatMap((m) => m.properties.filter((p) => p.kind === 'HOME' && !p.disposedOn)).length,
    totalRegisteredCapital: members
      .flatMap((m) => m.businesses.filter((b) => b.status === 'ACTIVE'))
      .reduce((sum, b) => sum + Number(b.registeredCapital), 0),
    onMinimumAllowance: members.some((m) => m.allowance.some((a) => a.status === 'MINIMUM_ALLOWANCE')),
    deceasedMembers: members.filter((m) => m.deaths.length > 0).length,
  };
}

export async function householdAgencySummary(agency: AgencyLoaders, residentIds: string[]): Promise<HouseholdAgencySummary> {
  const members = await Promise.all(
    residentIds.map(async (id) => {
      const [incomes, vehicles, properties, businesses, allowance, caDeaths, psDeaths] = await Promise.all([
        agency.load('civil-affairs', 'income', id),
        agency.load('public-security', 'vehicle', id),
        agency.load('real-estate', 'property', id),
        agency.load('market-regulation', 'business', id),
        agency.load('civil-affairs', 'allowance', id),
        agency.load('civil-affairs', 'death', id),
        agency.load('public-security', 'death', id),
      ]);
      return { incomes, vehicles, properties, businesses, allowance, deaths: [...caDeaths, ...psDeaths] };
    }),
  );
  return summarize(members);
}
