import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../../src/db/client.js';

const TABLES = ['households', 'persons', 'current_housing', 'applications', 'application_events', 'waitlist_entries'];

/** Row counts and the latest application state: enough to see that a refused mutation wrote nothing. */
export async function snapshot(db: Db): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const table of TABLES) {
    const [row] = await selectRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from ${table}`));
    out[table] = row?.n;
  }
  out['applications:state'] = await selectRows(db, sql`select id, stage, stage_entered_on, stage_deadline from applications order by id`);
  out['households:status'] = await selectRows(db, sql`select id, status from households order by id`);
  return out;
}
