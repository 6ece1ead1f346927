// Per request, beside the shared record loaders: the payments and decisions of the tenancies a page shows.
import DataLoader from 'dataloader';
import { groupByKey } from '../db/batch.js';
import type { Db } from '../db/client.js';
import type { TenancyRow } from '../households/loaders.js';
import { adjustmentsOfTenancies, type RentAdjustmentRow } from './adjustments.js';
import { paymentsOfTenancies, type RentPaymentRow } from './payments.js';

function createRentLoaders(db: Db) {
  return {
    payments: new DataLoader<number, RentPaymentRow[]>(async (ids) => groupByKey(ids, await paymentsOfTenancies(db, ids), (r) => r.tenancyId)),
    adjustments: new DataLoader<number, RentAdjustmentRow[]>(async (ids) => groupByKey(ids, await adjustmentsOfTenancies(db, ids), (r) => r.tenancyId)),
  };
}

export type RentLoaders = ReturnType<typeof createRentLoaders>;

// keyed by the request's context, dropped with it
const perRequest = new WeakMap<object, RentLoaders>();

export function rentLoaders(ctx: { db: Db }): RentLoaders {
  let found = perRequest.get(ctx);
  if (!found) perRequest.set(ctx, (found = createRentLoaders(ctx.db)));
  return found;
}

/** the charge for `month` among a tenancy's decisions (the latest not revoked that covers it), else its rent */
export function chargeOn(tenancy: TenancyRow, decisions: readonly RentAdjustmentRow[], month: string): number {
  const inForce = decisions
    .filter((a) => a.revokedAt === null && a.effectiveFrom <= month && (a.effectiveTo === null || a.effectiveTo > month))
    .sort((a, b) => (a.effectiveFrom === b.effectiveFrom ? b.id - a.id : a.effectiveFrom < b.effectiveFrom ? 1 : -1));
  return inForce[0]?.monthlyRent ?? tenancy.monthlyRent;
}
