// Item 20 of #13: a page of alerts with their histories, and a page of webhook deliveries with their
// alerts, each cost a fixed number of SQL statements however long the page (no N+1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertEvents, alerts, webhookDeliveries, webhookEndpoints } from '../src/detection/tables.js';
import { startTestHub, type TestHub } from './helpers/hub.js';
import { buildHousehold } from './helpers/scenario.js';

const ALERTS = 40;
let t: TestHub;

beforeAll(async () => {
  t = await startTestHub();
  const householdId = Number(await buildHousehold(t, {}));
  const db = t.database.db;
  const rows = await db
    .insert(alerts)
    .values(
      Array.from({ length: ALERTS }, (_, i) => ({
        householdId,
        districtId: 'KC-KCZ',
        rule: 'TEST_RULE',
        article: 'KC-00',
        severity: 'LOW' as const,
        action: 'look',
        period: `p-${i}`,
        summary: `alert ${i}`,
        evidence: {},
      })),
    )
    .returning();
  await db.insert(alertEvents).values(
    rows.flatMap((a) => [
      { alertId: a.id, status: 'OPEN' as const, by: 'test' },
      { alertId: a.id, status: 'ACKNOWLEDGED' as const, by: 'test', note: `seen ${a.period}` },
    ]),
  );
  const [endpoint] = await db
    .insert(webhookEndpoints)
    .values({ url: 'http://127.0.0.1:9/none', secret: 'x'.repeat(32), createdBy: 'test' })
    .returning();
  // parked: the dispatcher leaves them alone
  await db.insert(webhookDeliveries).values(rows.map((a) => ({ endpointId: endpoint!.id, alertId: a.id, status: 'PARKED' as const })));
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const statements = (res: { headers: Headers }) => Number(res.headers.get('x-sql-statements'));

describe('alert pages load related records in batches', () => {
  it('alerts { history } costs the same for 1 alert as for 40', async () => {
    const query = `query($n: Int) { alerts(first: $n) { nodes { id period history { status note } } } }`;
    const one = await t.gql(query, { n: 1 });
    const all = await t.gql(query, { n: 100 });
    expect(all.body.errors).toBeUndefined();
    const nodes = all.body.data.alerts.nodes as { period: string; history: { status: string; note: string | null }[] }[];
    expect(nodes).toHaveLength(ALERTS);
    // each alert gets its own history, in order
    for (const node of nodes)
      expect(node.history).toEqual([
        { status: 'OPEN', note: null },
        { status: 'ACKNOWLEDGED', note: `seen ${node.period}` },
      ]);
    expect(statements(all)).toBe(statements(one));
    expect(statements(all)).toBeLessThanOrEqual(4);
  });

  it('alerts with their household and exit case cost the same for 1 alert as for 40', async () => {
    const query = `query($n: Int) { alerts(first: $n) { totalCount nodes { id household { id district { id } } exitCase { id } history { status } } } }`;
    const one = await t.gql(query, { n: 1 });
    const all = await t.gql(query, { n: 100 });
    expect(all.body.errors).toBeUndefined();
    expect(all.body.data.alerts.nodes).toHaveLength(ALERTS);
    expect(statements(all)).toBe(statements(one));
    expect(statements(all)).toBeLessThanOrEqual(6);
  });

  it('webhookDeliveries { alert } costs the same for 1 delivery as for 40', async () => {
    const query = `query($n: Int) { webhookDeliveries(first: $n) { id status alert { id period } } }`;
    const one = await t.gql(query, { n: 1 });
    const all = await t.gql(query, { n: 100 });
    expect(all.body.errors).toBeUndefined();
    const deliveries = all.body.data.webhookDeliveries as { alert: { period: string } }[];
    expect(deliveries).toHaveLength(ALERTS);
    expect(new Set(deliveries.map((d) => d.alert.period)).size).toBe(ALERTS);
    expect(statements(all)).toBe(statements(one));
    expect(statements(all)).toBeLessThanOrEqual(4);
  });
});
