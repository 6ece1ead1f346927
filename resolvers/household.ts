import { isFinalStage } from '../src/applications/stages.js';
import { advanceApplication } from '../src/applications/service.js';
import type { HubContext } from '../src/context.js';
import { daysBetween } from '../src/domain/working-days.js';
import { isUnpaid, summarizeArrears } from '../src/households/arrears.js';
import type {
  ApplicationRow,
  CurrentHousingRow,
  HouseholdRow,
  LedgerRow,
  PersonRow,
  TenancyRow,
  WaitlistRow,
} from '../src/households/loaders.js';
import { countHouseholds, listHouseholds, registerHousehold, type HouseholdFilter } from '../src/households/service.js';

function parseId(id: string): number | null {
  const n = Number(id);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

interface ConnectionParent {
  filter: HouseholdFilter | null | undefined;
  page: Awaited<ReturnType<typeof listHouseholds>>;
}

export const householdResolvers = {
  Query: {
    household: async (_: unknown, { id }: { id: string }, ctx: HubContext) => {
      const n = parseId(id);
      return n === null ? null : ctx.loaders.household.load(n);
    },
    households: async (
      _: unknown,
      args: { filter?: HouseholdFilter | null; first?: number | null; after?: string | null },
      ctx: HubContext,
    ): Promise<ConnectionParent> => {
      const page = await listHouseholds(ctx.db, args, ctx.config.MAX_PAGE_SIZE);
      for (const h of page.nodes) ctx.loaders.household.prime(h.id, h);
      return { filter: args.filter, page };
    },
    person: (_: unknown, { residentId }: { residentId: string }, ctx: HubContext) =>
      ctx.loaders.personByResidentId.load(residentId.toUpperCase()),
  },
  Mutation: {
    registerHousehold: (_: unknown, { input }: { input: unknown }, ctx: HubContext) =>
      registerHousehold(ctx.db, input, ctx.today),
    advanceApplication: (_: unknown, { input }: { input: unknown }, ctx: HubContext) =>
      advanceApplication(ctx.db, input, ctx.today),
  },
  HouseholdConnection: {
    nodes: (p: ConnectionParent) => p.page.nodes,
    pageInfo: (p: ConnectionParent) => ({ hasNextPage: p.page.hasNextPage, endCursor: p.page.endCursor }),
    totalCount: (p: ConnectionParent, _: unknown, ctx: HubContext) => countHouseholds(ctx.db, p.filter),
  },
  Household: {
    district: (h: HouseholdRow, _: unknown, ctx: HubContext) => ctx.loaders.district.load(h.districtId),
    members: (h: HouseholdRow, _: unknown, ctx: HubContext) => ctx.loaders.membersByHousehold.load(h.id),
    head: async (h: HouseholdRow, _: unknown, ctx: HubContext) =>
      (await ctx.loaders.membersByHousehold.load(h.id)).find((m) => m.relation === 'HEAD') ?? null,
    size: async (h: HouseholdRow, _: unknown, ctx: HubContext) =>
      (await ctx.loaders.membersByHousehold.load(h.id)).length,
    currentHousing: async (h: HouseholdRow, _: unknown, ctx: HubContext) => {
      const [housing, members] = await Promise.all([
        ctx.loaders.currentHousing.load(h.id),
        ctx.loaders.membersByHousehold.load(h.id),
      ]);
      return housing && { ...housing, size: members.length };
    },
    tenancy: (h: HouseholdRow, _: unknown, ctx: HubContext) => ctx.loaders.activeTenancyByHousehold.load(h.id),
    tenancies: (h: HouseholdRow, _: unknown, ctx: HubContext) => ctx.loaders.tenanciesByHousehold.load(h.id),
    unit: async (h: HouseholdRow, _: unknown, ctx: HubContext) => {
      const tenancy = await ctx.loaders.activeTenancyByHousehold.load(h.id);
      return tenancy ? ctx.loaders.unit.load(tenancy.unitId) : null;
    },
    application: (h: HouseholdRow, _: unknown, ctx: HubContext) => ctx.loaders.applicationByHousehold.load(h.id),
    waitlistEntry: (h: HouseholdRow, _: unknown, ctx: HubContext) => ctx.loaders.waitlistByHousehold.load(h.id),
  },
  Person: {
    household: (p: PersonRow, _: unknown, ctx: HubContext) => ctx.loaders.household.load(p.householdId),
  },
  CurrentHousing: {
    // not rounded: the KC-12 area test (< 15 m²) must see the exact value
    perCapitaArea: (c: CurrentHousingRow & { size: number }) => (c.size > 0 ? c.floorArea / c.size : 0),
  },
  Tenancy: {
    unit: (t: TenancyRow, _: unknown, ctx: HubContext) => ctx.loaders.unit.load(t.unitId),
    rentLedger: async (t: TenancyRow, _: unknown, ctx: HubContext) =>
      (await ctx.loaders.ledgerByTenancy.load(t.id)).map((line) => ({ ...line, asOf: ctx.today })),
    arrears: async (t: TenancyRow, _: unknown, ctx: HubContext) =>
      summarizeArrears(await ctx.loaders.ledgerByTenancy.load(t.id), ctx.today),
  },
  RentLedgerEntry: {
    unpaid: (line: LedgerRow & { asOf: string }) => isUnpaid(line, line.asOf),
  },
  Application: {
    overdue: (a: ApplicationRow, _: unknown, ctx: HubContext) =>
      !isFinalStage(a.stage) && a.stageDeadline !== null && ctx.today > a.stageDeadline,
    history: (a: ApplicationRow, _: unknown, ctx: HubContext) => ctx.loaders.applicationEvents.load(a.id),
  },
  WaitlistEntry: {
    daysWaiting: (w: WaitlistRow, _: unknown, ctx: HubContext) => daysBetween(w.enteredOn, ctx.today),
  },
};
