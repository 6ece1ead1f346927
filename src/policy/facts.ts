// Assembles what the engine needs about a household from the bureau's records and the agencies
// (through the request's loaders, so evaluating a page of households stays batched).
import { and, isNull } from 'drizzle-orm';
import { connectors } from '../../connectors/index.js';
import { loadMany, type AgencyId } from '../agency/connector.js';
import type { AgencyLoaders } from '../agency/loaders.js';
import { AgencyCallError } from '../agency/live.js';
import { byKey, groupByKey } from '../db/batch.js';
import { anyOf, type Db } from '../db/client.js';
import { currentHousing, persons } from '../db/schema.js';
import type { HouseholdRow, QualificationExceptionRow, RecordLoaders } from '../households/loaders.js';
import { subsidyYears as yearsOnSubsidy } from '../rent/subsidy-years.js';
import { APPLICANT, READ_OF, type AgencyRecord, type ExceptionFact, type HouseholdFacts, type MemberFacts } from './engine.js';
import { generationsOf, type ScoreFacts } from './points.js';
import { qualificationExceptions } from './tables.js';

/** the exceptions an evaluation may apply: every one not revoked (the engine checks the dates) */
function exceptionFacts(rows: readonly QualificationExceptionRow[]): ExceptionFact[] {
  return rows
    .filter((r) => r.revokedAt === null)
    .map((r) => ({ id: r.id, policyId: r.policyId, criterion: r.criterion, reason: r.reason, grantedBy: r.grantedBy, grantedOn: r.grantedOn, expiresOn: r.expiresOn }));
}

export async function householdFacts(h: HouseholdRow, loaders: RecordLoaders, agency: AgencyLoaders, asOf: string, today: string): Promise<HouseholdFacts> {
  const [members, housing, exceptions] = await Promise.all([
    loaders.membersByHousehold.load(h.id),
    loaders.currentHousing.load(h.id),
    loaders.exceptionsByHousehold.load(h.id),
  ]);
  return factsOf({ category: h.category, members, housing, exceptions: exceptionFacts(exceptions) }, agency, asOf, today);
}

interface Applicants {
  category: HouseholdRow['category'];
  members: { residentId: string; relation: string; birthDate: string }[];
  housing: { floorArea: number; tenure: string } | null;
  exceptions?: ExceptionFact[];
}

/** The agency record kinds behind each of a member's facts (a member's deaths: as civil affairs and public security report them). */
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
  ['allowances', 'civil-affairs', 'allowance'],
  ['deaths', 'civil-affairs', 'death'],
  ['deaths', 'public-security', 'death'],
] as const satisfies readonly (readonly [keyof typeof READ_OF, AgencyId, string])[];

type FactName = (typeof MEMBER_KINDS)[number][0];

/** Whether the criteria read this member's records of that kind (see READ_OF). */
const isRead = (fact: FactName, member: { relation: string }) => READ_OF[fact] === 'members' || member.relation === APPLICANT;

/** A member's records of one agency's kind; empty when there are none or nothing reads them. */
type RecordsOf = (fact: FactName, agencyId: AgencyId, kind: string, member: Applicants['members'][number]) => AgencyRecord[];

/** A member's records behind one fact, from every kind it rests on. */
function factRecords(records: RecordsOf, fact: FactName, member: Applicants['members'][number]): AgencyRecord[] {
  const kinds = MEMBER_KINDS.filter(([f]) => f === fact);
  if (kinds.length === 1) return records(fact, kinds[0]![1], kinds[0]![2], member);
  return kinds.flatMap(([, agencyId, kind]) => records(fact, agencyId, kind, member));
}

function buildFacts({ category, members, housing, exceptions }: Applicants, records: RecordsOf, asOf: string, coverage: HouseholdFacts['coverage']): HouseholdFacts {
  const of = (fact: FactName, m: Applicants['members'][number]) => factRecords(records, fact, m);
  const memberFacts = members.map(
    (m): MemberFacts => ({
      residentId: m.residentId,
      relation: m.relation,
      birthDate: m.birthDate,
      hukou: of('hukou', m)[0] ?? null,
      incomes: of('incomes', m),
      marital: of('marital', m)[0] ?? null,
      vehicles: of('vehicles', m),
      properties: of('properties', m),
      businesses: of('businesses', m),
      pension: of('pension', m),
      contracts: of('contracts', m),
      deposits: of('deposits', m),
      allowances: of('allowances', m),
      deaths: of('deaths', m),
    }),
  );
  return { asOf, category, size: members.length, housing: housing && { floorArea: housing.floorArea, tenure: housing.tenure }, members: memberFacts, coverage, exceptions: exceptions ?? [] };
}

/**
 * Facts about people, registered or not, through the request's loaders (live or feed). An agency
 * that cannot answer (down, slow, circuit open) gives no facts at all about these people, not some:
 * its coverage is withdrawn and the cause kept, so every criterion resting on it is UNKNOWN with
 * that cause, never a PASS on missing records, and the other criteria still answer.
 */
export async function factsOf(applicants: Applicants, agency: AgencyLoaders, asOf: string, today: string): Promise<HouseholdFacts> {
  const coverage = { ...(await agency.coverage(today)) };
  const loaded = new Map<string, AgencyRecord[]>();
  const unavailable: Record<string, string> = {};
  await Promise.all(
    applicants.members.flatMap((m) =>
      MEMBER_KINDS.filter(([fact]) => isRead(fact, m)).map(async ([, agencyId, kind]) => {
        try {
          loaded.set(`${agencyId}/${kind}/${m.residentId}`, (await agency.load(agencyId, kind, m.residentId)) as unknown as AgencyRecord[]);
        } catch (error) {
          if (!(error instanceof AgencyCallError)) throw error;
          unavailable[agencyId] ??= error.reason;
        }
      }),
    ),
  );
  // coverage is kept per agency/kind: every kind of an agency that failed loses it, so nothing rests on its silence
  for (const key of Object.keys(coverage)) if (key.split('/')[0]! in unavailable) coverage[key] = undefined;
  const facts = buildFacts(applicants, (_fact, agencyId, kind, m) => (agencyId in unavailable ? [] : (loaded.get(`${agencyId}/${kind}/${m.residentId}`) ?? [])), asOf, coverage);
  return Object.keys(unavailable).length ? { ...facts, unavailable } : facts;
}

const NONE = Object.freeze([]) as unknown as AgencyRecord[];

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
    db.select().from(qualificationExceptions).where(and(anyOf(qualificationExceptions.householdId, ids), isNull(qualificationExceptions.revokedAt))),
  ]);
  const byKind = new Map<string, Map<string, AgencyRecord[]>>();
  // all at once: the database works on the next table while this process maps the last one
  await Promise.all(
    MEMBER_KINDS.map(async ([fact, agencyId, kindName]) => {
      const subjects = members.filter((m) => isRead(fact, m)).map((m) => m.residentId);
      const grouped = await loadMany(db, connectors[agencyId].kinds[kindName]!, subjects);
      const of = new Map<string, AgencyRecord[]>();
      grouped.forEach((records, i) => {
        // which agency said so (a death is reported by either)
        for (const r of records) Object.assign(r, { agency: agencyId });
        if (records.length) of.set(subjects[i]!, records as unknown as AgencyRecord[]);
      });
      byKind.set(`${agencyId}/${kindName}`, of);
    }),
  );
  // in id order, as the per-request loader gives them
  const membersOf = groupByKey(ids, [...members].sort((a, b) => a.id - b.id), (m) => m.householdId);
  const housingOf = byKey(ids, housing, (h) => h.householdId);
  const exceptionsOf = groupByKey(ids, exceptions, (e) => e.householdId);
  const records: RecordsOf = (_fact, agencyId, kind, m) => byKind.get(`${agencyId}/${kind}`)!.get(m.residentId) ?? NONE;
  return rows.map((h, i) => buildFacts({ category: h.category, members: membersOf[i]!, housing: housingOf[i]!, exceptions: exceptionFacts(exceptionsOf[i]!) }, records, asOf, coverage));
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
