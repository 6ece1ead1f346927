// What a manager sees of the agencies' feeds (read-only: feeds stay the agencies' business): each
// agency's last batches with their counts, and how old its newest data is against the policy's
// freshness limit (EVIDENCE_MAX_AGE_DAYS.<agency>, the age the qualification engine accepts).
import { sql } from 'drizzle-orm';
import { selectRows, type Db } from '../db/client.js';
import { daysBetween } from '../domain/working-days.js';
import type { Parameters } from '../policy/engine.js';
import { AGENCIES, type AgencyId } from './connector.js';

export type AgencyFreshness = 'FRESH' | 'STALE' | 'MISSING';

export interface FeedBatchView {
  id: number;
  batchKey: string;
  mode: 'KEEP_VALID' | 'ALL_OR_NOTHING';
  status: 'ACCEPTED' | 'PARTIAL';
  asOf: string;
  receivedAt: Date;
  received: number;
  accepted: number;
  rejected: number;
}

export interface AgencyFeedView {
  agency: AgencyId;
  /** the newest as-of date of a batch that brought data (an accepted record, or a kind declared complete); null: none */
  newestAsOf: string | null;
  ageDays: number | null;
  /** the policy's limit; null when it sets none for this agency */
  maxAgeDays: number | null;
  /** FRESH when no limit is set and data exists: nothing makes it stale */
  freshness: AgencyFreshness;
  batches: FeedBatchView[];
}

interface BatchRow {
  id: number;
  agency: string;
  batch_key: string;
  mode: FeedBatchView['mode'];
  status: FeedBatchView['status'];
  as_of: string;
  received_at: Date | string;
  received: number | null;
  accepted: number | null;
  rejected: number | null;
}

export const MAX_BATCHES_SHOWN = 50;

export async function agencyFeedStatus(db: Db, params: Parameters, today: string, batchesPerAgency: number): Promise<AgencyFeedView[]> {
  const n = Math.min(Math.max(batchesPerAgency, 0), MAX_BATCHES_SHOWN);
  const [recent, newest] = await Promise.all([
    n === 0
      ? Promise.resolve([] as BatchRow[])
      : selectRows<BatchRow>(
          db,
          sql`select id, agency, batch_key, mode, status, as_of::text as as_of, received_at,
                (result->>'received')::int as received, (result->>'accepted')::int as accepted, (result->>'rejected')::int as rejected
              from (select *, row_number() over (partition by agency order by received_at desc, id desc) as rn from feed_batches) b
              where rn <= ${n}
              order by agency, received_at desc, id desc`,
        ),
    selectRows<{ agency: string; newest: string }>(
      db,
      sql`select agency, max(as_of)::text as newest from feed_batches b
          where coalesce((result->>'accepted')::int, 0) > 0 or exists (select 1 from feed_coverage c where c.batch_id = b.id)
          group by agency`,
    ),
  ]);
  const newestOf = new Map(newest.map((r) => [r.agency, r.newest]));
  return AGENCIES.map((agency) => {
    const newestAsOf = newestOf.get(agency) ?? null;
    const ageDays = newestAsOf === null ? null : daysBetween(newestAsOf, today);
    const maxAgeDays = params.get(`EVIDENCE_MAX_AGE_DAYS.${agency}`)?.value ?? null;
    const freshness: AgencyFreshness = ageDays === null ? 'MISSING' : maxAgeDays !== null && ageDays > maxAgeDays ? 'STALE' : 'FRESH';
    return {
      agency,
      newestAsOf,
      ageDays,
      maxAgeDays,
      freshness,
      batches: recent
        .filter((r) => r.agency === agency)
        .map((r) => ({
          id: r.id,
          batchKey: r.batch_key,
          mode: r.mode,
          status: r.status,
          asOf: r.as_of,
          receivedAt: new Date(r.received_at),
          received: r.received ?? 0,
          accepted: r.accepted ?? 0,
          rejected: r.rejected ?? 0,
        })),
    };
  });
}
