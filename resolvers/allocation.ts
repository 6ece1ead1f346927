import { acceptOffer } from '../src/allocation/accept.js';
import { drawById, drawLottery } from '../src/allocation/draw.js';
import { listOffers, offerById, offerLoaders } from '../src/allocation/read.js';
import { declineOffer, offerUnit, REFUSED, withdrawOffer } from '../src/allocation/service.js';
import type { Resolvers } from '../src/generated/graphql.js';
import { allocate, type Allocation } from '../src/policy/lottery.js';

export const allocationResolvers: Resolvers = {
  Query: {
    offer: (_, { id }, ctx) => offerById(ctx.db, id),
    offers: (_, args, ctx) => listOffers(ctx.db, args, ctx.scope, ctx.config.MAX_PAGE_SIZE),
    lotteryDraw: (_, { id }, ctx) => drawById(ctx.db, id),
  },
  Mutation: {
    drawLottery: (_, { input }, ctx) => drawLottery(ctx, input),
    offerUnit: (_, { input }, ctx) => offerUnit(ctx, input),
    acceptOffer: (_, { input }, ctx) => acceptOffer(ctx, input),
    declineOffer: (_, { input }, ctx) => declineOffer(ctx, input),
    withdrawOffer: (_, { input }, ctx) => withdrawOffer(ctx, input),
  },
  Offer: {
    household: async (o, _, ctx) => (await ctx.loaders.household.load(o.householdId))!,
    unit: async (o, _, ctx) => (await ctx.loaders.unit.load(o.unitId))!,
    draw: (o, _, ctx) => (o.drawId === null ? null : offerLoaders(ctx).draw.load(o.drawId)),
    tenancy: (o, _, ctx) => (o.status === 'ACCEPTED' ? offerLoaders(ctx).tenancyByOffer.load(o.id) : null),
  },
  LotteryDraw: {
    householdIds: (d) => d.households as number[],
    unitIds: (d) => d.units as number[],
    allocation: (d, _, ctx) =>
      Promise.all(
        (d.allocation as Allocation[]).map(async (a) => {
          const [household, unit] = await Promise.all([ctx.loaders.household.load(a.householdId), a.unitId === null ? null : ctx.loaders.unit.load(a.unitId)]);
          return { household: household!, unit };
        }),
      ),
    verified: (d) => {
      const stored = d.allocation as Allocation[];
      const rerun = allocate(d.seed, d.households as number[], d.units as number[]);
      return rerun.length === stored.length && rerun.every((a, i) => a.householdId === stored[i]!.householdId && a.unitId === stored[i]!.unitId);
    },
    offers: (d, _, ctx) => offerLoaders(ctx).byDraw.load(d.id),
  },
  Household: {
    offers: (h, _, ctx) => offerLoaders(ctx).byHousehold.load(h.id),
    declinedOffers: async (h, _, ctx) =>
      (await offerLoaders(ctx).byHousehold.load(h.id)).filter((o) => (REFUSED as readonly string[]).includes(o.status)).length,
  },
  HousingUnit: {
    currentOffer: (u, _, ctx) => offerLoaders(ctx).openByUnit.load(u.id),
  },
  Tenancy: {
    offer: (t, _, ctx) => (t.offerId === null ? null : offerLoaders(ctx).byId.load(t.offerId)),
  },
};
