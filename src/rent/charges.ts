// Monthly rent charges: a ledger row per tenancy and month, from the tenancy's first month through
// the current one (an ended tenancy through its last month). Idempotent per (tenancy, month), so a
// run catches up every month missed while the hub was down and running it again writes nothing.
import { sql, type SQL } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.js';
import { monthOf } from './months.js';

/**
 * The charge in force for a tenancy's month: the latest decision (KC-17) not revoked that covers the
 * month, else the tenancy's own monthly rent. `tenancy` and `month` are SQL expressions.
 */
export function chargeInForce(tenancy: SQL, month: SQL, baseRent: SQL): SQL {
  return sql`coalesce((
    select a.monthly_rent from rent_adjustments a
    where a.tenancy_id = ${tenancy} and a.revoked_at is null
      and a.effective_from <= ${month} and (a.effective_to is null or a.effective_to > ${month})
    order by a.effective_from desc, a.id desc limit 1
  ), ${baseRent})`;
}

export interface RentChargeRun {
  /** ledger rows written by this run */
  created: number;
  /** tenancies that got at least one new row */
  tenancies: number;
  /** the last month charged */
  throughMonth: string;
}

/** Writes the missing ledger rows of every tenancy (or of the given ones) through today's month. */
export async function chargeRent(db: Db, today: string, tenancyIds?: readonly number[]): Promise<RentChargeRun> {
  const through = monthOf(today);
  const only = tenancyIds ? sql`and t.id = any(${sql.param([...tenancyIds])}::int[])` : sql``;
  const [row] = await selectRows<{ created: number | string; tenancies: number | string }>(
    db,
    sql`with due as (
      select t.id as tenancy_id, m::date as month, t.monthly_rent
      from tenancies t
      cross join lateral generate_series(
        date_trunc('month', t.start_date::timestamp),
        least(date_trunc('month', coalesce(t.end_date, ${through}::date)::timestamp), ${through}::timestamp),
        interval '1 month'
      ) as m
      where t.start_date <= ${today}::date ${only}
    ), written as (
      insert into rent_ledger (tenancy_id, month, amount_due)
      select d.tenancy_id, d.month, ${chargeInForce(sql`d.tenancy_id`, sql`d.month`, sql`d.monthly_rent`)}
      from due d
      where not exists (select 1 from rent_ledger l where l.tenancy_id = d.tenancy_id and l.month = d.month)
      on conflict (tenancy_id, month) do nothing
      returning tenancy_id
    )
    select count(*) as created, count(distinct tenancy_id) as tenancies from written`,
  );
  return { created: Number(row?.created ?? 0), tenancies: Number(row?.tenancies ?? 0), throughMonth: through };
}

/**
 * Re-prices a tenancy's charged months in [from, to) to the charge now in force, where it matters: a
 * month paid in full at the charge it had stays settled (no refund) unless the new charge is higher;
 * a month still owing gets the new charge, never below what was already paid for it.
 */
export async function repriceMonths(db: Db, tenancyId: number, from: string, to: string | null): Promise<number> {
  const rows = await selectRows<{ id: number }>(
    db,
    sql`update rent_ledger l set amount_due = greatest(c.charge, l.amount_paid)
      from (
        select l2.id, ${chargeInForce(sql`l2.tenancy_id`, sql`l2.month`, sql`t.monthly_rent`)} as charge
        from rent_ledger l2 join tenancies t on t.id = l2.tenancy_id
        where l2.tenancy_id = ${tenancyId} and l2.month >= ${from}::date ${to ? sql`and l2.month < ${to}::date` : sql``}
      ) c
      where l.id = c.id and l.amount_paid < greatest(l.amount_due, c.charge) and l.amount_due <> greatest(c.charge, l.amount_paid)
      returning l.id`,
  );
  return rows.length;
}
