// Hubs over a database a test made itself (a private primary with a replica, or pgbouncer in front),
// queried over HTTP like startTestHub's; several may share one database, as instances in production do.
import { vi } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { generateDemoData, writeDemoData } from '../../src/demo/generator.js';
import { ensurePolicies } from '../../src/policy/service.js';
import { TEST_TODAY, type TestHub } from './hub.js';
import { housedHousehold } from './scenario.js';

/** policies and the five demo districts, as startTestHub writes them */
export async function prepareDatabase(database: Database): Promise<void> {
  await database.migrate();
  await ensurePolicies(database.db);
  await writeDemoData(database, generateDemoData({ households: 0, seed: 7, today: TEST_TODAY }));
}

export { startHubOn } from './hub.js';

/** an open alertRaised subscription on `t` (graphql-ws): what it received */
export async function subscribeAlerts(t: TestHub) {
  const { createClient } = await import('graphql-ws');
  const { default: WebSocket } = await import('ws');
  const client = createClient({
    url: t.url.replace('http://', 'ws://'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: await t.adminAuth() },
  });
  const received: { rule: string; household: { id: string } }[] = [];
  client.subscribe<{ alertRaised: (typeof received)[number] }>(
    { query: 'subscription { alertRaised { rule household { id } } }' },
    { next: (m) => void (m.data && received.push(m.data.alertRaised)), error: () => undefined, complete: () => undefined },
  );
  await new Promise((r) => setTimeout(r, 300)); // let the subscription reach the server
  return {
    received,
    arrived: (count: number) =>
      vi.waitFor(
        () => {
          if (received.length < count) throw new Error(`${received.length} of ${count} alerts`);
        },
        { timeout: 10_000, interval: 50 },
      ),
    dispose: () => client.dispose(),
  };
}

let feeds = 0;

/** a housed household whose utility readings (fed through `t`) show it empty since March: VACANCY_EXIT */
export async function raiseVacancyAlert(t: TestHub): Promise<string> {
  const h = await housedHousehold(t);
  const reading = (month: string, occupied: boolean) => [
    { unitId: h.unitId, month, kind: 'WATER', quantity: occupied ? 6 : 0, unit: 'm3' },
    { unitId: h.unitId, month, kind: 'ELECTRICITY', quantity: occupied ? 150 : 2, unit: 'kWh' },
    { unitId: h.unitId, month, kind: 'GAS', quantity: occupied ? 10 : 0.2, unit: 'm3' },
  ];
  const months = Array.from({ length: 10 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);
  const res = await t.gql(`mutation($k: String!, $r: UtilitiesRecords!) { submitUtilitiesFeed(batchKey: $k, records: $r) { alertsRaised } }`, {
    k: `scale-${process.pid}-${++feeds}`,
    r: { reading: months.flatMap((m, i) => reading(m, i < 2)) },
  });
  if (res.body.errors || res.body.data.submitUtilitiesFeed.alertsRaised !== 1) throw new Error(JSON.stringify(res.body));
  return h.id;
}
