// Monthly range partitions of the series that grow by month (utility readings: drizzle/0013). The job
// queue makes each month's partition ahead of its readings, and gives any month whose readings came
// before their partition (old months in a first load, months beyond the horizon) one of its own.
import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { selectRows } from './sql.js';

/** months made ahead of the current one */
export const MONTHS_AHEAD = 3;

/**
 * Makes the partitions of ut_readings for `today`'s month and the MONTHS_AHEAD after it, and for every
 * month found in its default partition; answers the partitions it made or found, oldest first.
 */
export async function ensureReadingPartitions(db: Db, today: string, monthsAhead = MONTHS_AHEAD): Promise<string[]> {
  const rows = await selectRows<{ name: string }>(
    db,
    sql`select ut_readings_month_partition(m) as name from (
          select (date_trunc('month', ${today}::date) + make_interval(months => i))::date as m from generate_series(0, ${monthsAhead}::int) i
          union
          select distinct date_trunc('month', month)::date from ut_readings_default
        ) months order by m`,
  );
  return rows.map((r) => r.name);
}
