import { outsidePeriod, outsideSummary, seesAlertDetails } from '../src/detection/alert-view.js';
import { detect } from '../src/detection/detect.js';
import { alertLoaders, type AlertRow } from '../src/detection/loaders.js';
import { alertCounts, assignAlert, householdsToDetect, listAlerts, listWebhookDeliveries, updateAlert } from '../src/detection/service.js';
import { registerWebhook } from '../src/detection/webhooks.js';
import type { Resolvers } from '../src/generated/graphql.js';

export const alertResolvers: Resolvers = {
  Subscription: {
    alertRaised: {
      // a district named (access control checked it is the caller's), else every district the caller sees
      subscribe: (_, { districtId }, ctx) => ctx.alertBus.subscribe(districtId ? [districtId] : ctx.scope.districts),
      resolve: (alert: AlertRow) => alert,
    },
  },
  Query: {
    alerts: (_, args, ctx) => listAlerts(ctx.db, args, ctx.scope, ctx.config.MAX_PAGE_SIZE),
    webhookDeliveries: (_, args, ctx) => listWebhookDeliveries(ctx.db, args, ctx.config.MAX_PAGE_SIZE),
    alertCounts: (_, { status }, ctx) => alertCounts(ctx.db, status, ctx.scope),
  },
  Mutation: {
    registerWebhook: (_, { input }, ctx) => registerWebhook(ctx.db, input, ctx.who),
    updateAlert: (_, { input }, ctx) => updateAlert(ctx.db, input, ctx.who),
    assignAlert: (_, { input }, ctx) => assignAlert(ctx.db, input, ctx.who),
    runDetection: async (_, { householdIds }, ctx) => (await detect(ctx.database, await householdsToDetect(ctx.db, householdIds), ctx.today)).length,
  },
  WebhookDelivery: {
    alert: async (d, _, ctx) => (await alertLoaders(ctx).alert.load(d.alertId))!,
  },
  Alert: {
    summary: (a, _, ctx) => (seesAlertDetails(ctx.caller?.role) ? a.summary : outsideSummary(a)),
    period: (a, _, ctx) => (seesAlertDetails(ctx.caller?.role) ? a.period : outsidePeriod(a.period)),
    household: async (a, _, ctx) => (await ctx.loaders.household.load(a.householdId))!,
    history: (a, _, ctx) => alertLoaders(ctx).history.load(a.id),
  },
};
