// Per-request DataLoaders for exit cases, inspections and reports, kept beside the request's context
// (one set per request, so nothing leaks between callers).
import DataLoader from 'dataloader';
import { asc, desc } from 'drizzle-orm';
import { byKey, groupByKey } from '../db/batch.js';
import { anyOf, type Db } from '../db/client.js';
import { exitCaseEvents, exitCases, inspections, publicReports } from './tables.js';

const MAX_BATCH = 5_000;
const loader = <K, V>(batch: (keys: readonly K[]) => Promise<V[]>) => new DataLoader(batch, { maxBatchSize: MAX_BATCH });

function create(db: Db) {
  return {
    exitCase: loader<number, typeof exitCases.$inferSelect | null>(async (ids) =>
      byKey(ids, await db.select().from(exitCases).where(anyOf(exitCases.id, ids)), (r) => r.id),
    ),
    exitCasesByHousehold: loader<number, (typeof exitCases.$inferSelect)[]>(async (ids) =>
      groupByKey(ids, await db.select().from(exitCases).where(anyOf(exitCases.householdId, ids)).orderBy(desc(exitCases.id)), (r) => r.householdId),
    ),
    eventsByCase: loader<number, (typeof exitCaseEvents.$inferSelect)[]>(async (ids) =>
      groupByKey(ids, await db.select().from(exitCaseEvents).where(anyOf(exitCaseEvents.caseId, ids)).orderBy(asc(exitCaseEvents.id)), (r) => r.caseId),
    ),
    inspectionsByCase: loader<number, (typeof inspections.$inferSelect)[]>(async (ids) =>
      groupByKey(
        ids,
        await db.select().from(inspections).where(anyOf(inspections.exitCaseId, ids)).orderBy(desc(inspections.visitedOn), desc(inspections.id)),
        (r) => r.exitCaseId!,
      ),
    ),
    inspectionsByUnit: loader<number, (typeof inspections.$inferSelect)[]>(async (ids) =>
      groupByKey(
        ids,
        await db.select().from(inspections).where(anyOf(inspections.unitId, ids)).orderBy(desc(inspections.visitedOn), desc(inspections.id)),
        (r) => r.unitId,
      ),
    ),
    inspectionsByHousehold: loader<number, (typeof inspections.$inferSelect)[]>(async (ids) =>
      groupByKey(
        ids,
        await db.select().from(inspections).where(anyOf(inspections.householdId, ids)).orderBy(desc(inspections.visitedOn), desc(inspections.id)),
        (r) => r.householdId!,
      ),
    ),
    inspectionsByReport: loader<number, (typeof inspections.$inferSelect)[]>(async (ids) =>
      groupByKey(
        ids,
        await db.select().from(inspections).where(anyOf(inspections.reportId, ids)).orderBy(desc(inspections.visitedOn), desc(inspections.id)),
        (r) => r.reportId!,
      ),
    ),
    inspection: loader<number, typeof inspections.$inferSelect | null>(async (ids) =>
      byKey(ids, await db.select().from(inspections).where(anyOf(inspections.id, ids)), (r) => r.id),
    ),
    report: loader<number, typeof publicReports.$inferSelect | null>(async (ids) =>
      byKey(ids, await db.select().from(publicReports).where(anyOf(publicReports.id, ids)), (r) => r.id),
    ),
  };
}

export type ExitLoaders = ReturnType<typeof create>;

const perRequest = new WeakMap<object, ExitLoaders>();

/** The loaders of this request (`ctx.loaders` is created afresh for each one). */
export function exitLoaders(ctx: { db: Db; loaders: object }): ExitLoaders {
  let found = perRequest.get(ctx.loaders);
  if (!found) perRequest.set(ctx.loaders, (found = create(ctx.db)));
  return found;
}
