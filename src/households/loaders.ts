// Per-request DataLoaders over the bureau's records: one SQL statement per kind of record per tick,
// however many households a page shows.
import { and, asc, count, desc, eq, isNotNull, isNull } from 'drizzle-orm';
import { AtHandLoader } from '../db/at-hand.js';
import { byKey, groupByKey } from '../db/batch.js';
import { subsidies } from '../rent/tables.js';
import { anyOf, type Db } from '../db/client.js';
import {
  applicationEvents,
  applications,
  currentHousing,
  districts,
  households,
  housingUnits,
  persons,
  rentLedger,
  tenancies,
  waitlistEntries,
} from '../db/schema.js';
import type { StoredEvaluation } from '../policy/evaluations.js';
import { qualificationEvaluations, qualificationExceptions } from '../policy/tables.js';
import { householdChanges, specialDifficulties } from './tables.js';

export type HouseholdRow = typeof households.$inferSelect;
export type PersonRow = typeof persons.$inferSelect;
export type TenancyRow = typeof tenancies.$inferSelect;
export type UnitRow = typeof housingUnits.$inferSelect;
export type LedgerRow = typeof rentLedger.$inferSelect;
export type ApplicationRow = typeof applications.$inferSelect;
export type ApplicationEventRow = typeof applicationEvents.$inferSelect;
export type DistrictRow = typeof districts.$inferSelect;
export type CurrentHousingRow = typeof currentHousing.$inferSelect;
export type WaitlistRow = typeof waitlistEntries.$inferSelect;
export type SubsidyRow = typeof subsidies.$inferSelect;
export type HouseholdChangeRow = typeof householdChanges.$inferSelect;
export type SpecialDifficultyRow = typeof specialDifficulties.$inferSelect;
export type QualificationExceptionRow = typeof qualificationExceptions.$inferSelect;
/** the household's current housing with its size now, for the per-capita area */
export type CurrentHousingView = CurrentHousingRow & { size: number };
/** a ledger line with the day its unpaid part is judged on */
export type LedgerLineView = LedgerRow & { asOf: string };

// keys travel as one array parameter; this bounds the size of one statement's answer
const MAX_BATCH = 5_000;

function loader<K, V>(batch: (keys: readonly K[]) => Promise<V[]>): AtHandLoader<K, V> {
  return new AtHandLoader(batch, MAX_BATCH);
}

export function createRecordLoaders(db: Db) {
  return {
    household: loader<number, HouseholdRow | null>(async (ids) => byKey(ids, await db.select().from(households).where(anyOf(households.id, ids)), (r) => r.id)),
    district: loader<string, DistrictRow | null>(async (ids) => byKey(ids, await db.select().from(districts).where(anyOf(districts.id, ids)), (r) => r.id)),
    /** the current members (a member who moved out or died is a former member) */
    membersByHousehold: loader<number, PersonRow[]>(async (ids) =>
      groupByKey(
        ids,
        await db
          .select()
          .from(persons)
          .where(and(anyOf(persons.householdId, ids), isNull(persons.leftOn)))
          .orderBy(asc(persons.id)),
        (r) => r.householdId,
      ),
    ),
    /** how many current members: for a page that shows the size without the members */
    memberCountByHousehold: loader<number, number>(async (ids) => {
      const rows = await db
        .select({ householdId: persons.householdId, n: count() })
        .from(persons)
        .where(and(anyOf(persons.householdId, ids), isNull(persons.leftOn)))
        .groupBy(persons.householdId);
      return byKey(ids, rows, (r) => r.householdId).map((r) => r?.n ?? 0);
    }),
    formerMembersByHousehold: loader<number, PersonRow[]>(async (ids) =>
      groupByKey(
        ids,
        await db
          .select()
          .from(persons)
          .where(and(anyOf(persons.householdId, ids), isNotNull(persons.leftOn)))
          .orderBy(asc(persons.leftOn), asc(persons.id)),
        (r) => r.householdId,
      ),
    ),
    person: loader<number, PersonRow | null>(async (ids) => byKey(ids, await db.select().from(persons).where(anyOf(persons.id, ids)), (r) => r.id)),
    /** the person's current membership; for someone in no household now, the latest one they left */
    personByResidentId: loader<string, PersonRow | null>(async (ids) => {
      // ascending ids with the current membership last: byKey keeps the last row of each key
      const rows = await db.select().from(persons).where(anyOf(persons.residentId, ids)).orderBy(asc(persons.id));
      return byKey(ids, [...rows.filter((r) => r.leftOn !== null), ...rows.filter((r) => r.leftOn === null)], (r) => r.residentId);
    }),
    /** KC-14 reported changes, oldest first */
    changesByHousehold: loader<number, HouseholdChangeRow[]>(async (ids) =>
      groupByKey(
        ids,
        await db.select().from(householdChanges).where(anyOf(householdChanges.householdId, ids)).orderBy(asc(householdChanges.id)),
        (r) => r.householdId,
      ),
    ),
    /** every special difficulty recorded for the household's people, removed ones too */
    specialDifficultiesByHousehold: loader<number, SpecialDifficultyRow[]>(async (ids) =>
      groupByKey(
        ids,
        await db.select().from(specialDifficulties).where(anyOf(specialDifficulties.householdId, ids)).orderBy(asc(specialDifficulties.id)),
        (r) => r.householdId,
      ),
    ),
    /** the special difficulties that count for Guiyang's points: not removed, of current members */
    activeSpecialDifficultiesByHousehold: loader<number, SpecialDifficultyRow[]>(async (ids) =>
      groupByKey(
        ids,
        (
          await db
            .select({ difficulty: specialDifficulties })
            .from(specialDifficulties)
            .innerJoin(persons, eq(persons.id, specialDifficulties.personId))
            .where(and(anyOf(specialDifficulties.householdId, ids), isNull(specialDifficulties.removedAt), isNull(persons.leftOn)))
            .orderBy(asc(specialDifficulties.id))
        ).map((r) => r.difficulty),
        (r) => r.householdId,
      ),
    ),
    specialDifficultiesByPerson: loader<number, SpecialDifficultyRow[]>(async (ids) =>
      groupByKey(
        ids,
        await db.select().from(specialDifficulties).where(anyOf(specialDifficulties.personId, ids)).orderBy(asc(specialDifficulties.id)),
        (r) => r.personId,
      ),
    ),
    /** qualification exceptions granted to the household, revoked ones too, newest first */
    /** every evaluation stored on purpose (reviews, recordQualification), newest first */
    evaluationsByHousehold: loader<number, StoredEvaluation[]>(async (ids) =>
      groupByKey(
        ids,
        (await db
          .select({
            id: qualificationEvaluations.id,
            householdId: qualificationEvaluations.householdId,
            policyId: qualificationEvaluations.policyId,
            policyVersion: qualificationEvaluations.policyVersion,
            asOf: qualificationEvaluations.asOf,
            outcome: qualificationEvaluations.outcome,
            result: qualificationEvaluations.result,
            evaluatedAt: qualificationEvaluations.evaluatedAt,
            evaluatedBy: qualificationEvaluations.evaluatedBy,
          })
          .from(qualificationEvaluations)
          .where(anyOf(qualificationEvaluations.householdId, ids))
          .orderBy(desc(qualificationEvaluations.id))) as StoredEvaluation[],
        (r) => r.householdId,
      ),
    ),
    exceptionsByHousehold: loader<number, QualificationExceptionRow[]>(async (ids) =>
      groupByKey(
        ids,
        await db.select().from(qualificationExceptions).where(anyOf(qualificationExceptions.householdId, ids)).orderBy(desc(qualificationExceptions.id)),
        (r) => r.householdId,
      ),
    ),
    currentHousing: loader<number, CurrentHousingRow | null>(async (ids) =>
      byKey(ids, await db.select().from(currentHousing).where(anyOf(currentHousing.householdId, ids)), (r) => r.householdId),
    ),
    /** every tenancy the household has had, newest first: an ended one keeps its ledger and what is owed (KC-36) */
    tenanciesByHousehold: loader<number, TenancyRow[]>(async (ids) =>
      groupByKey(
        ids,
        await db.select().from(tenancies).where(anyOf(tenancies.householdId, ids)).orderBy(desc(tenancies.startDate), desc(tenancies.id)),
        (r) => r.householdId,
      ),
    ),
    activeTenancyByHousehold: loader<number, TenancyRow | null>(async (ids) =>
      byKey(
        ids,
        await db
          .select()
          .from(tenancies)
          .where(and(anyOf(tenancies.householdId, ids), isNull(tenancies.endDate))),
        (r) => r.householdId,
      ),
    ),
    tenancy: loader<number, TenancyRow | null>(async (ids) => byKey(ids, await db.select().from(tenancies).where(anyOf(tenancies.id, ids)), (r) => r.id)),
    unit: loader<number, UnitRow | null>(async (ids) => byKey(ids, await db.select().from(housingUnits).where(anyOf(housingUnits.id, ids)), (r) => r.id)),
    ledgerByTenancy: loader<number, LedgerRow[]>(async (ids) =>
      groupByKey(ids, await db.select().from(rentLedger).where(anyOf(rentLedger.tenancyId, ids)).orderBy(asc(rentLedger.month)), (r) => r.tenancyId),
    ),
    /** the household's latest application */
    applicationByHousehold: loader<number, ApplicationRow | null>(async (ids) => {
      const rows = await db
        .selectDistinctOn([applications.householdId])
        .from(applications)
        .where(anyOf(applications.householdId, ids))
        .orderBy(applications.householdId, desc(applications.id));
      return byKey(ids, rows, (r) => r.householdId);
    }),
    applicationEvents: loader<number, ApplicationEventRow[]>(async (ids) =>
      groupByKey(
        ids,
        await db.select().from(applicationEvents).where(anyOf(applicationEvents.applicationId, ids)).orderBy(asc(applicationEvents.id)),
        (r) => r.applicationId,
      ),
    ),
    waitlistByHousehold: loader<number, WaitlistRow | null>(async (ids) =>
      byKey(ids, await db.select().from(waitlistEntries).where(anyOf(waitlistEntries.householdId, ids)), (r) => r.householdId),
    ),
    /** rent subsidies (KC-26), newest first */
    subsidiesByHousehold: loader<number, SubsidyRow[]>(async (ids) =>
      groupByKey(
        ids,
        await db.select().from(subsidies).where(anyOf(subsidies.householdId, ids)).orderBy(desc(subsidies.startDate), desc(subsidies.id)),
        (r) => r.householdId,
      ),
    ),
  };
}

export type RecordLoaders = ReturnType<typeof createRecordLoaders>;
