import type { HubContext } from '../src/context.js';
import type { Resolvers } from '../src/generated/graphql.js';
import type { SubsidyRow } from '../src/households/loaders.js';
import { decideRentAdjustment, revokeRentAdjustment } from '../src/rent/adjustments.js';
import { chargeRent } from '../src/rent/charges.js';
import { chargeOn, rentLoaders } from '../src/rent/loaders.js';
import { monthOf } from '../src/rent/months.js';
import type { AllocatedMonth } from '../src/rent/payments.js';
import { importRentPayments, recordRentPayment } from '../src/rent/service.js';
import { endSubsidy, startSubsidy } from '../src/rent/subsidies.js';
import { subsidyYears } from '../src/rent/subsidy-years.js';

/** the household's status changed: the copy the access check loaded is stale */
function fresh(ctx: HubContext, subsidy: SubsidyRow): SubsidyRow {
  ctx.loaders.household.clear(subsidy.householdId);
  ctx.loaders.subsidiesByHousehold.clear(subsidy.householdId);
  return subsidy;
}

export const rentResolvers: Resolvers = {
  Mutation: {
    chargeRent: (_, __, ctx) => chargeRent(ctx.db, ctx.today),
    recordRentPayment: (_, { input }, ctx) => recordRentPayment(ctx.db, input, ctx.who, ctx.today),
    importRentPayments: (_, args, ctx) =>
      importRentPayments(ctx.db, { batchKey: args.batchKey, mode: args.mode ?? 'KEEP_VALID', records: args.payments, by: ctx.who, today: ctx.today }),
    decideRentAdjustment: (_, { input }, ctx) => decideRentAdjustment(ctx.db, input, ctx.who),
    revokeRentAdjustment: (_, { input }, ctx) => revokeRentAdjustment(ctx.db, input, ctx.who),
    startSubsidy: async (_, { input }, ctx) => fresh(ctx, await startSubsidy(ctx.db, input, ctx.who, ctx.caller, ctx.today)),
    endSubsidy: async (_, { input }, ctx) => fresh(ctx, await endSubsidy(ctx.db, input, ctx.who, ctx.today)),
  },
  RentPayment: {
    tenancy: async (p, _, ctx) => (await ctx.loaders.tenancy.load(p.tenancyId))!,
    allocation: (p) => p.allocation as AllocatedMonth[],
    imported: (p) => p.batchId !== null,
  },
  RentAdjustment: {
    tenancy: async (a, _, ctx) => (await ctx.loaders.tenancy.load(a.tenancyId))!,
    revoked: (a) => a.revokedAt !== null,
  },
  Subsidy: {
    household: async (s, _, ctx) => (await ctx.loaders.household.load(s.householdId))!,
    running: (s) => s.endDate === null,
    years: (s, _, ctx) => subsidyYears([s], ctx.today) ?? 0,
  },
  Tenancy: {
    payments: (t, _, ctx) => rentLoaders(ctx).payments.load(t.id),
    adjustments: (t, _, ctx) => rentLoaders(ctx).adjustments.load(t.id),
    currentRent: async (t, _, ctx) => chargeOn(t, await rentLoaders(ctx).adjustments.load(t.id), monthOf(ctx.today)),
  },
  Household: {
    subsidy: async (h, _, ctx) => (await ctx.loaders.subsidiesByHousehold.load(h.id)).find((s) => s.endDate === null) ?? null,
    subsidies: (h, _, ctx) => ctx.loaders.subsidiesByHousehold.load(h.id),
  },
};
