// Reading offers: a cursor-paged list narrowed to the caller's districts, and per-request loaders
// for the fields that hang offers off households, units, draws and tenancies.
import DataLoader from 'dataloader';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { withinScope, type DistrictScope } from '../auth/scope.js';
import { byKey, groupByKey, type Connection } from '../db/batch.js';
import { keysetPage } from '../db/pages.js';
import { anyOf, type Db } from '../db/client.js';
import { tenancies } from '../db/schema.js';
import { badUserInput } from '../errors.js';
import type { TenancyRow } from '../households/loaders.js';
import { lotteryDraws } from '../policy/tables.js';
import { offers } from './tables.js';
import type { OfferRow } from './service.js';

export interface OfferFilter {
  districtId?: string | null;
  status?: OfferRow['status'] | null;
  householdId?: string | number | null;
}

function conditions(filter: OfferFilter | null | undefined, scope: DistrictScope): (SQL | undefined)[] {
  const out: (SQL | undefined)[] = [withinScope(offers.districtId, scope)];
  if (filter?.districtId) out.push(eq(offers.districtId, filter.districtId));
  if (filter?.status) out.push(eq(offers.status, filter.status));
  if (filter?.householdId !== undefined && filter.householdId !== null) {
    const id = Number(filter.householdId);
    if (!Number.isSafeInteger(id) || id < 1) throw badUserInput('filter.householdId', 'must be a household id');
    out.push(eq(offers.householdId, id));
  }
  return out;
}

export type OfferConnectionView = Connection<OfferRow>;

/** oldest first, within the scope's districts */
export async function listOffers(
  db: Db,
  args: { filter?: OfferFilter | null; first?: number | null; after?: string | null },
  scope: DistrictScope,
  maxPageSize: number,
): Promise<OfferConnectionView> {
  return keysetPage(db, { table: offers, id: offers.id, cursor: 'offer', order: 'oldest first' }, () => conditions(args.filter, scope), args, maxPageSize);
}

export async function offerById(db: Db, id: string): Promise<OfferRow | null> {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n < 1) return null;
  return (await db.select().from(offers).where(eq(offers.id, n)))[0] ?? null;
}

function createOfferLoaders(db: Db) {
  return {
    byId: new DataLoader<number, OfferRow | null>(async (ids) => byKey(ids, await db.select().from(offers).where(anyOf(offers.id, ids)), (r) => r.id)),
    byHousehold: new DataLoader<number, OfferRow[]>(async (ids) =>
      groupByKey(ids, await db.select().from(offers).where(anyOf(offers.householdId, ids)).orderBy(asc(offers.id)), (r) => r.householdId),
    ),
    byDraw: new DataLoader<number, OfferRow[]>(async (ids) =>
      groupByKey(ids, await db.select().from(offers).where(anyOf(offers.drawId, ids)).orderBy(asc(offers.id)), (r) => r.drawId!),
    ),
    openByUnit: new DataLoader<number, OfferRow | null>(async (ids) =>
      byKey(
        ids,
        await db
          .select()
          .from(offers)
          .where(and(anyOf(offers.unitId, ids), eq(offers.status, 'OPEN'))),
        (r) => r.unitId,
      ),
    ),
    draw: new DataLoader<number, typeof lotteryDraws.$inferSelect | null>(async (ids) =>
      byKey(ids, await db.select().from(lotteryDraws).where(anyOf(lotteryDraws.id, ids)), (r) => r.id),
    ),
    /** the tenancy an accepted offer signed (running or ended) */
    tenancyByOffer: new DataLoader<number, TenancyRow | null>(async (ids) =>
      byKey(ids, await db.select().from(tenancies).where(anyOf(tenancies.offerId, ids)), (r) => r.offerId!),
    ),
  };
}

export type OfferLoaders = ReturnType<typeof createOfferLoaders>;

// per request, like the context's own loaders: keyed by the request's context, dropped with it
const perRequest = new WeakMap<object, OfferLoaders>();

export function offerLoaders(ctx: { db: Db }): OfferLoaders {
  let found = perRequest.get(ctx);
  if (!found) perRequest.set(ctx, (found = createOfferLoaders(ctx.db)));
  return found;
}
