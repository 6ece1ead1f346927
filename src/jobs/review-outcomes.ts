// What a review run found, household by household: the verdict it stored for each household of its
// finished chunks (a DAILY run stores none: only its alerts). The dashboard links each to its profile.
import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.js';
import type { ReviewRun } from './reviews.js';

export type ReviewVerdict = 'ELIGIBLE' | 'INELIGIBLE' | 'UNKNOWN';

export interface ReviewedHousehold {
  householdId: number;
  /** null: the run stores no evaluation (DAILY), or none was stored for the household */
  verdict: ReviewVerdict | null;
}

/** worst first: the households a manager acts on lead the list */
const WORST_FIRST = sql.raw(`case outcome when 'INELIGIBLE' then 0 when 'UNKNOWN' then 1 when 'ELIGIBLE' then 2 else 3 end`);

function reviewedQuery(run: ReviewRun) {
  return sql`with ids as (
      select distinct (jsonb_array_elements_text(c.household_ids))::int as household_id
      from review_chunks c where c.run_id = ${run.id} and c.done_at is not null
    )
    select ids.household_id, e.outcome
    from ids left join lateral (
      select q.outcome from qualification_evaluations q
      where q.household_id = ids.household_id and q.evaluated_by = ${`review ${run.kind}`} and q.as_of = ${run.asOf}
      order by q.id desc limit 1
    ) e on true`;
}

/** the households a run reviewed so far, worst verdict first, then by id; optionally of one verdict */
export async function reviewedHouseholds(db: Db, run: ReviewRun, verdict: ReviewVerdict | null, first: number): Promise<ReviewedHousehold[]> {
  const rows = await selectRows<{ household_id: number; outcome: ReviewVerdict | null }>(
    db,
    sql`select * from (${reviewedQuery(run)}) r ${verdict ? sql`where r.outcome = ${verdict}` : sql``}
        order by ${WORST_FIRST}, r.household_id
        limit ${first}`,
  );
  return rows.map((r) => ({ householdId: Number(r.household_id), verdict: r.outcome }));
}

/** how many of the reviewed households got each verdict (null: none stored) */
export async function reviewVerdictCounts(db: Db, run: ReviewRun): Promise<{ verdict: ReviewVerdict | null; count: number }[]> {
  const rows = await selectRows<{ outcome: ReviewVerdict | null; n: number }>(
    db,
    sql`select e.outcome, count(*)::int as n from (${reviewedQuery(run)}) e group by e.outcome order by ${WORST_FIRST}`,
  );
  return rows.map((r) => ({ verdict: r.outcome, count: Number(r.n) }));
}
