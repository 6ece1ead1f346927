// Alerts to other systems: an HTTP POST per alert and endpoint, signed with HMAC-SHA256 of the body
// under the endpoint's secret, retried with exponential backoff, every attempt logged; after
// WEBHOOK_MAX_ATTEMPTS the delivery is PARKED and shows in `webhookDeliveries(status: PARKED)`.
// Several instances share the work safely: deliveries are claimed with FOR UPDATE SKIP LOCKED.
import { createHmac } from 'node:crypto';
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { selectRows, type Db } from '../db/client.js';
import { parseInput } from '../errors.js';
import type { Logger } from '../logger.js';
import { outsidePeriod, outsideSummary } from './alert-view.js';
import { alerts, webhookAttempts, webhookDeliveries, webhookEndpoints } from './tables.js';

type AlertRow = typeof alerts.$inferSelect;
const MAX_RETRY_MS = 60_000;

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** One delivery per matching endpoint for each new alert (called where alerts are stored). */
export async function enqueueDeliveries(db: Db, raised: readonly AlertRow[]): Promise<number> {
  if (raised.length === 0) return 0;
  const districts = [...new Set(raised.map((a) => a.districtId))];
  const endpoints = await db
    .select()
    .from(webhookEndpoints)
    .where(or(isNull(webhookEndpoints.districtId), inArray(webhookEndpoints.districtId, districts)));
  const rows = raised.flatMap((a) => endpoints.filter((e) => !e.districtId || e.districtId === a.districtId).map((e) => ({ endpointId: e.id, alertId: a.id })));
  if (rows.length) await db.insert(webhookDeliveries).values(rows).onConflictDoNothing();
  return rows.length;
}

const endpointSchema = z.object({
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
  secret: z.string().min(16, 'at least 16 characters'),
  districtId: z.string().min(1).nullish(),
});

export async function registerWebhook(db: Db, raw: unknown, by: string) {
  const input = parseInput(endpointSchema, raw);
  const [row] = await db
    .insert(webhookEndpoints)
    .values({ url: input.url, secret: input.secret, districtId: input.districtId ?? null, createdBy: by })
    .returning();
  return row!;
}

export interface DispatcherOptions {
  timeoutMs: number;
  maxAttempts: number;
  backoffMs: number;
}

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** runs failed in a row (database unreachable, a query refused): each waits twice as long, up to a minute */
  private failures = 0;

  constructor(
    private readonly db: Db,
    private readonly options: DispatcherOptions,
    private readonly log: Logger,
  ) {}

  /** Delivers what is due now, then sleeps until the next retry is due. */
  kick(): void {
    if (this.stopped) return;
    this.running ??= this.runDue().finally(() => {
      this.running = null;
    });
  }

  private async runDue(): Promise<void> {
    try {
      for (;;) {
        const batch = await this.claim(20);
        if (batch.length === 0) break;
        await Promise.all(batch.map((d) => this.attempt(d)));
      }
      await this.scheduleNext();
      this.failures = 0;
    } catch (error) {
      // deliveries may be due that no new alert will ever wake: the dispatcher retries on its own
      this.failures += 1;
      const retryMs = Math.min(this.options.backoffMs * 2 ** (this.failures - 1), MAX_RETRY_MS);
      this.log.error({ err: error, failures: this.failures, retryMs }, 'webhook delivery run failed; retrying');
      this.wakeIn(retryMs);
    }
  }

  private wakeIn(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), ms);
    this.timer.unref();
  }

  /** Takes due deliveries for a lease, so no other instance sends them at the same time. */
  private claim(limit: number) {
    const lease = this.options.timeoutMs * 2;
    return selectRows<{ id: number; attempts: number; url: string; secret: string; alert: AlertRow }>(
      this.db,
      sql`update webhook_deliveries d set next_attempt_at = now() + make_interval(secs => ${lease / 1000})
          from webhook_endpoints e, alerts a
          where d.id in (select id from webhook_deliveries where status = 'PENDING' and next_attempt_at <= now()
                         order by next_attempt_at limit ${limit} for update skip locked)
            and e.id = d.endpoint_id and a.id = d.alert_id
          returning d.id, d.attempts, e.url, e.secret, row_to_json(a) as alert`,
    );
  }

  private async attempt(d: { id: number; attempts: number; url: string; secret: string; alert: AlertRow }): Promise<void> {
    const a = d.alert as unknown as Record<string, string>;
    // receivers are systems outside the bureau: they get what an ALERT_CONSUMER sees (alert-view.ts)
    const facts = { rule: a['rule']!, article: a['article']!, action: a['action']! };
    const body = JSON.stringify({
      deliveryId: d.id,
      alert: {
        id: a['id'],
        householdId: a['household_id'],
        districtId: a['district_id'],
        rule: a['rule'],
        article: a['article'],
        severity: a['severity'],
        action: a['action'],
        period: outsidePeriod(a['period']!),
        summary: outsideSummary(facts),
        raisedAt: a['raised_at'],
      },
    });
    const attempt = d.attempts + 1;
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(d.secret, body), 'x-hub-delivery': String(d.id) },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      statusCode = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = (e as Error).name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : (e as Error).message;
    }
    const durationMs = Math.round(performance.now() - started);
    await this.db.insert(webhookAttempts).values({ deliveryId: d.id, attempt, statusCode, error, durationMs });
    if (!error) {
      await this.db
        .update(webhookDeliveries)
        .set({ status: 'DELIVERED', attempts: attempt, deliveredAt: new Date(), lastError: null })
        .where(eq(webhookDeliveries.id, d.id));
      return;
    }
    const parked = attempt >= this.options.maxAttempts;
    const delay = this.options.backoffMs * 2 ** (attempt - 1);
    await this.db
      .update(webhookDeliveries)
      .set({ status: parked ? 'PARKED' : 'PENDING', attempts: attempt, lastError: error, nextAttemptAt: new Date(Date.now() + delay) })
      .where(and(eq(webhookDeliveries.id, d.id), eq(webhookDeliveries.status, 'PENDING')));
    this.log.warn({ deliveryId: d.id, attempt, error, parked }, 'webhook delivery failed');
  }

  private async scheduleNext(): Promise<void> {
    const [next] = await selectRows<{ at: string | Date | null }>(
      this.db,
      sql`select min(next_attempt_at) as at from webhook_deliveries where status = 'PENDING'`,
    );
    if (this.stopped || !next?.at) return;
    const wait = Math.max(10, new Date(next.at).getTime() - Date.now());
    this.wakeIn(Math.min(wait, MAX_RETRY_MS));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
