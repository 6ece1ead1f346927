import DataLoader from 'dataloader';
import type { HubContext } from '../src/context.js';
import { byKey, groupByKey } from '../src/db/batch.js';
import { anyOf } from '../src/db/client.js';
import { tenancies } from '../src/db/schema.js';
import type { HouseholdRow, SubsidyRow, TenancyRow } from '../src/households/loaders.js';
import { adjustmentsOfTenancies, decideRentAdjustment, revokeRentAdjustment, type RentAdjustmentRow } from '../src/rent/adjustments.js';
import { chargeRent } from '../src/rent/charges.js';
import { monthOf } from '../src/rent/months.js';
import { paymentsOfTenancies, type AllocatedMonth, type RentPaymentRow } from '../src/rent/payments.js';
import { importRentPayments, recordRentPayment } from '../src/rent/service.js';
import { endSubsidy, startSubsidy } from '../src/rent/subsidies.js';
import { subsidyYears } from '../src/rent/subsidy-years.js';
import type { ImportMode } from '../src/imports/batch.js';

// per request, beside the shared record loaders: payments and decisions of the tenancies a page shows
const rentLoaders = new WeakMap<HubContext, ReturnType<typeof createRentLoaders>>();

function createRentLoaders(ctx: HubContext) {
  return {
    payments: new DataLoader<number, RentPaymentRow[]>(async (ids) => groupByKey(ids, await paymentsOfTenancies(ctx.db, ids), (r) => r.tenancyId)),
    adjustments: new DataLoader<number, RentAdjustmentRow[]>(async (ids) => groupByKey(ids, await adjustmentsOfTenancies(ctx.db, ids), (r) => r.tenancyId)),
    tenancy: new DataLoader<number, TenancyRow | null>(async (ids) => byKey(ids, await ctx.db.select().from(tenancies).where(anyOf(tenancies.id, ids)), (r) => r.id)),
  };
}

function loadersOf(ctx: HubContext) {
  let found = rentLoaders.get(ctx);
  if (!found) rentLoaders.set(ctx, (found = createRentLoaders(ctx)));
  return found;
}

/** the charge for `month` among a tenancy's decisions (the latest not revoked that covers it), else its rent */
function chargeOn(tenancy: TenancyRow, decisions: readonly RentAdjustmentRow[], month: string): number {
  const inForce = decisions
    .filter((a) => a.revokedAt === null && a.effectiveFrom <= month && (a.effectiveTo === null || a.effectiveTo > month))
    .sort((a, b) => (a.effectiveFrom === b.effectiveFrom ? b.id - a.id : a.effectiveFrom < b.effectiveFrom ? 1 : -1));
  return inForce[0]?.monthlyRent ?? tenancy.monthlyRent;
}

/** the household's status changed: the copy the access check loaded is stale */
function fresh(ctx: HubContext, subsidy: SubsidyRow): SubsidyRow {
  ctx.loaders.household.clear(subsidy.householdId);
  ctx.loaders.subsidiesByHousehold.clear(subsidy.householdId);
  return subsidy;
}

export const rentResolvers = {
  Mutation: {
    chargeRent: (_: unknown, __: unknown, ctx: HubContext) => chargeRent(ctx.db, ctx.today),
    recordRentPayment: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => recordRentPayment(ctx.db, input, ctx.who, ctx.today),
    importRentPayments: (_: unknown, args: { batchKey: string; mode?: ImportMode | null; payments: unknown[] }, ctx: HubContext) =>
      importRentPayments(ctx.db, { batchKey: args.batchKey, mode: args.mode ?? 'KEEP_VALID', records: args.payments, by: ctx.who, today: ctx.today }),
    decideRentAdjustment: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => decideRentAdjustment(ctx.db, input, ctx.who),
    revokeRentAdjustment: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => revokeRentAdjustment(ctx.db, input, ctx.who),
    startSubsidy: async (_: unknown, { input }: { input: unknown }, ctx: HubContext) => fresh(ctx, await startSubsidy(ctx.db, input, ctx.who, ctx.caller, ctx.today)),
    endSubsidy: async (_: unknown, { input }: { input: unknown }, ctx: HubContext) => fresh(ctx, await endSubsidy(ctx.db, input, ctx.who, ctx.today)),
  },
  RentPayment: {
    tenancy: (p: RentPaymentRow, _: unknown, ctx: HubContext) => loadersOf(ctx).tenancy.load(p.tenancyId),
    allocation: (p: RentPaymentRow) => p.allocation as AllocatedMonth[],
    imported: (p: RentPaymentRow) => p.batchId !== null,
  },
  RentAdjustment: {
    tenancy: (a: RentAdjustmentRow, _: unknown, ctx: HubContext) => loadersOf(ctx).tenancy.load(a.tenancyId),
    revoked: (a: RentAdjustmentRow) => a.revokedAt !== null,
  },
  Subsidy: {
    household: (s: SubsidyRow, _: unknown, ctx: HubContext) => ctx.loaders.household.load(s.householdId),
    running: (s: SubsidyRow) => s.endDate === null,
    years: (s: SubsidyRow, _: unknown, ctx: HubContext) => subsidyYears([s], ctx.today) ?? 0,
  },
  Tenancy: {
    payments: (t: TenancyRow, _: unknown, ctx: HubContext) => loadersOf(ctx).payments.load(t.id),
    adjustments: (t: TenancyRow, _: unknown, ctx: HubContext) => loadersOf(ctx).adjustments.load(t.id),
    currentRent: async (t: TenancyRow, _: unknown, ctx: HubContext) => chargeOn(t, await loadersOf(ctx).adjustments.load(t.id), monthOf(ctx.today)),
  },
  Household: {
    subsidy: async (h: HouseholdRow, _: unknown, ctx: HubContext) => (await ctx.loaders.subsidiesByHousehold.load(h.id)).find((s) => s.endDate === null) ?? null,
    subsidies: (h: HouseholdRow, _: unknown, ctx: HubContext) => ctx.loaders.subsidiesByHousehold.load(h.id),
  },
};
