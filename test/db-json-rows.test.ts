// Rows read through JSON (src/db/json-rows.ts) are the rows drizzle reads, value for value and type for type
// (dates as strings, money as numbers, timestamps as Date, nulls), and a statement prepared under a name
// (selectRows `prepared`) answers as the same statement unnamed, on both databases.
import { asc, sql } from 'drizzle-orm';
import { date, pgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/auth/tables.js';
import { selectRows } from '../src/db/client.js';
import { jsonRows } from '../src/db/json-rows.js';
import { applications, currentHousing, districts, households, housingUnits, persons, rentLedger, tenancies } from '../src/db/schema.js';
import { policyParameters } from '../src/policy/tables.js';
import { testDatabaseKind } from './helpers/db.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

describe('rows through JSON', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ households: 30, seed: 4 });
  });
  afterAll(async () => {
    await t?.close();
  });

  // each with the column that orders it
  const tables = {
    households: [households, households.id],
    persons: [persons, persons.id],
    currentHousing: [currentHousing, currentHousing.householdId],
    tenancies: [tenancies, tenancies.id],
    rentLedger: [rentLedger, rentLedger.id],
    housingUnits: [housingUnits, housingUnits.id],
    applications: [applications, applications.id],
    policyParameters: [policyParameters, policyParameters.id],
  } as const;

  it.each(Object.entries(tables))('decodes %s exactly as drizzle reads them', async (_, [table, id]) => {
    const db = t.database.db;
    const expected = await db.select().from(table).orderBy(asc(id));
    expect(expected.length).toBeGreaterThan(0);
    const shape = jsonRows(table);
    const [row] = await selectRows<{ r: unknown }>(db, sql`select ${shape.select(sql`true`, asc(id))} as r`);
    expect(shape.build(row!.r)).toEqual(expected);
  });

  it('decodes a table keyed by text, with a timestamp, and nothing found as no rows', async () => {
    const db = t.database.db;
    const shape = jsonRows(districts);
    const [row] = await selectRows<{ all: unknown; none: unknown }>(
      db,
      sql`select ${shape.select(sql`true`, asc(districts.id))} as all, ${shape.select(sql`${districts.id} = 'nowhere'`)} as none`,
    );
    const decoded = shape.build(row!.all);
    expect(decoded).toEqual(await db.select().from(districts).orderBy(asc(districts.id)));
    expect(decoded[0]!.updatedAt).toBeInstanceOf(Date);
    expect(shape.build(row!.none)).toEqual([]);
  });

  it("keeps a running tenancy's null end date, its rent as a number and its creation time as a Date", async () => {
    const db = t.database.db;
    const shape = jsonRows(tenancies);
    const [row] = await selectRows<{ r: unknown }>(db, sql`select ${shape.select(sql`true`, asc(tenancies.id))} as r`);
    const decoded = shape.build(row!.r);
    const running = decoded.find((x) => x.endDate === null);
    expect(running).toBeDefined();
    expect(typeof running!.monthlyRent).toBe('number');
    expect(running!.createdAt).toBeInstanceOf(Date);
  });

  it('refuses, when defined, a column it cannot decode from JSON', () => {
    const dated = pgTable('dated', { on: date('on', { mode: 'date' }) });
    expect(() => jsonRows(dated)).toThrow(/column on of PgDate has no JSON decoding/);
    // a bigint in number mode is a JSON number
    expect(() => jsonRows(auditLog)).not.toThrow();
  });

  it('answers a statement prepared under a name as the same statement unnamed, values changed', async () => {
    const db = t.database.db;
    const statement = (from: number) =>
      sql`select coalesce(json_agg(${households.id} order by ${households.id}), '[]') as ids from ${households} where ${households.id} >= ${from}`;
    for (const from of [1, 10, 20, 10, 1, 25, 5]) {
      const [named] = await selectRows<{ ids: number[] }>(db, statement(from), true);
      const [unnamed] = await selectRows<{ ids: number[] }>(db, statement(from));
      expect(named).toEqual(unnamed);
      expect(named!.ids[0]).toBe(from);
    }
    if (testDatabaseKind === 'postgres') {
      // named on PostgreSQL: the connection keeps it (one connection: a transaction)
      const names = await db.transaction(async (tx) => {
        await selectRows(tx as unknown as typeof db, statement(3), true);
        return selectRows<{ name: string; statement: string }>(tx as unknown as typeof db, sql`select name, statement from pg_prepared_statements`);
      });
      expect(names.find((n) => n.statement.includes('coalesce(json_agg'))?.name).toMatch(/^hub_\d+$/);
    }
  });
});
