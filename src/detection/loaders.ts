// Per-request DataLoaders for alert pages: one statement for all the histories a page shows, and one
// for all the alerts a page of webhook deliveries names.
import DataLoader from 'dataloader';
import { asc } from 'drizzle-orm';
import { byKey, groupByKey } from '../db/batch.js';
import { anyOf, type Db } from '../db/client.js';
import { alertEvents, alerts } from './tables.js';

export type AlertRow = typeof alerts.$inferSelect;
export type AlertEventRow = typeof alertEvents.$inferSelect;

export interface AlertLoaders {
  alert: DataLoader<number, AlertRow | null>;
  history: DataLoader<number, AlertEventRow[]>;
}

const MAX_BATCH = 5_000;

export function createAlertLoaders(db: Db): AlertLoaders {
  return {
    alert: new DataLoader(async (ids) => byKey(ids, await db.select().from(alerts).where(anyOf(alerts.id, ids)), (r) => r.id), { maxBatchSize: MAX_BATCH }),
    history: new DataLoader(
      async (ids) => groupByKey(ids, await db.select().from(alertEvents).where(anyOf(alertEvents.alertId, ids)).orderBy(asc(alertEvents.id)), (r) => r.alertId),
      { maxBatchSize: MAX_BATCH },
    ),
  };
}

const perRequest = new WeakMap<object, AlertLoaders>();

/** the request's alert loaders, made on first use (the context object is the request) */
export function alertLoaders(ctx: { db: Db }): AlertLoaders {
  let loaders = perRequest.get(ctx);
  if (!loaders) perRequest.set(ctx, (loaders = createAlertLoaders(ctx.db)));
  return loaders;
}
