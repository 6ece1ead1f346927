import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../../src/db/client.js';

/** Everything a reported change, a special difficulty or an exception could write: to see a refused one wrote nothing. */
export async function householdSnapshot(db: Db): Promise<unknown> {
  return {
    persons: await selectRows(db, sql`select id, household_id, relation, left_on, left_reason from persons order by id`),
    housing: await selectRows(db, sql`select household_id, floor_area, tenure from current_housing order by household_id`),
    changes: await selectRows(db, sql`select count(*)::int as n from household_changes`),
    difficulties: await selectRows(db, sql`select id, removed_at from special_difficulties order by id`),
    exceptions: await selectRows(db, sql`select id, revoked_at from qualification_exceptions order by id`),
  };
}
