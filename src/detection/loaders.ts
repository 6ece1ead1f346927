// Per-request DataLoaders for alert pages: one statement for all the histories a page shows, and one
// for all the alerts a page of webhook deliveries names.
import DataLoader from 'dataloader';
import { asc } from 'drizzle-orm';
import { anyOf, type Db } from '../db/client.js';
import { alertEvents, alerts } from './tables.js';

type AlertRow = typeof alerts.$inferSelect;
type AlertEventRow = typeof alertEvents.$inferSelect;

export interface AlertLoaders {
  alert: DataLoader<number, AlertRow | undefined>;
  history: DataLoader<number, AlertEventRow[]>;
}

const MAX_BATCH = 5_000;

export function createAlertLoaders(db: Db): AlertLoaders {
  return {
    alert: new DataLoader(
      async (ids) => {
        const rows = await db.select().from(alerts).where(anyOf(alerts.id, ids));
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id));
      },
      { maxBatchSize: MAX_BATCH },
    ),
    history: new DataLoader(
      async (ids) => {
        const rows = await db.select().from(alertEvents).where(anyOf(alertEvents.alertId, ids)).orderBy(asc(alertEvents.id));
        const grouped = new Map<number, AlertEventRow[]>();
        for (const row of rows) {
          const list = grouped.get(row.alertId);
          if (list) list.push(row);
          else grouped.set(row.alertId, [row]);
        }
        return ids.map((id) => grouped.get(id) ?? []);
      },
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
