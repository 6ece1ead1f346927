import { asc, eq } from 'drizzle-orm';
import type { HubContext } from '../src/context.js';
import { households } from '../src/db/schema.js';
import { detect } from '../src/detection/detect.js';
import { alertCounts, listAlerts, updateAlert, type AlertFilter } from '../src/detection/service.js';
import { alertEvents, type alerts } from '../src/detection/tables.js';

type AlertRow = typeof alerts.$inferSelect;

export const alertResolvers = {
  Subscription: {
    alertRaised: {
      subscribe: (_: unknown, { districtId }: { districtId?: string | null }, ctx: HubContext) => ctx.alertBus.subscribe(districtId ?? null),
      resolve: (alert: AlertRow) => alert,
    },
  },
  Query: {
    alerts: async (_: unknown, args: { filter?: AlertFilter | null; first?: number | null; after?: string | null }, ctx: HubContext) => {
      const page = await listAlerts(ctx.db, args, ctx.config.MAX_PAGE_SIZE);
      return { nodes: page.nodes, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor }, totalCount: page.totalCount };
    },
    alertCounts: (_: unknown, { status }: { status: 'OPEN' }, ctx: HubContext) => alertCounts(ctx.db, status),
  },
  Mutation: {
    updateAlert: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => updateAlert(ctx.db, input, ctx.caller),
    runDetection: async (_: unknown, { householdIds }: { householdIds?: string[] | null }, ctx: HubContext) => {
      const ids = householdIds?.length
        ? householdIds.map(Number).filter(Number.isSafeInteger)
        : (await ctx.db.select({ id: households.id }).from(households)).map((h) => h.id);
      return (await detect(ctx.database, ids, ctx.today)).length;
    },
  },
  Alert: {
    household: (a: AlertRow, _: unknown, ctx: HubContext) => ctx.loaders.household.load(a.householdId),
    history: (a: AlertRow, _: unknown, ctx: HubContext) =>
      ctx.db.select().from(alertEvents).where(eq(alertEvents.alertId, a.id)).orderBy(asc(alertEvents.id)),
  },
};
