// Issue 12: the demo is written through the API, as a bureau would build the same records, so demo
// and production follow one path. Every household ends where the plan puts it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../src/demo/generator.js';
import { seedDemoIfEmpty } from '../src/demo/seed.js';
import { startTestHub, TEST_TODAY, type TestHub } from './helpers/hub.js';

const PLAN = { households: 40, seed: 5, today: TEST_TODAY };

describe('the demo, seeded through the API on a fresh install', () => {
  let t: TestHub;
  const rows = async <T>(query: ReturnType<typeof sql>) => ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;

  beforeAll(async () => {
    t = await startTestHub({ bare: true });
    expect(await seedDemoIfEmpty(t.hub, t.database, PLAN)).toBe(true);
  }, 600_000);
  afterAll(async () => {
    await t?.close();
  });

  it('puts every household in its planned status', async () => {
    const plan = generateDemoData(PLAN);
    const planned: Record<string, number> = {};
    for (const h of plan.households) planned[h.status] = (planned[h.status] ?? 0) + 1;
    const actual = await rows<{ status: string; n: number }>(sql`select status, count(*)::int as n from households group by status`);
    expect(Object.fromEntries(actual.map((r) => [r.status, r.n]))).toEqual(planned);
  });

  it('lets every housed household live in an occupied unit, charged and (mostly) paid through the ledger', async () => {
    const res = await t.gql(
      `{ households(first: 100, filter: { status: HOUSED }) { nodes { unit { status } tenancy { monthlyRent rentLedger { amountDue amountPaid } offer { status } } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const housed = res.body.data.households.nodes as {
      unit: { status: string };
      tenancy: { monthlyRent: number; rentLedger: { amountDue: number; amountPaid: number }[]; offer: { status: string } };
    }[];
    expect(housed.length).toBeGreaterThan(0);
    for (const h of housed) {
      expect(h.unit.status).toBe('OCCUPIED');
      expect(h.tenancy.offer.status).toBe('ACCEPTED');
      expect(h.tenancy.rentLedger.length).toBeGreaterThan(0);
    }
    const paid = housed.flatMap((h) => h.tenancy.rentLedger).filter((l) => l.amountPaid === l.amountDue).length;
    expect(paid).toBeGreaterThan(0);
  });

  it('leaves exited households with an ended tenancy and a completed case, their units free again', async () => {
    const exited = await rows<{ cases: number; running: number }>(
      sql`select (select count(*)::int from exit_cases where status = 'COMPLETED') as cases, (select count(*)::int from tenancies t join households h on h.id = t.household_id where h.status = 'EXITED' and t.end_date is null) as running`,
    );
    const planned = generateDemoData(PLAN).households.filter((h) => h.status === 'EXITED').length;
    expect(exited[0]).toEqual({ cases: planned, running: 0 });
    const units = await rows<{ status: string; n: number }>(sql`select status, count(*)::int as n from housing_units group by status order by status`);
    const occupied = units.find((u) => u.status === 'OCCUPIED')?.n ?? 0;
    const housed = (await rows<{ n: number }>(sql`select count(*)::int as n from households where status = 'HOUSED'`))[0]!.n;
    expect(occupied).toBe(housed);
  });

  it('ends with the daily inspection: the arrears the planned non-payers ran up are alerts', async () => {
    const arrears = await rows<{ n: number }>(sql`select count(*)::int as n from alerts where rule like 'RENT_ARREARS%'`);
    expect(arrears[0]!.n).toBeGreaterThan(0);
  });

  it('records who made each record: the demo seeder, in the audit log', async () => {
    const audit = await rows<{ action: string }>(sql`select distinct action from audit_log where actor = 'demo-seed' order by action`);
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'createDistrict',
        'registerHousehold',
        'advanceApplication',
        'offerUnit',
        'acceptOffer',
        'chargeRent',
        'importRentPayments',
        'completeExit',
        'runDetection',
      ]),
    );
  });

  it('does nothing when the hub already has households', async () => {
    expect(await seedDemoIfEmpty(t.hub, t.database, PLAN)).toBe(false);
  });
});
