// Alerts raised on any hub instance reach the subscribers of every instance: the raising instance
// NOTIFYs the new alert ids (ids only: payloads are capped at 8,000 bytes) and each instance, on its
// one listening connection, loads those alerts and hands them to its own subscribers.
import { EventEmitter, on } from 'node:events';
import { asc, gt, max, sql } from 'drizzle-orm';
import { anyOf, type Database, type Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { alerts } from './tables.js';

export const ALERT_CHANNEL = 'hub_alerts';
const MAX_IDS_PER_NOTIFY = 500; // 500 ids of ≤ 10 digits stay well under the 8,000-byte payload cap
const CATCH_UP_LIMIT = 10_000;
const REMEMBERED_IDS = 20_000;

type AlertRow = typeof alerts.$inferSelect;

/** Called by whoever stores new alerts, on any instance. */
export async function announceAlerts(db: Db, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_NOTIFY) {
    await db.execute(sql`select pg_notify(${ALERT_CHANNEL}, ${JSON.stringify(ids.slice(i, i + MAX_IDS_PER_NOTIFY))})`);
  }
}

export class AlertBus {
  private readonly events = new EventEmitter();
  private stopListening: (() => Promise<void>) | null = null;
  /** the highest alert id handed out, to catch up from after the listening connection was lost */
  private lastSeen = 0;
  /** recently handed-out ids: a catch-up and a late notification must not deliver one alert twice */
  private readonly delivered = new Set<number>();

  constructor(
    private readonly database: Database,
    private readonly log: Logger,
  ) {
    this.events.setMaxListeners(0);
  }

  async start(): Promise<void> {
    const [latest] = await this.database.db.select({ id: max(alerts.id) }).from(alerts);
    this.lastSeen = latest?.id ?? 0;
    this.stopListening = await this.database.listen(
      ALERT_CHANNEL,
      (payload) => void this.deliver(payload),
      () => void this.catchUp(),
    );
  }

  private async deliver(payload: string): Promise<void> {
    try {
      const ids = (JSON.parse(payload) as unknown[]).map(Number).filter(Number.isSafeInteger);
      if (ids.length === 0) return;
      this.emit(await this.database.db.select().from(alerts).where(anyOf(alerts.id, ids)));
    } catch (error) {
      this.log.error({ err: error }, 'alert notification could not be delivered');
    }
  }

  /** after a reconnect: the alerts raised while this instance was not listening */
  private async catchUp(): Promise<void> {
    try {
      const missed = await this.database.db.select().from(alerts).where(gt(alerts.id, this.lastSeen)).orderBy(asc(alerts.id)).limit(CATCH_UP_LIMIT);
      this.log.info({ missed: missed.length }, 'alert listener reconnected');
      this.emit(missed);
    } catch (error) {
      this.log.error({ err: error }, 'alert catch-up failed');
    }
  }

  private emit(rows: AlertRow[]): void {
    for (const alert of rows) {
      if (this.delivered.has(alert.id)) continue;
      this.delivered.add(alert.id);
      if (this.delivered.size > REMEMBERED_IDS) this.delivered.delete(this.delivered.values().next().value!);
      if (alert.id > this.lastSeen) this.lastSeen = alert.id;
      this.events.emit('alert', alert);
    }
  }

  /** Called for every alert raised anywhere (e.g. to send its webhooks). */
  onAlert(listener: (alert: AlertRow) => void): void {
    this.events.on('alert', listener);
  }

  /** New alerts, optionally of some districts; ends when the subscriber calls return(). */
  subscribe(districtIds: readonly string[] | null): AsyncIterableIterator<AlertRow> {
    const controller = new AbortController();
    const source = on(this.events, 'alert', { signal: controller.signal }) as AsyncIterableIterator<[AlertRow]>;
    const done = { done: true as const, value: undefined };
    // a hand-made iterator rather than an async generator: return() must end the wait at once
    const iterator: AsyncIterableIterator<AlertRow> = {
      async next() {
        for (;;) {
          try {
            const step = await source.next();
            if (step.done) return done;
            const [alert] = step.value;
            if (!districtIds || districtIds.includes(alert.districtId)) return { done: false, value: alert };
          } catch (error) {
            if ((error as Error).name === 'AbortError') return done;
            throw error;
          }
        }
      },
      async return() {
        controller.abort();
        return done;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  async stop(): Promise<void> {
    await this.stopListening?.();
    this.stopListening = null;
  }
}
