// Per-request DataLoaders over the bureau's records: one SQL statement per kind of record per tick,
// however many households a page shows.
import DataLoader from 'dataloader';
import { and, asc, desc, isNull } from 'drizzle-orm';
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

// keys travel as one array parameter; this bounds the size of one statement's answer
const MAX_BATCH = 5_000;

function loader<K, V>(batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  return new DataLoader(batch, { maxBatchSize: MAX_BATCH });
}

export function createRecordLoaders(db: Db) {
  return {
    household: loader<number, HouseholdRow | null>(async (ids) =>
      byKey(ids, await db.select().from(households).where(anyOf(households.id, ids)), (r) => r.id),
    ),
    district: loader<string, DistrictRow | null>(async (ids) =>
      byKey(ids, await db.select().from(districts).where(anyOf(districts.id, ids)), (r) => r.id),
    ),
    membersByHousehold: loader<number, PersonRow[]>(async (ids) =>
      groupByKey(
        ids,
        await db
          .select()
          .from(persons)
          .where(anyOf(persons.householdId, ids))
          .orderBy(asc(persons.id)),
        (r) => r.householdId,
      ),
    ),
    personByResidentId: loader<string, PersonRow | null>(async (ids) =>
      byKey(ids, await db.select().from(persons).where(anyOf(persons.residentId, ids)), (r) => r.residentId),
    ),
    currentHousing: loader<number, CurrentHousingRow | null>(async (ids) =>
      byKey(
        ids,
        await db.select().from(currentHousing).where(anyOf(currentHousing.householdId, ids)),
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
    unit: loader<number, UnitRow | null>(async (ids) =>
      byKey(ids, await db.select().from(housingUnits).where(anyOf(housingUnits.id, ids)), (r) => r.id),
    ),
    ledgerByTenancy: loader<number, LedgerRow[]>(async (ids) =>
      groupByKey(
        ids,
        await db
          .select()
          .from(rentLedger)
          .where(anyOf(rentLedger.tenancyId, ids))
          .orderBy(asc(rentLedger.month)),
        (r) => r.tenancyId,
      ),
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
        await db
          .select()
          .from(applicationEvents)
          .where(anyOf(applicationEvents.applicationId, ids))
          .orderBy(asc(applicationEvents.id)),
        (r) => r.applicationId,
      ),
    ),
    waitlistByHousehold: loader<number, WaitlistRow | null>(async (ids) =>
      byKey(
        ids,
        await db.select().from(waitlistEntries).where(anyOf(waitlistEntries.householdId, ids)),
        (r) => r.householdId,
      ),
    ),
    /** rent subsidies (KC-26), newest first */
    subsidiesByHousehold: loader<number, SubsidyRow[]>(async (ids) =>
      groupByKey(
        ids,
        await db
          .select()
          .from(subsidies)
          .where(anyOf(subsidies.householdId, ids))
          .orderBy(desc(subsidies.startDate), desc(subsidies.id)),
        (r) => r.householdId,
      ),
    ),
  };
}

export type RecordLoaders = ReturnType<typeof createRecordLoaders>;
