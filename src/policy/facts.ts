// Assembles what the engine needs about a household from the bureau's records and the agencies
// (through the request's loaders, so evaluating a page of households stays batched).
import { and, isNull } from 'drizzle-orm';
import { agencies } from '../../connectors/index.js';
import { loadMany, type AgencyId, type RecordKind } from '../agency/connector.js';
import type { AgencyLoaders, KindName } from '../agency/loaders.js';
import { AgencyCallError } from '../agency/live.js';
import { byKey, groupByKey } from '../db/batch.js';
import { anyOf, type Db } from '../db/client.js';
import { currentHousing, persons } from '../db/schema.js';
import type { HouseholdRow, QualificationExceptionRow, RecordLoaders } from '../households/loaders.js';
import { subsidyYears as yearsOnSubsidy } from '../rent/subsidy-years.js';
import { APPLICANT, READ_OF, type AgencyRecord, type DeathFact, type ExceptionFact, type HouseholdFacts, type MemberFacts } from './engine.js';
import { generationsOf, type ScoreFacts } from './points.js';
import { qualificationExceptions } from './tables.js';

/** the exceptions an evaluation may apply: every one not revoked (the engine checks the dates) */
function exceptionFacts(rows: readonly QualificationExceptionRow[]): ExceptionFact[] {
  return rows
    .filter((r) => r.revokedAt === null)
    .map((r) => ({
      id: r.id,
      policyId: r.policyId,
      criterion: r.criterion,
      reason: r.reason,
      grantedBy: r.grantedBy,
      grantedOn: r.grantedOn,
      expiresOn: r.expiresOn,
    }));
}

/** A registered household's facts; `only`: just those agency facts read (factsOf), and no exceptions (a measure, not a verdict). */
export async function householdFacts(
  h: HouseholdRow,
  loaders: RecordLoaders,
  agency: AgencyLoaders,
  asOf: string,
  today: string,
  only?: readonly FactName[],
): Promise<HouseholdFacts> {
  const [members, housing, exceptions] = await Promise.all([
    loaders.membersByHousehold.load(h.id),
    loaders.currentHousing.load(h.id),
    // waivers only change a verdict: a caller that names the facts it measures (`only`) judges nothing
    only ? [] : loaders.exceptionsByHousehold.load(h.id),
  ]);
  return factsOf({ category: h.category, members, housing, exceptions: exceptionFacts(exceptions) }, agency, asOf, today, only);
}

interface Applicants {
  category: HouseholdRow['category'];
  members: { residentId: string; relation: string; birthDate: string }[];
  housing: { floorArea: number; tenure: string } | null;
  exceptions?: ExceptionFact[];
}

/** The agency record kind behind each of a member's facts (deaths: civil affairs' and public security's death records). */
const MEMBER_KINDS = {
  hukou: ['public-security', 'hukou'],
  incomes: ['civil-affairs', 'income'],
  marital: ['civil-affairs', 'marital'],
  vehicles: ['public-security', 'vehicle'],
  properties: ['real-estate', 'property'],
  businesses: ['market-regulation', 'business'],
  pension: ['social-security', 'pension'],
  contracts: ['social-security', 'contract'],
  deposits: ['provident-fund', 'deposit'],
  allowances: ['civil-affairs', 'allowance'],
} as const satisfies { [F in Exclude<keyof typeof READ_OF, 'deaths'>]: readonly [AgencyId, string] };

export type FactName = keyof typeof READ_OF;

/** the agency kinds each fact is read from */
const KINDS_OF: Record<FactName, readonly (readonly [AgencyId, string])[]> = {
  ...(Object.fromEntries(Object.entries(MEMBER_KINDS).map(([fact, kind]) => [fact, [kind]])) as Record<
    keyof typeof MEMBER_KINDS,
    [readonly [AgencyId, string]]
  >),
  deaths: [
    ['civil-affairs', 'death'],
    ['public-security', 'death'],
  ],
};

/** the agency kinds read for these facts (every kind without them), as `agency.prefetch` takes them */
export const kindsOfFacts = (only?: readonly FactName[]) => only?.flatMap((fact) => KINDS_OF[fact]);

/** a tuple of values and promises, every one settled */
type Settled<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };

/** one agency's death records as the member's death facts */
const deathFacts = (agency: DeathFact['agency'], records: readonly { diedOn: string; asOf: string }[]): DeathFact[] =>
  records.map((d) => ({ diedOn: d.diedOn, agency, asOf: d.asOf }));

/** Whether the criteria read this member's records of that kind (see READ_OF). */
const isRead = (fact: FactName, member: { relation: string }) => READ_OF[fact] === 'members' || member.relation === APPLICANT;

/** A member's records of each kind; empty when there are none or nothing reads them. */
type MemberRecords = Omit<MemberFacts, 'residentId' | 'relation' | 'birthDate' | 'hukou' | 'marital'> & {
  hukou: NonNullable<MemberFacts['hukou']>[];
  marital: NonNullable<MemberFacts['marital']>[];
};
type Member = Applicants['members'][number];

function buildFacts(
  { category, members, housing, exceptions }: Applicants,
  records: (m: Member) => MemberRecords,
  asOf: string,
  coverage: HouseholdFacts['coverage'],
): HouseholdFacts {
  const memberFacts = members.map((m): MemberFacts => {
    const r = records(m);
    return { residentId: m.residentId, relation: m.relation, birthDate: m.birthDate, ...r, hukou: r.hukou[0] ?? null, marital: r.marital[0] ?? null };
  });
  return {
    asOf,
    category,
    size: members.length,
    housing: housing && { floorArea: housing.floorArea, tenure: housing.tenure },
    members: memberFacts,
    coverage,
    exceptions: exceptions ?? [],
  };
}

/**
 * Facts about people, registered or not, through the request's loaders (live or feed). `only`: just
 * those facts are read, every other list left empty, for a caller that measures no more (the agency
 * summary); a verdict always reads them all. An agency
 * that cannot answer (down, slow, circuit open) gives no facts at all about these people, not some:
 * its coverage is withdrawn and the cause kept, so every criterion resting on it is UNKNOWN with
 * that cause, never a PASS on missing records, and the other criteria still answer.
 */
export async function factsOf(applicants: Applicants, agency: AgencyLoaders, asOf: string, today: string, only?: readonly FactName[]): Promise<HouseholdFacts> {
  const kinds = kindsOfFacts(only);
  const [coverageNow] = await Promise.all([
    agency.coverage(today),
    agency.prefetch(
      applicants.members.map((m) => m.residentId),
      kinds,
    ),
  ]);
  const coverage = { ...coverageNow };
  const unavailable: Record<string, string> = {};
  const failed = (agencyId: AgencyId, error: unknown) => {
    if (!(error instanceof AgencyCallError)) throw error;
    unavailable[agencyId] ??= error.reason;
    return [];
  };
  // after the prefetch the records are at hand, read without a promise each (a page of 100 households reads ~3,000);
  // the loaders remain for a subject the prefetch could not read
  function read<A extends AgencyId, N extends KindName<A>>(fact: FactName, m: Member, agencyId: A, kind: N) {
    if (!isRead(fact, m) || (only && !only.includes(fact))) return [];
    try {
      const now = agency.peek(agencyId, kind, m.residentId);
      if (now) return now;
    } catch (error) {
      return failed(agencyId, error);
    }
    return agency.load(agencyId, kind, m.residentId).catch((error: unknown) => failed(agencyId, error));
  }
  const loaded = new Map<string, MemberRecords>();
  const pending: Promise<void>[] = [];
  for (const m of applicants.members) {
    const reads = [
      read('hukou', m, ...MEMBER_KINDS.hukou),
      read('incomes', m, ...MEMBER_KINDS.incomes),
      read('marital', m, ...MEMBER_KINDS.marital),
      read('vehicles', m, ...MEMBER_KINDS.vehicles),
      read('properties', m, ...MEMBER_KINDS.properties),
      read('businesses', m, ...MEMBER_KINDS.businesses),
      read('pension', m, ...MEMBER_KINDS.pension),
      read('contracts', m, ...MEMBER_KINDS.contracts),
      read('deposits', m, ...MEMBER_KINDS.deposits),
      read('allowances', m, ...MEMBER_KINDS.allowances),
      read('deaths', m, 'civil-affairs', 'death'),
      read('deaths', m, 'public-security', 'death'),
    ] as const;
    const keep = ([hukou, incomes, marital, vehicles, properties, businesses, pension, contracts, deposits, allowances, caDeaths, psDeaths]: Settled<
      typeof reads
    >) => {
      const deaths = [...deathFacts('civil-affairs', caDeaths), ...deathFacts('public-security', psDeaths)];
      loaded.set(m.residentId, { hukou, incomes, marital, vehicles, properties, businesses, pension, contracts, deposits, allowances, deaths });
    };
    if (reads.some((r) => r instanceof Promise)) pending.push(Promise.all(reads).then(keep));
    else keep(reads as Settled<typeof reads>);
  }
  await Promise.all(pending);
  const lost = (fact: keyof typeof MEMBER_KINDS) => MEMBER_KINDS[fact][0] in unavailable;
  // coverage is kept per agency/kind: every kind of an agency that failed loses it, so nothing rests on its silence
  for (const key of Object.keys(coverage)) if (key.split('/')[0]! in unavailable) coverage[key] = undefined;
  const records = (m: Member): MemberRecords => {
    const r = loaded.get(m.residentId)!;
    if (!Object.keys(unavailable).length) return r;
    return {
      hukou: lost('hukou') ? [] : r.hukou,
      incomes: lost('incomes') ? [] : r.incomes,
      marital: lost('marital') ? [] : r.marital,
      vehicles: lost('vehicles') ? [] : r.vehicles,
      properties: lost('properties') ? [] : r.properties,
      businesses: lost('businesses') ? [] : r.businesses,
      pension: lost('pension') ? [] : r.pension,
      contracts: lost('contracts') ? [] : r.contracts,
      deposits: lost('deposits') ? [] : r.deposits,
      allowances: lost('allowances') ? [] : r.allowances,
      deaths: r.deaths.filter((d) => !(d.agency in unavailable)),
    };
  };
  const facts = buildFacts(applicants, records, asOf, coverage);
  return Object.keys(unavailable).length ? { ...facts, unavailable } : facts;
}

/**
 * Facts for many households at once, from the feeds: one query per table for the whole set, about
 * only the members whose records the criteria read. The path for sweeps over every household (a
 * review, a benchmark), where per-key loaders cost more than the queries.
 */
export async function factsInBulk(db: Db, rows: readonly HouseholdRow[], asOf: string, coverage: HouseholdFacts['coverage']): Promise<HouseholdFacts[]> {
  const ids = rows.map((h) => h.id);
  const [members, housing, exceptions] = await Promise.all([
    db
      .select({ id: persons.id, householdId: persons.householdId, residentId: persons.residentId, relation: persons.relation, birthDate: persons.birthDate })
      .from(persons)
      .where(and(anyOf(persons.householdId, ids), isNull(persons.leftOn))),
    db.select().from(currentHousing).where(anyOf(currentHousing.householdId, ids)),
    db
      .select()
      .from(qualificationExceptions)
      .where(and(anyOf(qualificationExceptions.householdId, ids), isNull(qualificationExceptions.revokedAt))),
  ]);
  /** every read member's records of one kind, by resident ID */
  async function bulk<K extends RecordKind>(fact: FactName, kind: K) {
    const subjects = members.filter((m) => isRead(fact, m)).map((m) => m.residentId);
    const grouped = await loadMany(db, kind, subjects);
    const of = new Map<string, AgencyRecord<K>[]>();
    grouped.forEach((records, i) => {
      if (records.length) of.set(subjects[i]!, records);
    });
    return of;
  }
  // all at once: the database works on the next table while this process maps the last one
  const [hukou, incomes, marital, vehicles, properties, businesses, pension, contracts, deposits, allowances, caDeaths, psDeaths] = await Promise.all([
    bulk('hukou', agencies['public-security'].kinds.hukou),
    bulk('incomes', agencies['civil-affairs'].kinds.income),
    bulk('marital', agencies['civil-affairs'].kinds.marital),
    bulk('vehicles', agencies['public-security'].kinds.vehicle),
    bulk('properties', agencies['real-estate'].kinds.property),
    bulk('businesses', agencies['market-regulation'].kinds.business),
    bulk('pension', agencies['social-security'].kinds.pension),
    bulk('contracts', agencies['social-security'].kinds.contract),
    bulk('deposits', agencies['provident-fund'].kinds.deposit),
    bulk('allowances', agencies['civil-affairs'].kinds.allowance),
    bulk('deaths', agencies['civil-affairs'].kinds.death),
    bulk('deaths', agencies['public-security'].kinds.death),
  ]);
  // in id order, as the per-request loader gives them
  const membersOf = groupByKey(
    ids,
    [...members].sort((a, b) => a.id - b.id),
    (m) => m.householdId,
  );
  const housingOf = byKey(ids, housing, (h) => h.householdId);
  const exceptionsOf = groupByKey(ids, exceptions, (e) => e.householdId);
  const records = ({ residentId: id }: Member): MemberRecords => ({
    hukou: hukou.get(id) ?? [],
    incomes: incomes.get(id) ?? [],
    marital: marital.get(id) ?? [],
    vehicles: vehicles.get(id) ?? [],
    properties: properties.get(id) ?? [],
    businesses: businesses.get(id) ?? [],
    pension: pension.get(id) ?? [],
    contracts: contracts.get(id) ?? [],
    deposits: deposits.get(id) ?? [],
    allowances: allowances.get(id) ?? [],
    deaths: [...deathFacts('civil-affairs', caDeaths.get(id) ?? []), ...deathFacts('public-security', psDeaths.get(id) ?? [])],
  });
  return rows.map((h, i) =>
    buildFacts({ category: h.category, members: membersOf[i]!, housing: housingOf[i]!, exceptions: exceptionFacts(exceptionsOf[i]!) }, records, asOf, coverage),
  );
}

export async function scoreFacts(h: HouseholdRow, loaders: RecordLoaders, asOf: string): Promise<ScoreFacts> {
  const [members, housing, subsidyPeriods, difficulties] = await Promise.all([
    loaders.membersByHousehold.load(h.id),
    loaders.currentHousing.load(h.id),
    loaders.subsidiesByHousehold.load(h.id),
    loaders.activeSpecialDifficultiesByHousehold.load(h.id),
  ]);
  const noHousing = !housing || housing.tenure === 'NONE' || housing.floorArea === 0;
  // every period on subsidy up to asOf, a running one to asOf (KC-26 records)
  const subsidyYears = yearsOnSubsidy(subsidyPeriods, asOf);
  return {
    perCapitaArea: noHousing ? null : housing.floorArea / Math.max(1, members.length),
    generations: generationsOf(members.map((m) => m.relation)),
    specialDifficulties: difficulties.map((d) => d.kind),
    subsidyYears,
  };
}
