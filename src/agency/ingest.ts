// Feed ingestion, the same for every agency and every size of batch:
//   validate each record at the edge (bad ones reported by index, field and reason),
//   COPY the good ones into a temporary stage table, then merge into the agency's table: new keys
//   inserted, changed values replaced with the previous value kept in agency_record_history,
//   identical values left alone. A key repeated within the batch is found by the merge, which is
//   then undone and run again without the repeats, each reported.
// A batch key already received is answered as a replay of its first result and writes nothing.
import { and, eq, getTableName } from 'drizzle-orm';
import type { z } from 'zod';
import { csvRowOf, isUniqueViolation, type BulkSession, type Database } from '../db/client.js';
import { columnIssue } from './column-limits.js';
import { columnName, type Connector, type RecordKind } from './connector.js';
import { feedBatches } from './tables.js';

export type FeedMode = 'KEEP_VALID' | 'ALL_OR_NOTHING';
export type FeedStatus = 'ACCEPTED' | 'PARTIAL' | 'REFUSED';

export interface RejectedRecord {
  kind: string;
  index: number;
  field: string | null;
  reason: string;
}

export interface FeedResult {
  agency: string;
  batchKey: string;
  mode: FeedMode;
  status: FeedStatus;
  replayed: boolean;
  received: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errors: RejectedRecord[];
  /** true when more records were rejected than `errors` lists */
  errorsTruncated: boolean;
}

/** A record that could not even be parsed (a bad NDJSON line, a CSV row with the wrong number of fields). */
export class UnparsableRecord {
  constructor(readonly reason: string) {}
}

/**
 * Consecutive records of a stream, passed on together: a large file read record by record would
 * spend more on the hand-offs between its reading, validating and copying than on the work.
 */
export class RecordBatch {
  constructor(readonly records: readonly unknown[]) {}
}

export interface FeedPart {
  kind: string;
  /** records, or RecordBatch runs of them, in the order the agency sent them */
  records: Iterable<unknown> | AsyncIterable<unknown>;
}

export interface FeedSubmission {
  batchKey: string;
  mode?: FeedMode;
  /** the date the agency's extract describes; defaults to the day received */
  asOf: string;
  /** the bureau's date: no event a record reports may come after it (defaults to asOf) */
  today?: string;
  parts: FeedPart[];
  /** told, before commit, which subjects (resident IDs or unit ids) each kind's records were about */
  onTouched?: (kind: RecordKind, subjects: (string | number)[]) => void;
  /** runs last inside the batch's transaction (not for a refused batch): what must commit with it */
  inTransaction?: (session: BulkSession) => Promise<void>;
}

export class FeedInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Another batch added one of this batch's new keys at the same time: nothing of this batch was written. */
export class FeedConflict extends Error {
  constructor(readonly kind: string) {
    super(`another batch added a ${kind} record with a key of this batch at the same time; nothing was written, send the batch again`);
  }
}

const MAX_LISTED_ERRORS = 1000;
const FEED_WORK_MEM = '256MB';
const BATCH_KEY = /^[\w.:\-/]{1,200}$/;

class Rejections {
  list: RejectedRecord[] = [];
  count = 0;
  add(r: RejectedRecord) {
    this.count += 1;
    if (this.list.length < MAX_LISTED_ERRORS) this.list.push(r);
  }
}

function firstIssue(error: z.ZodError): { field: string | null; reason: string } {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') return { field: issue.keys.join(','), reason: `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` };
  return { field: issue.path.length ? issue.path.join('.') : null, reason: issue.message };
}

function properties(kind: RecordKind): string[] {
  return Object.keys((kind.schema as unknown as z.ZodObject).shape);
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function stagePart(
  session: BulkSession,
  kind: RecordKind,
  records: FeedPart['records'],
  asOf: string,
  today: string,
  rejections: Rejections,
): Promise<{ received: number; staged: number }> {
  const props = properties(kind);
  const columns = [...props.map((p) => columnName(kind, p)), 'as_of'];
  await session.query(`drop table if exists feed_stage`);
  await session.query(
    `create temp table feed_stage on commit drop as select ${columns.map(q).join(', ')}, 0::integer as idx from ${q(getTableName(kind.table))} with no data`,
  );
  const row = csvRowOf(props, 2);
  let received = 0;
  function line(raw: unknown): string {
    const index = received++;
    if (raw instanceof UnparsableRecord) {
      rejections.add({ kind: kind.kind, index, field: null, reason: raw.reason });
      return '';
    }
    const parsed = kind.schema.safeParse(raw);
    if (!parsed.success) {
      rejections.add({ kind: kind.kind, index, ...firstIssue(parsed.error) });
      return '';
    }
    const record = parsed.data as Record<string, unknown>;
    const unfit = columnIssue(kind, record, today);
    if (unfit) {
      rejections.add({ kind: kind.kind, index, ...unfit });
      return '';
    }
    return row(record, kind.asOf(record, asOf), index);
  }
  async function* lines() {
    for await (const item of records) {
      if (!(item instanceof RecordBatch)) {
        yield line(item);
        continue;
      }
      let text = '';
      for (const raw of item.records) text += line(raw);
      yield text;
    }
  }
  const staged = await session.copy('feed_stage', [...columns, 'idx'], lines());
  return { received, staged };
}

/** Drops every staged record whose key an earlier record of the batch already had, each reported. */
async function dropDuplicateKeys(session: BulkSession, kind: RecordKind, rejections: Rejections): Promise<number> {
  // a temporary table has no statistics until analysed: without them the planner misjudges the grouping
  await session.query('analyze feed_stage');
  const keys = kind.key.map((p) => columnName(kind, p));
  const rows = await session.query<{ idx: number; first: number }>(
    `delete from feed_stage s using (select ${keys.map(q).join(', ')}, min(idx) as first from feed_stage group by ${keys.map(q).join(', ')} having count(*) > 1) d
     where ${keys.map((k) => `s.${q(k)} = d.${q(k)}`).join(' and ')} and s.idx > d.first
     returning s.idx, d.first`,
  );
  for (const row of rows.sort((a, b) => a.idx - b.idx)) {
    rejections.add({ kind: kind.kind, index: row.idx, field: kind.key.join(','), reason: `same key as record ${row.first} of this batch` });
  }
  return rows.length;
}

// Which staged records meet a current one is asked first, record by record through the table's key,
// so a feed costs what its batch holds, not what the table holds. Joined whole, the table was scanned
// twice per feed: a year's readings (1 M) into a table holding eleven years merged in 18.3 s, now 4.9 s.
// Then plain statements rather than one INSERT … ON CONFLICT: on a million-row load the upsert's
// speculative insertion and RETURNING cost twice as much. Two batches inserting the same new key at
// once: the later one fails on the unique index and rolls back whole (FeedConflict), its key still
// free to retry.
async function merge(
  session: BulkSession,
  agency: string,
  kind: RecordKind,
  batchId: number,
  staged: number,
): Promise<{ inserted: number; updated: number }> {
  const table = q(getTableName(kind.table));
  const keys = kind.key.map((p) => q(columnName(kind, p)));
  const values = properties(kind)
    .filter((p) => !(kind.key as readonly string[]).includes(p))
    .map((p) => q(columnName(kind, p)));
  const all = [...keys, ...values, '"as_of"'];
  const sameKey = keys.map((k) => `t.${k} = s.${k}`).join(' and ');
  const differs = values.length
    ? `(${values.map((v) => `t.${v}`).join(', ')}) is distinct from (${values.map((v) => `s.${v}`).join(', ')})`
    : 'false';
  await session.query('drop table if exists feed_known');
  // A scalar subquery is run once per staged row, through the key's index, whatever the planner's
  // estimates; into an empty table (an agency's first load, its history) there is nothing to ask.
  // It also tells what the record would change: 2 a value (kept in history), 1 only the as-of date.
  await session.query(
    `create temp table feed_known on commit drop as select idx, change from (
       select s.idx, (select case when ${differs} then 2 when t.as_of < s.as_of then 1 else 0 end from ${table} t where ${sameKey}) as change
       from feed_stage s where exists (select 1 from ${table})
     ) k where change is not null`,
  );
  const [counts = { known: 0, changing: 0 }] = await session.query<{ known: number; changing: number }>(
    'select count(*)::integer as known, (count(*) filter (where change > 0))::integer as changing from feed_known',
  );
  const { known, changing } = counts;
  if (known > 0) {
    // the joins below are planned on both tables' statistics, which temporary tables lack until analysed
    await session.query('analyze feed_stage');
    await session.query('analyze feed_known');
    const [repeated] = await session.query(
      `select 1 from feed_known k join feed_stage s on s.idx = k.idx group by ${keys.map((k) => `s.${k}`).join(', ')} having count(*) > 1 limit 1`,
    );
    if (repeated) throw new RepeatedKeys();
  }
  let updated = 0;
  if (changing > 0) {
    const changed = (least: number) => `(select s.* from feed_known k join feed_stage s on s.idx = k.idx where k.change >= ${least})`;
    updated = await session.execute(
      `insert into agency_record_history (agency, kind, natural_key, previous, replaced_by_batch)
       select $1, $2, jsonb_build_array(${keys.map((k) => `t.${k}`).join(', ')}), to_jsonb(t), $3
       from ${table} t join ${changed(2)} s on ${sameKey} where ${differs}`,
      [agency, kind.kind, batchId],
    );
    // identical values only move the as-of date forward: not a change, no history
    await session.execute(
      `update ${table} t set ${[...values, '"as_of"'].map((v) => `${v} = s.${v}`).join(', ')}, batch_id = $1, received_at = now()
       from ${changed(1)} s where ${sameKey} and (${differs} or t.as_of < s.as_of)`,
      [batchId],
    );
  }
  const inserted =
    known === staged
      ? 0
      : await session.execute(
          `insert into ${table} (${all.join(', ')}, batch_id)
           select ${all.map((c) => `s.${c}`).join(', ')}, $1 from feed_stage s
           ${known > 0 ? 'where not exists (select 1 from feed_known k where k.idx = s.idx)' : ''}`,
          [batchId],
        );
  return { inserted, updated };
}

/** Two staged records with the key of one current record (new keys repeated fail on the table's unique index). */
class RepeatedKeys extends Error {}

/**
 * The merge, trusting the batch to repeat no key: the unique index fails the insert of a repeated new
 * key and the known-key check a repeated current one. Proving it beforehand cost a sort of the whole
 * batch, 0.7-1.4 s per million records, on every feed. When it does repeat one, the merge is undone,
 * the repeats are dropped and reported, and the merge runs again.
 */
async function mergeOnce(
  session: BulkSession,
  agency: string,
  kind: RecordKind,
  batchId: number,
  staged: number,
  rejections: Rejections,
): Promise<{ inserted: number; updated: number; duplicates: number }> {
  await session.query('savepoint merge');
  try {
    const merged = await merge(session, agency, kind, batchId, staged);
    await session.query('release savepoint merge');
    return { ...merged, duplicates: 0 };
  } catch (error) {
    if (!(error instanceof RepeatedKeys) && !isUniqueViolation(error)) throw error;
    await session.query('rollback to savepoint merge');
    const duplicates = await dropDuplicateKeys(session, kind, rejections);
    // a key this batch does not repeat: another batch inserting it at the same time won
    if (duplicates === 0) throw new FeedConflict(kind.kind);
    try {
      return { ...(await merge(session, agency, kind, batchId, staged - duplicates)), duplicates };
    } catch (again) {
      throw isUniqueViolation(again) ? new FeedConflict(kind.kind) : again;
    }
  }
}

class Refused extends Error {
  constructor(readonly result: FeedResult) {
    super('batch refused');
  }
}

async function previousResult(database: Database, agency: string, batchKey: string): Promise<FeedResult | null> {
  const [row] = await database.db
    .select({ result: feedBatches.result })
    .from(feedBatches)
    .where(and(eq(feedBatches.agency, agency), eq(feedBatches.batchKey, batchKey)));
  return row ? { ...(row.result as FeedResult), replayed: true } : null;
}

export async function ingestFeed(database: Database, connector: Connector, submission: FeedSubmission): Promise<FeedResult> {
  const { batchKey, asOf, parts } = submission;
  const mode = submission.mode ?? 'KEEP_VALID';
  if (!BATCH_KEY.test(batchKey)) throw new FeedInputError('batchKey', 'must be 1-200 letters, digits or . _ : - /');
  for (const part of parts) {
    if (!connector.kinds[part.kind]) {
      throw new FeedInputError('kind', `${connector.agency} sends no records of kind ${part.kind}; it sends ${Object.keys(connector.kinds).join(', ')}`);
    }
  }
  const replay = await previousResult(database, connector.agency, batchKey);
  if (replay) return replay;

  const rejections = new Rejections();
  const totals = { received: 0, accepted: 0, inserted: 0, updated: 0 };
  const resultOf = (status: FeedStatus): FeedResult => ({
    agency: connector.agency,
    batchKey,
    mode,
    status,
    replayed: false,
    received: totals.received,
    accepted: totals.accepted,
    rejected: rejections.count,
    inserted: totals.inserted,
    updated: totals.updated,
    unchanged: totals.accepted - totals.inserted - totals.updated,
    errors: [...rejections.list].sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind < b.kind ? -1 : 1)),
    errorsTruncated: rejections.count > rejections.list.length,
  });

  try {
    return await database.bulk(async (session) => {
      // grouping and joining a million staged rows in memory rather than in batches spilled to disk
      // (the default 4 MB): for this transaction only
      await session.query(`set local work_mem = '${FEED_WORK_MEM}'`);
      const [batch] = await session.query<{ id: number }>(
        `insert into feed_batches (agency, batch_key, mode, status, as_of, result) values ($1, $2, $3, 'ACCEPTED', $4, '{}') returning id`,
        [connector.agency, batchKey, mode, asOf],
      );
      for (const part of parts) {
        const kind = connector.kinds[part.kind]!;
        const { received, staged } = await stagePart(session, kind, part.records, asOf, submission.today ?? asOf, rejections);
        totals.received += received;
        if (mode === 'ALL_OR_NOTHING' && rejections.count > 0) {
          // keep validating the rest, write nothing
          totals.accepted += staged - (await dropDuplicateKeys(session, kind, rejections));
          continue;
        }
        if (submission.onTouched) {
          const column = columnName(kind, kind.subject.field);
          const rows = await session.query<{ s: string | number }>(`select distinct ${q(column)} as s from feed_stage`);
          submission.onTouched(kind, rows.map((r) => r.s));
        }
        const merged = await mergeOnce(session, connector.agency, kind, batch!.id, staged, rejections);
        totals.accepted += staged - merged.duplicates;
        totals.inserted += merged.inserted;
        totals.updated += merged.updated;
      }
      if (mode === 'ALL_OR_NOTHING' && rejections.count > 0) {
        totals.accepted = 0;
        throw new Refused(resultOf('REFUSED'));
      }
      const result = resultOf(rejections.count > 0 ? 'PARTIAL' : 'ACCEPTED');
      await submission.inTransaction?.(session);
      await session.query(`update feed_batches set status = $2, result = $3 where id = $1`, [
        batch!.id,
        result.status,
        JSON.stringify(result),
      ]);
      return result;
    });
  } catch (error) {
    // a refused batch is rolled back whole and its key stays free for the corrected batch
    if (error instanceof Refused) return error.result;
    // the same batch sent twice at once: the other one won
    if (isUniqueViolation(error)) {
      const replayed = await previousResult(database, connector.agency, batchKey);
      if (replayed) return replayed;
    }
    throw error;
  }
}
