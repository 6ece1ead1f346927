// Item 10 of #13: the webhook dispatcher survives a database error on its own: a delivery due while
// the database refused its queries is sent once the database answers again, with no new alert to wake it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceAlerts } from '../src/detection/bus.js';
import { alerts, webhookDeliveries, webhookEndpoints } from '../src/detection/tables.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { receiver } from './helpers/receiver.js';
import { buildHousehold } from './helpers/scenario.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub({ env: { WEBHOOK_BACKOFF_MS: '50' } });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('webhook dispatcher after a database error', () => {
  it('retries by itself and delivers what fell due during the outage', async () => {
    const hook = await receiver(204);
    const received = hook.received;
    try {
      const db = t.database.db;
      const householdId = Number(await buildHousehold(t, {}));
      const [endpoint] = await db
        .insert(webhookEndpoints)
        .values({ url: hook.url, secret: 'x'.repeat(32), createdBy: 'test' })
        .returning();
      // the outage: every claim of the dispatcher fails (its query names this table)
      await db.execute(sql`alter table webhook_endpoints rename to webhook_endpoints_away`);
      const [alert] = await db
        .insert(alerts)
        .values({
          householdId,
          districtId: 'KC-KCZ',
          rule: 'TEST_RULE',
          article: 'KC-00',
          severity: 'LOW',
          action: 'look',
          period: 'outage',
          summary: 'during the outage',
          evidence: {},
        })
        .returning();
      await db.insert(webhookDeliveries).values({ endpointId: endpoint!.id, alertId: alert!.id });
      await announceAlerts(db, [alert!.id]); // wakes the dispatcher, whose run fails
      await new Promise((r) => setTimeout(r, 500));
      expect(received).toHaveLength(0);
      await db.execute(sql`alter table webhook_endpoints_away rename to webhook_endpoints`);
      // no further alert: the dispatcher must come back on its own
      const deadline = Date.now() + 10_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]!.body).alert.id).toBe(alert!.id);
      const [delivery] = await db.select().from(webhookDeliveries);
      expect(delivery!.status).toBe('DELIVERED');
    } finally {
      await hook.close();
    }
  }, 30_000);
});
