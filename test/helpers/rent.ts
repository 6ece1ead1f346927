// Fixtures for rent and subsidy tests: households registered through the API, tenancies written
// directly (allocation is another area's), and a snapshot of everything rent writes.
import { eq, sql } from 'drizzle-orm';
import { selectRows, type Db } from '../../src/db/client.js';
import { households, housingUnits, tenancies } from '../../src/db/schema.js';
import { makeResidentId } from '../../src/domain/resident-id.js';
import type { TestHub } from './hub.js';

let n = 0;

function birthDate(i: number): string {
  const d = new Date(Date.UTC(1975, 0, 1 + i * 37));
  return d.toISOString().slice(0, 10);
}

/** A household of `size` members registered through the API; its id. */
export async function registerIn(t: TestHub, districtId: string, options: { applicationDate?: string; size?: number } = {}): Promise<number> {
  const members = Array.from({ length: options.size ?? 2 }, (_, i) => {
    n += 1;
    const born = birthDate(n);
    return {
      residentId: makeResidentId('130827', born, n % 500, i % 2 ? 'FEMALE' : 'MALE'),
      name: `住户${n}`,
      birthDate: born,
      relation: i === 0 ? 'HEAD' : i === 1 ? 'SPOUSE' : 'CHILD',
    };
  });
  const res = await t.gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`, {
    input: { districtId, category: 'LOCAL', applicationDate: options.applicationDate, members, currentHousing: { floorArea: 20, tenure: 'RENTED' } },
  });
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return Number(res.body.data.registerHousehold.id);
}

/** Registered and taken through KC-13 to APPROVED (waitlisted) on `approvedOn`, through the API. */
export async function waitlisted(t: TestHub, districtId: string, applicationDate: string, approvedOn: string, size = 2): Promise<number> {
  const id = await registerIn(t, districtId, { applicationDate, size });
  const [application] = await selectRows<{ id: number }>(t.database.db, sql`select id from applications where household_id = ${id}`);
  for (let step = 0; step < 4; step++) {
    const res = await t.gql(`mutation($input: AdvanceApplicationInput!) { advanceApplication(input: $input) { stage } }`, {
      input: { applicationId: String(application!.id), on: step === 3 ? approvedOn : applicationDate },
    });
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  }
  return id;
}

/** A tenancy of a new unit in the household's district, written directly; its id. */
export async function tenancyFor(t: TestHub, householdId: number, spec: { startDate: string; endDate?: string; monthlyRent?: number }): Promise<number> {
  const db = t.database.db;
  const [household] = await db.select().from(households).where(eq(households.id, householdId));
  n += 1;
  const [unit] = await db
    .insert(housingUnits)
    .values({ districtId: household!.districtId, address: `rent test unit ${n}`, floorArea: 45, status: spec.endDate ? 'FREE' : 'OCCUPIED' })
    .returning();
  const [tenancy] = await db
    .insert(tenancies)
    .values({
      unitId: unit!.id,
      householdId,
      startDate: spec.startDate,
      endDate: spec.endDate ?? null,
      rentStandard: 'STANDARD',
      monthlyRent: spec.monthlyRent ?? 270,
    })
    .returning();
  await db
    .update(households)
    .set({ status: spec.endDate ? 'EXITED' : 'HOUSED' })
    .where(eq(households.id, householdId));
  return tenancy!.id;
}

/** Everything rent and subsidy write, to show that a refused mutation wrote nothing. */
export async function rentSnapshot(db: Db): Promise<Record<string, unknown>> {
  return {
    ledger: await selectRows(db, sql`select tenancy_id, month::text, amount_due::text, amount_paid::text, paid_on::text from rent_ledger order by id`),
    payments: await selectRows(db, sql`select id, reference, allocation from rent_payments order by id`),
    adjustments: await selectRows(
      db,
      sql`select id, monthly_rent::text, effective_from::text, effective_to::text, revoked_at is null as live from rent_adjustments order by id`,
    ),
    subsidies: await selectRows(db, sql`select id, household_id, start_date::text, end_date::text, monthly_amount::text from subsidies order by id`),
    households: await selectRows(db, sql`select id, status from households order by id`),
    batches: await selectRows(db, sql`select id from import_batches order by id`),
  };
}

export async function ledgerOf(db: Db, tenancyId: number) {
  return selectRows<{ month: string; due: number; paid: number; paid_on: string | null }>(
    db,
    sql`select month::text as month, amount_due::float8 as due, amount_paid::float8 as paid, paid_on::text as paid_on from rent_ledger where tenancy_id = ${tenancyId} order by month`,
  );
}
