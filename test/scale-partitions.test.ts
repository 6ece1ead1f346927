// Issue 17, item 4: utility readings in monthly range partitions (drizzle/0013), made ahead by the job
// queue (src/db/partitions.ts), fed through the parent, pruned to the months a query asks, and an old
// month detachable. On PGlite and PostgreSQL alike.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectRows } from '../src/db/client.js';
import { ensureReadingPartitions, MONTHS_AHEAD } from '../src/db/partitions.js';
import { startTestHub, TEST_TODAY, type TestHub } from './helpers/hub.js';
import { housedHousehold } from './helpers/scenario.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
});
afterAll(async () => {
  await t?.close();
});

const partitions = async () =>
  (
    await selectRows<{ name: string }>(
      t.database.db,
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'ut_readings'::regclass order by 1`,
    )
  ).map((r) => r.name);

/** where the unit's readings are: partition → rows */
const placement = async (unitId: number) =>
  Object.fromEntries(
    (
      await selectRows<{ partition: string; n: number }>(
        t.database.db,
        sql`select tableoid::regclass::text as partition, count(*)::int as n from ut_readings where unit_id = ${unitId} group by 1 order by 1`,
      )
    ).map((r) => [r.partition, r.n]),
  );

async function feed(unitId: number, months: string[], key: string, water = 6) {
  const res = await t.gql(`mutation($k: String!, $r: UtilitiesRecords!) { submitUtilitiesFeed(batchKey: $k, records: $r) { status } }`, {
    k: key,
    r: {
      reading: months.flatMap((month) => [
        { unitId, month, kind: 'WATER', quantity: water, unit: 'm3' },
        { unitId, month, kind: 'ELECTRICITY', quantity: 150, unit: 'kWh' },
      ]),
    },
  });
  expect(res.body.errors).toBeUndefined();
}

const monthName = (iso: string) => `ut_readings_${iso.slice(0, 4)}_${iso.slice(5, 7)}`;

describe('utility readings in monthly partitions', () => {
  it('is a table partitioned by range of month, with a default partition and the months ahead made by the migration', async () => {
    const [table] = await selectRows<{ kind: string; strategy: string }>(
      t.database.db,
      sql`select c.relkind::text as kind, p.partstrat::text as strategy from pg_class c join pg_partitioned_table p on p.partrelid = c.oid where c.relname = 'ut_readings'`,
    );
    expect(table).toEqual({ kind: 'p', strategy: 'r' });
    const [{ now } = { now: '' }] = await selectRows<{ now: string }>(t.database.db, sql`select to_char(now(), 'YYYY-MM') as now`);
    expect(await partitions()).toEqual(expect.arrayContaining(['ut_readings_default', monthName(now)]));
  });

  it("feeds readings of months with no partition into the default one; the job's step gives each month its own and moves them", async () => {
    const { unitId } = await housedHousehold(t);
    await feed(unitId, ['2024-01', '2024-02', '2024-03'], 'part-1');
    expect(await placement(unitId)).toEqual({ ut_readings_default: 6 });

    const made = await ensureReadingPartitions(t.database.db, TEST_TODAY);
    // the bureau's month and the ones ahead, and each month found in the default partition
    expect(made).toEqual(
      expect.arrayContaining(['ut_readings_2024_01', 'ut_readings_2024_02', 'ut_readings_2024_03', 'ut_readings_2026_11', 'ut_readings_2027_02']),
    );
    expect(made).toHaveLength(new Set(made).size);
    expect(MONTHS_AHEAD).toBe(3);
    expect(await placement(unitId)).toEqual({ ut_readings_2024_01: 2, ut_readings_2024_02: 2, ut_readings_2024_03: 2 });
    // again: nothing left in the default partition; the months ahead are found, not made again
    expect(await ensureReadingPartitions(t.database.db, TEST_TODAY)).toEqual([
      'ut_readings_2026_11',
      'ut_readings_2026_12',
      'ut_readings_2027_01',
      'ut_readings_2027_02',
    ]);
    expect(await placement(unitId)).toEqual({ ut_readings_2024_01: 2, ut_readings_2024_02: 2, ut_readings_2024_03: 2 });

    // a month with a partition takes its readings straight away; the API reads through the parent as before
    await t.database.db.execute(sql`select ut_readings_month_partition('2025-06-01')`);
    await feed(unitId, ['2025-06'], 'part-2');
    expect(await placement(unitId)).toMatchObject({ ut_readings_2025_06: 2 });
    const res = await t.gql(`query($id: ID!) { housingUnit(id: $id) { utilityUse(from: "2024-01-01", to: "2026-12-31") { month kind } } }`, {
      id: String(unitId),
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.housingUnit.utilityUse).toHaveLength(8);
  });

  it('a re-sent reading replaces the one in its partition, the previous value kept in history; the same values again change nothing', async () => {
    const { unitId } = await housedHousehold(t);
    await feed(unitId, ['2024-02', '2024-03'], 'part-h1');
    const history = () =>
      selectRows<{ key: unknown; previous: string }>(
        t.database.db,
        sql`select natural_key as key, previous->>'quantity' as previous from agency_record_history where kind = 'reading' and natural_key->>0 = ${String(unitId)} order by id`,
      );
    await feed(unitId, ['2024-03'], 'part-h2', 9);
    expect(await history()).toEqual([{ key: [unitId, 'WATER', '2024-03-01'], previous: '6.000' }]);
    const [current] = await selectRows<{ quantity: string; partition: string }>(
      t.database.db,
      sql`select quantity::text, tableoid::regclass::text as partition from ut_readings where unit_id = ${unitId} and kind = 'WATER' and month = '2024-03-01'`,
    );
    expect(current).toEqual({ quantity: '9.000', partition: 'ut_readings_2024_03' });
    await feed(unitId, ['2024-02', '2024-03'], 'part-h3', 9);
    // 2024-02's water went from 6 to 9; 2024-03, the same values, nothing
    expect((await history()).map((h) => h.previous)).toEqual(['6.000', '6.000']);
    expect(await placement(unitId)).toEqual({ ut_readings_2024_02: 2, ut_readings_2024_03: 2 });
  });

  it('reads only the partitions of the months a query asks for', async () => {
    const plan = (
      await selectRows<{ 'QUERY PLAN': string }>(
        t.database.db,
        sql`explain (costs off) select * from ut_readings where unit_id = any(${sql.param([1, 2, 3])}::int[]) and month >= date '2024-02-01' and month < date '2024-04-01'`,
      )
    )
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    // "Index Scan using … on ut_readings_2024_02 ut_readings_1": the partition after "on"
    const scanned = [...new Set([...plan.matchAll(/ on (ut_readings_\w+)/g)].map((m) => m[1]))].sort();
    expect(scanned).toEqual(['ut_readings_2024_02', 'ut_readings_2024_03']);
  });

  it('detaches an old month: out of every query through the table, kept as a table of its own', async () => {
    const { unitId } = await housedHousehold(t);
    await feed(unitId, ['2024-01', '2024-02'], 'part-3');
    expect(await placement(unitId)).toEqual({ ut_readings_2024_01: 2, ut_readings_2024_02: 2 });
    await t.database.db.execute(sql`alter table ut_readings detach partition ut_readings_2024_01`);
    expect(await placement(unitId)).toEqual({ ut_readings_2024_02: 2 });
    const [{ kept } = { kept: 0 }] = await selectRows<{ kept: number }>(t.database.db, sql`select count(*)::int as kept from ut_readings_2024_01`);
    expect(kept).toBe(4);
    // a detached month is not made again; a reading for it waits in the default partition
    await ensureReadingPartitions(t.database.db, TEST_TODAY);
    expect(await partitions()).not.toContain('ut_readings_2024_01');
  });
});
