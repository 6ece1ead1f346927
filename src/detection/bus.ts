// Alerts raised on any hub instance reach the subscribers of every instance: the raising instance
// NOTIFYs the new alert ids (ids only: payloads are capped at 8,000 bytes) and each instance, on its
// one listening connection, loads those alerts and hands them to its own subscribers.
import { EventEmitter, on } from 'node:events';
import { sql } from 'drizzle-orm';
import { anyOf, type Database, type Db } from '../db/client.js';
import type { Logger } from '../logger.js';
import { alerts } from './tables.js';

export const ALERT_CHANNEL = 'hub_alerts';
const MAX_IDS_PER_NOTIFY = 500; // 500 ids of ≤ 10 digits stay well under the 8,000-byte payload cap

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

  constructor(
    private readonly database: Database,
    private readonly log: Logger,
  ) {
    this.events.setMaxListeners(0);
  }

  async start(): Promise<void> {
    this.stopListening = await this.database.listen(ALERT_CHANNEL, (payload) => {
      void this.deliver(payload);
    });
  }

  private async deliver(payload: string): Promise<void> {
    try {
      const ids = (JSON.parse(payload) as unknown[]).map(Number).filter(Number.isSafeInteger);
      if (ids.length === 0) return;
      const rows = await this.database.db.select().from(alerts).where(anyOf(alerts.id, ids));
      for (const alert of rows) this.events.emit('alert', alert);
    } catch (error) {
      this.log.error({ err: error }, 'alert notification could not be delivered');
    }
  }

  /** Called for every alert raised anywhere (e.g. to send its webhooks). */
  onAlert(listener: (alert: AlertRow) => void): void {
    this.events.on('alert', listener);
  }

  /** New alerts, optionally of one district; ends when the subscriber calls return(). */
  subscribe(districtId: string | null): AsyncIterableIterator<AlertRow> {
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
            if (!districtId || alert.districtId === districtId) return { done: false, value: alert };
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
