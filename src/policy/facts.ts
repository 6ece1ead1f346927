// Assembles what the engine needs about a household from the bureau's records and the agencies
// (through the request's loaders, so evaluating a page of households stays batched).
import { connectors } from '../../connectors/index.js';
import { loadMany, type AgencyId } from '../agency/connector.js';
import type { AgencyLoaders } from '../agency/loaders.js';
import { byKey, groupByKey } from '../db/batch.js';
import { anyOf, type Db } from '../db/client.js';
import { currentHousing, persons } from '../db/schema.js';
import type { HouseholdRow, RecordLoaders } from '../households/loaders.js';
import { wholeMonths } from '../domain/working-days.js';
import type { AgencyRecord, HouseholdFacts, MemberFacts } from './engine.js';
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

/** The agency record kinds the engine reads about each member. */
const MEMBER_KINDS = [
  ['hukou', 'public-security', 'hukou'],
  ['incomes', 'civil-affairs', 'income'],
  ['marital', 'civil-affairs', 'marital'],
  ['vehicles', 'public-security', 'vehicle'],
  ['properties', 'real-estate', 'property'],
  ['businesses', 'market-regulation', 'business'],
  ['pension', 'social-security', 'pension'],
  ['contracts', 'social-security', 'contract'],
  ['deposits', 'provident-fund', 'deposit'],
] as const satisfies readonly (readonly [string, AgencyId, string])[];

type RecordsOf = (agency: AgencyId, kind: string, residentId: string) => AgencyRecord[];

function buildFacts({ category, members, housing }: Applicants, records: RecordsOf, asOf: string, coverage: HouseholdFacts['coverage']): HouseholdFacts {
  const memberFacts = members.map((m): MemberFacts => {
    const of = (agency: AgencyId, kind: string) => records(agency, kind, m.residentId);
    return {
      residentId: m.residentId,
      relation: m.relation,
      birthDate: m.birthDate,
      hukou: of('public-security', 'hukou')[0] ?? null,
      incomes: of('civil-affairs', 'income'),
      marital: of('civil-affairs', 'marital')[0] ?? null,
      vehicles: of('public-security', 'vehicle'),
      properties: of('real-estate', 'property'),
      businesses: of('market-regulation', 'business'),
      pension: of('social-security', 'pension'),
      contracts: of('social-security', 'contract'),
      deposits: of('provident-fund', 'deposit'),
    };
  });
  return { asOf, category, size: members.length, housing: housing && { floorArea: housing.floorArea, tenure: housing.tenure }, members: memberFacts, coverage };
}

/** Facts about people, registered or not, through the request's loaders (live or feed). */
export async function factsOf(applicants: Applicants, agency: AgencyLoaders, asOf: string, today: string): Promise<HouseholdFacts> {
  const coverage = await agency.coverage(today);
  const loaded = new Map<string, AgencyRecord[]>();
  await Promise.all(
    applicants.members.flatMap((m) =>
      MEMBER_KINDS.map(async ([, agencyId, kind]) => {
        loaded.set(`${agencyId}/${kind}/${m.residentId}`, (await agency.load(agencyId, kind, m.residentId)) as unknown as AgencyRecord[]);
      }),
    ),
  );
  return buildFacts(applicants, (a, k, id) => loaded.get(`${a}/${k}/${id}`) ?? [], asOf, coverage);
}

/**
 * Facts for many households at once, from the feeds: one query per table for the whole set.
 * The path for sweeps over every household (a review, a benchmark), where per-key loaders cost more
 * than the queries.
 */
export async function factsInBulk(db: Db, rows: readonly HouseholdRow[], asOf: string, coverage: HouseholdFacts['coverage']): Promise<HouseholdFacts[]> {
  const ids = rows.map((h) => h.id);
  const [members, housing] = await Promise.all([
    db.select().from(persons).where(anyOf(persons.householdId, ids)),
    db.select().from(currentHousing).where(anyOf(currentHousing.householdId, ids)),
  ]);
  const residentIds = members.map((m) => m.residentId);
  const bySubject = new Map<string, AgencyRecord[]>();
  // all at once: the database works on the next table while this process maps the last one
  await Promise.all(
    MEMBER_KINDS.map(async ([, agencyId, kindName]) => {
      const grouped = await loadMany(db, connectors[agencyId].kinds[kindName]!, residentIds);
      grouped.forEach((records, i) => {
        if (records.length) bySubject.set(`${agencyId}/${kindName}/${residentIds[i]}`, records as unknown as AgencyRecord[]);
      });
    }),
  );
  // in id order, as the per-request loader gives them
  const membersOf = groupByKey(ids, [...members].sort((a, b) => a.id - b.id), (m) => m.householdId);
  const housingOf = byKey(ids, housing, (h) => h.householdId);
  return rows.map((h, i) =>
    buildFacts(
      { category: h.category, members: membersOf[i]!, housing: housingOf[i]! },
      (a, k, id) => bySubject.get(`${a}/${k}/${id}`) ?? [],
      asOf,
      coverage,
    ),
  );
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
