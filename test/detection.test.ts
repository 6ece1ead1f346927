import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { households, tenancies } from '../src/db/schema.js';
import { testDatabaseKind } from './helpers/db.js';
import { startTestHub, TEST_JWT_SECRET, type TestHub } from './helpers/hub.js';
import { buildHousehold, housedHousehold, memberIds } from './helpers/scenario.js';

let t: TestHub;
let batch = 0;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

const housed = (unpaid: string[] = []) => housedHousehold(t, unpaid);

async function alertsOf(id: string) {
  const res = await t.gql(
    `query($id: ID!) { alerts(filter: { householdId: $id }, first: 50) { totalCount nodes { id rule severity period summary status article } } }`,
    { id },
  );
  return res.body.data.alerts.nodes as { id: string; rule: string; severity: string; period: string; summary: string; status: string; article: string }[];
}

async function run(id: string) {
  const res = await t.gql(`mutation($ids: [ID!]) { runDetection(householdIds: $ids) }`, { ids: [id] });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.runDetection as number;
}

function readings(unitId: number, use: Record<string, boolean>) {
  return Object.entries(use).flatMap(([month, occupied]) => [
    { unitId, month, kind: 'WATER', quantity: occupied ? 6 : 0, unit: 'm3' },
    { unitId, month, kind: 'ELECTRICITY', quantity: occupied ? 150 : 2, unit: 'kWh' },
    { unitId, month, kind: 'GAS', quantity: occupied ? 10 : 0.2, unit: 'm3' },
  ]);
}

async function feedReadings(unitId: number, use: Record<string, boolean>, key = `ut-${++batch}`) {
  const res = await t.gql(`mutation($k: String!, $r: UtilitiesRecords!) { submitUtilitiesFeed(batchKey: $k, records: $r) { status replayed alertsRaised } }`, {
    k: key,
    r: { reading: readings(unitId, use) },
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.submitUtilitiesFeed as { status: string; replayed: boolean; alertsRaised: number };
}

const months = (from: number, to: number, occupied: boolean) =>
  Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [`2026-${String(from + i).padStart(2, '0')}`, occupied]));

describe('rent arrears (KC-19(2): 6 months in total)', () => {
  it('raises an early warning at 5 months unpaid in total', async () => {
    const { id } = await housed(['2025-12', '2026-02', '2026-04', '2026-06', '2026-08']);
    await run(id);
    expect((await alertsOf(id)).map((a) => [a.rule, a.severity])).toEqual([['RENT_ARREARS_WARNING', 'MEDIUM']]);
  });

  it('raises the exit alert at 6 months unpaid in total, not consecutive', async () => {
    const { id } = await housed(['2025-12', '2026-02', '2026-04', '2026-06', '2026-08', '2026-10']);
    await run(id);
    expect((await alertsOf(id)).map((a) => [a.rule, a.severity, a.period, a.article])).toEqual([['RENT_ARREARS_EXIT', 'HIGH', '2025-12', 'KC-19(2)']]);
  });

  it('raises nothing at 2 months', async () => {
    const { id } = await housed(['2026-01', '2026-05']);
    await run(id);
    expect(await alertsOf(id)).toEqual([]);
  });
});

describe('vacancy (KC-19(1): 6 consecutive months of near-zero use), raised by the utilities feed', () => {
  it('6 empty months raise the exit alert; 5 only the warning', async () => {
    const six = await housed();
    expect((await feedReadings(six.unitId, { ...months(1, 4, true), ...months(5, 10, false) })).alertsRaised).toBe(1);
    expect((await alertsOf(six.id)).map((a) => [a.rule, a.period])).toEqual([['VACANCY_EXIT', '2026-05']]);

    const five = await housed();
    await feedReadings(five.unitId, { ...months(1, 5, true), ...months(6, 10, false) });
    expect((await alertsOf(five.id)).map((a) => a.rule)).toEqual(['VACANCY_WARNING']);
  });

  it('a single month of use breaks the run', async () => {
    const broken = await housed();
    await feedReadings(broken.unitId, {
      ...months(1, 2, false),
      ...months(3, 3, true),
      ...months(4, 8, false),
      ...months(9, 9, true),
      ...months(10, 10, false),
    });
    expect(await alertsOf(broken.id)).toEqual([]);
  });

  it('a replayed feed, or the same readings sent again, raises nothing new', async () => {
    const h = await housed();
    const use = { ...months(1, 3, true), ...months(4, 10, false) };
    expect((await feedReadings(h.unitId, use, 'ut-replay')).alertsRaised).toBe(1);
    expect(await feedReadings(h.unitId, use, 'ut-replay')).toMatchObject({ replayed: true, alertsRaised: 0 });
    expect((await feedReadings(h.unitId, use, 'ut-resent')).alertsRaised).toBe(0);
    expect(await alertsOf(h.id)).toHaveLength(1);
  });
});

describe('changes reported by agencies', () => {
  it('a death reported by civil affairs raises MEMBER_DEATH', async () => {
    const { id } = await housed();
    const member = { residentId: (await memberIds(t, id))[1]! };
    const res = await t.gql(`mutation($r: CivilAffairsRecords!) { submitCivilAffairsFeed(batchKey: "death-1", records: $r) { alertsRaised } }`, {
      r: { death: [{ residentId: member.residentId, diedOn: '2026-11-02' }] },
    });
    expect(res.body.data.submitCivilAffairsFeed.alertsRaised).toBe(1);
    expect((await alertsOf(id)).map((a) => a.rule)).toEqual(['MEMBER_DEATH']);
  });

  it('a housed family buying a car over the limit raises VEHICLE_ABOVE_LIMIT, and QUALIFICATION_FLIPPED as it was ELIGIBLE', async () => {
    const { id } = await housed();
    const head = { residentId: (await memberIds(t, id))[0]! };
    await t.gql(`mutation($r: PublicSecurityRecords!) { submitPublicSecurityFeed(batchKey: "car-1", records: $r) { alertsRaised } }`, {
      r: { vehicle: [{ plate: '冀H55555', ownerResidentId: head.residentId, purchasePrice: 180_000, registeredOn: '2026-11-10' }] },
    });
    expect((await alertsOf(id)).map((a) => [a.rule, a.severity]).sort()).toEqual([
      ['QUALIFICATION_FLIPPED', 'HIGH'],
      ['VEHICLE_ABOVE_LIMIT', 'HIGH'],
    ]);
  });
});

describe('tenancy and review rules', () => {
  it('KC-15: rent at the allowance rate after civil affairs ended the allowance', async () => {
    const { id } = await housed();
    await t.database.db
      .update(tenancies)
      .set({ rentStandard: 'MINIMUM_ALLOWANCE' })
      .where(eq(tenancies.householdId, Number(id)));
    const head = { residentId: (await memberIds(t, id))[0]! };
    const feed = (key: string, until: string | null) =>
      t.gql(`mutation($k: String!, $r: CivilAffairsRecords!) { submitCivilAffairsFeed(batchKey: $k, records: $r) { alertsRaised } }`, {
        k: key,
        r: { allowance: [{ residentId: head.residentId, status: 'MINIMUM_ALLOWANCE', since: '2024-01-01', until }] },
      });
    expect((await feed(`allowance-on-${id}`, null)).body.data.submitCivilAffairsFeed.alertsRaised).toBe(0);
    expect((await feed(`allowance-off-${id}`, '2026-10-31')).body.data.submitCivilAffairsFeed.alertsRaised).toBe(1);
    expect((await alertsOf(id)).map((a) => [a.rule, a.period])).toEqual([['ALLOWANCE_ENDED', '2026-10-31']]);
  });

  it('KC-19(5): water far above what 2 registered persons use, 3 months running', async () => {
    const { id, unitId } = await housed();
    const heavy = (month: string) => [
      { unitId, month, kind: 'WATER', quantity: 25, unit: 'm3' },
      { unitId, month, kind: 'ELECTRICITY', quantity: 400, unit: 'kWh' },
      { unitId, month, kind: 'GAS', quantity: 30, unit: 'm3' },
    ];
    const two = await t.gql(`mutation($r: UtilitiesRecords!) { submitUtilitiesFeed(batchKey: "heavy-2-${id}", records: $r) { alertsRaised } }`, {
      r: { reading: [...readings(unitId, months(1, 7, true)), ...heavy('2026-08'), ...heavy('2026-09')] },
    });
    expect(two.body.data.submitUtilitiesFeed.alertsRaised).toBe(0);
    const three = await t.gql(`mutation($r: UtilitiesRecords!) { submitUtilitiesFeed(batchKey: "heavy-3-${id}", records: $r) { alertsRaised } }`, {
      r: { reading: heavy('2026-10') },
    });
    expect(three.body.data.submitUtilitiesFeed.alertsRaised).toBe(1);
    expect((await alertsOf(id)).map((a) => [a.rule, a.severity, a.period])).toEqual([['USE_ABOVE_HOUSEHOLD', 'LOW', '2026-08']]);
  });

  it('KC-19(5): a sudden jump to twice the usual water use, 3 months running; 2 months, or 1.9×, raise nothing', async () => {
    const use = (unitId: number, water: Record<string, number>) =>
      Object.entries(water).flatMap(([month, quantity]) => [
        { unitId, month, kind: 'WATER', quantity, unit: 'm3' },
        { unitId, month, kind: 'ELECTRICITY', quantity: 150, unit: 'kWh' },
        { unitId, month, kind: 'GAS', quantity: 10, unit: 'm3' },
      ]);
    const usual = { '2026-02': 3, '2026-03': 3, '2026-04': 3.2, '2026-05': 2.8, '2026-06': 3, '2026-07': 3 };
    const send = async (unitId: number, key: string, water: Record<string, number>) => {
      const res = await t.gql(`mutation($r: UtilitiesRecords!) { submitUtilitiesFeed(batchKey: "${key}", records: $r) { rejected } }`, {
        r: { reading: use(unitId, water) },
      });
      expect(res.body.data.submitUtilitiesFeed.rejected).toBe(0);
    };
    const jump = await housed();
    await send(jump.unitId, `jump-a-${jump.id}`, { ...usual, '2026-08': 6, '2026-09': 6.5 });
    expect((await alertsOf(jump.id)).filter((a) => a.rule === 'USE_SUDDEN_JUMP')).toEqual([]);
    await send(jump.unitId, `jump-b-${jump.id}`, { '2026-10': 7 });
    expect((await alertsOf(jump.id)).filter((a) => a.rule === 'USE_SUDDEN_JUMP').map((a) => [a.severity, a.period])).toEqual([['LOW', '2026-08']]);

    const mild = await housed();
    await send(mild.unitId, `mild-${mild.id}`, { ...usual, '2026-08': 5.7, '2026-09': 5.7, '2026-10': 5.7 });
    expect((await alertsOf(mild.id)).filter((a) => a.rule === 'USE_SUDDEN_JUMP')).toEqual([]);
  });

  it('KC-18: a housed household never reviewed is due its annual review; a reviewed one is not', async () => {
    const { id } = await housed();
    await run(id);
    expect(await alertsOf(id)).toEqual([]);
    const fresh = await buildHousehold(t, {});
    await t.database.db
      .update(households)
      .set({ status: 'HOUSED' })
      .where(eq(households.id, Number(fresh)));
    await run(fresh);
    expect((await alertsOf(fresh)).map((a) => [a.rule, a.period])).toEqual([['ANNUAL_REVIEW_DUE', '2026']]);
  });
});

describe('qualification flipped (KC-19(4))', () => {
  async function vehicleBought(id: string, price: number) {
    const head = (await memberIds(t, id))[0]!;
    const res = await t.gql(
      `mutation($k: String!, $r: PublicSecurityRecords!) { submitPublicSecurityFeed(batchKey: $k, records: $r) { alertsRaised rejected } }`,
      {
        k: `car-${id}-${price}`,
        r: { vehicle: [{ plate: `冀H${String(id).padStart(5, '0')}`, ownerResidentId: head, purchasePrice: price, registeredOn: '2026-10-01' }] },
      },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.submitPublicSecurityFeed.rejected).toBe(0);
  }

  it('raises one alert naming the criteria that went from PASS to FAIL since the last ELIGIBLE evaluation', async () => {
    const { id } = await housed(); // reviewed today: ELIGIBLE, stored
    await vehicleBought(id, 150_000);
    const flipped = (await alertsOf(id)).filter((a) => a.rule === 'QUALIFICATION_FLIPPED');
    expect(flipped).toHaveLength(1);
    expect(flipped[0]!.severity).toBe('HIGH');
    expect(flipped[0]!.summary).toContain('LOCAL.VEHICLE_PRICE');
    // the same facts seen again raise nothing new
    await run(id);
    expect((await alertsOf(id)).filter((a) => a.rule === 'QUALIFICATION_FLIPPED')).toHaveLength(1);
  });

  it('raises nothing when the household stays ELIGIBLE (a vehicle under the limit)', async () => {
    const { id } = await housed();
    await vehicleBought(id, 99_000);
    expect((await alertsOf(id)).filter((a) => a.rule === 'QUALIFICATION_FLIPPED')).toEqual([]);
  });

  it('raises nothing for a household never evaluated ELIGIBLE before', async () => {
    const fresh = await buildHousehold(t, { vehicles: [150_000] });
    await run(fresh);
    expect((await alertsOf(fresh)).filter((a) => a.rule === 'QUALIFICATION_FLIPPED')).toEqual([]);
  });
});

describe('alert lifecycle', () => {
  it('goes OPEN → ACKNOWLEDGED → RESOLVED with who and a note, and refuses going back', async () => {
    const { id } = await housed(['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05']);
    await run(id);
    const [alert] = await alertsOf(id);
    const step = (status: string, note?: string) =>
      t.gql(`mutation($input: UpdateAlertInput!) { updateAlert(input: $input) { status history { status by note } } }`, {
        input: { alertId: alert!.id, status, note },
      });
    expect((await step('ACKNOWLEDGED', 'visit booked')).body.data.updateAlert.status).toBe('ACKNOWLEDGED');
    const resolved = await step('RESOLVED', 'arrears paid');
    expect(resolved.body.data.updateAlert.history).toEqual([
      { status: 'OPEN', by: 'detection', note: null },
      { status: 'ACKNOWLEDGED', by: 'admin@test', note: 'visit booked' },
      { status: 'RESOLVED', by: 'admin@test', note: 'arrears paid' },
    ]);
    const back = await step('OPEN');
    expect(back.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.status' });
  });

  it('counts open alerts by rule and district', async () => {
    const res = await t.gql(`{ alertCounts { rule districtId count } }`);
    const counts = res.body.data.alertCounts as { rule: string; districtId: string; count: number }[];
    expect(counts.find((c) => c.rule === 'VACANCY_EXIT')).toMatchObject({ districtId: 'KC-KCZ' });
    expect(counts.every((c) => c.count > 0)).toBe(true);
  });
});

describe('alertRaised subscription (graphql-ws on the hub port)', () => {
  it('delivers an alert raised by a feed on another hub instance sharing the database', async () => {
    const { createClient } = await import('graphql-ws');
    const { default: WebSocket } = await import('ws');
    const { createHub } = await import('../src/server.js');
    const { loadConfig } = await import('../src/config.js');
    const { createLogger } = await import('../src/logger.js');
    // a second instance: same database, its own listening connection and subscribers
    const other = await createHub({
      config: loadConfig({ NODE_ENV: 'test', JOBS_ENABLED: 'false', AUTH_JWT_SECRET: TEST_JWT_SECRET }),
      database: t.database,
      logger: createLogger('silent'),
    });
    const otherUrl = await other.listen(0, '127.0.0.1');
    const client = createClient({
      url: otherUrl.replace('http://', 'ws://'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: await t.adminAuth() },
    });
    try {
      const received: { rule: string; districtId: string; household: { id: string } }[] = [];
      const first = new Promise<void>((resolve, reject) => {
        client.subscribe<{ alertRaised: (typeof received)[number] }>(
          { query: 'subscription { alertRaised(districtId: "KC-KCZ") { rule districtId household { id } } }' },
          {
            next: (message) => {
              if (message.data) received.push(message.data.alertRaised);
              resolve();
            },
            error: reject,
            complete: () => undefined,
          },
        );
      });
      await new Promise((r) => setTimeout(r, 300)); // let the subscription reach the server
      const h = await housed();
      await feedReadings(h.unitId, { ...months(1, 2, true), ...months(3, 10, false) });
      await first;
      expect(received[0]).toEqual({ rule: 'VACANCY_EXIT', districtId: 'KC-KCZ', household: { id: h.id } });
    } finally {
      await client.dispose();
      await other.stop();
    }
  });

  it.runIf(testDatabaseKind === 'postgres')('keeps delivering after PostgreSQL drops the listening connection, alerts raised meanwhile included', async () => {
    const { createClient } = await import('graphql-ws');
    const { default: WebSocket } = await import('ws');
    const client = createClient({
      url: t.url.replace('http://', 'ws://'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: await t.adminAuth() },
    });
    try {
      const received: { household: { id: string } }[] = [];
      const arrived = (count: number) =>
        vi.waitFor(
          () => {
            if (received.length < count) throw new Error(`${received.length} of ${count} alerts`);
          },
          { timeout: 10_000, interval: 50 },
        );
      client.subscribe<{ alertRaised: (typeof received)[number] }>(
        { query: 'subscription { alertRaised { household { id } } }' },
        { next: (m) => void (m.data && received.push(m.data.alertRaised)), error: () => undefined, complete: () => undefined },
      );
      await new Promise((r) => setTimeout(r, 300));
      // what a server restart or failover does to the instance's one listening connection
      const killed = await t.database.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%'`,
      );
      expect((killed as unknown as { rows: unknown[] }).rows.length).toBe(1);
      const first = await housed();
      await feedReadings(first.unitId, { ...months(1, 2, true), ...months(3, 10, false) });
      await arrived(1);
      const second = await housed();
      await feedReadings(second.unitId, { ...months(1, 2, true), ...months(3, 10, false) });
      await arrived(2);
      expect(received.map((r) => r.household.id)).toEqual([first.id, second.id]);
    } finally {
      await client.dispose();
    }
  });
});
