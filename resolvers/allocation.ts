import { acceptOffer } from '../src/allocation/accept.js';
import { drawById, drawLottery, type DrawRow } from '../src/allocation/draw.js';
import { countOffers, listOffers, offerById, offerLoaders, type OfferFilter } from '../src/allocation/read.js';
import { declineOffer, offerUnit, REFUSED, withdrawOffer, type OfferRow } from '../src/allocation/service.js';
import type { HubContext } from '../src/context.js';
import type { HouseholdRow, TenancyRow, UnitRow } from '../src/households/loaders.js';
import { allocate, type Allocation } from '../src/policy/lottery.js';

interface ConnectionParent {
  filter: OfferFilter | null | undefined;
  page: Awaited<ReturnType<typeof listOffers>>;
}

export const allocationResolvers = {
  Query: {
    offer: (_: unknown, { id }: { id: string }, ctx: HubContext) => offerById(ctx.db, id),
    offers: async (_: unknown, args: { filter?: OfferFilter | null; first?: number | null; after?: string | null }, ctx: HubContext): Promise<ConnectionParent> => ({
      filter: args.filter,
      page: await listOffers(ctx.db, args, ctx.config.MAX_PAGE_SIZE),
    }),
    lotteryDraw: (_: unknown, { id }: { id: string }, ctx: HubContext) => drawById(ctx.db, id),
  },
  Mutation: {
    drawLottery: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => drawLottery(ctx, input),
    offerUnit: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => offerUnit(ctx, input),
    acceptOffer: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => acceptOffer(ctx, input),
    declineOffer: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => declineOffer(ctx, input),
    withdrawOffer: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => withdrawOffer(ctx, input),
  },
  OfferConnection: {
    nodes: (p: ConnectionParent) => p.page.nodes,
    pageInfo: (p: ConnectionParent) => ({ hasNextPage: p.page.hasNextPage, endCursor: p.page.endCursor }),
    totalCount: (p: ConnectionParent, _: unknown, ctx: HubContext) => countOffers(ctx.db, p.filter),
  },
  Offer: {
    household: (o: OfferRow, _: unknown, ctx: HubContext) => ctx.loaders.household.load(o.householdId),
    unit: (o: OfferRow, _: unknown, ctx: HubContext) => ctx.loaders.unit.load(o.unitId),
    draw: (o: OfferRow, _: unknown, ctx: HubContext) => (o.drawId === null ? null : offerLoaders(ctx).draw.load(o.drawId)),
    tenancy: (o: OfferRow, _: unknown, ctx: HubContext) => (o.status === 'ACCEPTED' ? offerLoaders(ctx).tenancyByOffer.load(o.id) : null),
  },
  LotteryDraw: {
    householdIds: (d: DrawRow) => d.households,
    unitIds: (d: DrawRow) => d.units,
    allocation: (d: DrawRow, _: unknown, ctx: HubContext) =>
      (d.allocation as Allocation[]).map((a) => ({
        household: ctx.loaders.household.load(a.householdId),
        unit: a.unitId === null ? null : ctx.loaders.unit.load(a.unitId),
      })),
    verified: (d: DrawRow) => {
      const stored = d.allocation as Allocation[];
      const rerun = allocate(d.seed, d.households as number[], d.units as number[]);
      return rerun.length === stored.length && rerun.every((a, i) => a.householdId === stored[i]!.householdId && a.unitId === stored[i]!.unitId);
    },
    offers: (d: DrawRow, _: unknown, ctx: HubContext) => offerLoaders(ctx).byDraw.load(d.id),
  },
  Household: {
    offers: (h: HouseholdRow, _: unknown, ctx: HubContext) => offerLoaders(ctx).byHousehold.load(h.id),
    declinedOffers: async (h: HouseholdRow, _: unknown, ctx: HubContext) =>
      (await offerLoaders(ctx).byHousehold.load(h.id)).filter((o) => (REFUSED as readonly string[]).includes(o.status)).length,
  },
  HousingUnit: {
    currentOffer: (u: UnitRow, _: unknown, ctx: HubContext) => offerLoaders(ctx).openByUnit.load(u.id),
  },
  Tenancy: {
    offer: (t: TenancyRow, _: unknown, ctx: HubContext) => (t.offerId === null ? null : offerLoaders(ctx).byId.load(t.offerId)),
  },
};
