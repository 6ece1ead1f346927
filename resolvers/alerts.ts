import { desc, eq } from 'drizzle-orm';
import type { HubContext } from '../src/context.js';
import { households } from '../src/db/schema.js';
import { outsidePeriod, outsideSummary, seesAlertDetails } from '../src/detection/alert-view.js';
import { detect } from '../src/detection/detect.js';
import { alertCounts, assignAlert, listAlerts, updateAlert, type AlertFilter } from '../src/detection/service.js';
import { alertLoaders } from '../src/detection/loaders.js';
import { alerts, webhookDeliveries, webhookEndpoints } from '../src/detection/tables.js';
import { registerWebhook } from '../src/detection/webhooks.js';

type AlertRow = typeof alerts.$inferSelect;

export const alertResolvers = {
  Subscription: {
    alertRaised: {
      // districtIds: the caller's own districts, when it is bound to some (access control sets it)
      subscribe: (_: unknown, { districtId, districtIds }: { districtId?: string | null; districtIds?: string[] }, ctx: HubContext) =>
        ctx.alertBus.subscribe(districtId ? [districtId] : (districtIds ?? null)),
      resolve: (alert: AlertRow) => alert,
    },
  },
  Query: {
    alerts: async (_: unknown, args: { filter?: AlertFilter | null; first?: number | null; after?: string | null }, ctx: HubContext) => {
      const page = await listAlerts(ctx.db, args, ctx.config.MAX_PAGE_SIZE);
      return { nodes: page.nodes, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor }, totalCount: page.totalCount };
    },
    webhookDeliveries: async (_: unknown, args: { status?: 'PENDING' | 'DELIVERED' | 'PARKED' | null; first?: number | null }, ctx: HubContext) => {
      const first = Math.min(Math.max(args.first ?? 50, 1), ctx.config.MAX_PAGE_SIZE);
      const rows = await ctx.db
        .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
        .from(webhookDeliveries)
        .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
        .where(args.status ? eq(webhookDeliveries.status, args.status) : undefined)
        .orderBy(desc(webhookDeliveries.id))
        .limit(first);
      return rows.map((r) => ({ ...r.delivery, endpoint: r.endpoint }));
    },
    alertCounts: (_: unknown, { status, districtIds }: { status: 'OPEN'; districtIds?: string[] }, ctx: HubContext) => alertCounts(ctx.db, status, districtIds ?? null),
  },
  Mutation: {
    registerWebhook: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => registerWebhook(ctx.db, input, ctx.who),
    updateAlert: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => updateAlert(ctx.db, input, ctx.who),
    assignAlert: (_: unknown, { input }: { input: unknown }, ctx: HubContext) => assignAlert(ctx.db, input, ctx.who),
    runDetection: async (_: unknown, { householdIds }: { householdIds?: string[] | null }, ctx: HubContext) => {
      const ids = householdIds?.length
        ? householdIds.map(Number).filter(Number.isSafeInteger)
        : (await ctx.db.select({ id: households.id }).from(households)).map((h) => h.id);
      return (await detect(ctx.database, ids, ctx.today)).length;
    },
  },
  WebhookDelivery: {
    alert: (d: { alertId: number }, _: unknown, ctx: HubContext) => alertLoaders(ctx).alert.load(d.alertId),
  },
  Alert: {
    summary: (a: AlertRow, _: unknown, ctx: HubContext) => (seesAlertDetails(ctx.caller?.role) ? a.summary : outsideSummary(a)),
    period: (a: AlertRow, _: unknown, ctx: HubContext) => (seesAlertDetails(ctx.caller?.role) ? a.period : outsidePeriod(a.period)),
    household: (a: AlertRow, _: unknown, ctx: HubContext) => ctx.loaders.household.load(a.householdId),
    history: (a: AlertRow, _: unknown, ctx: HubContext) => alertLoaders(ctx).history.load(a.id),
  },
};
