// Feed ingestion, the same for every agency and every size of batch:
//   validate each record at the edge (bad ones reported by index, field and reason),
//   COPY the good ones into a temporary stage table, then merge into the agency's table: new keys
//   inserted, changed values replaced with the previous value kept in agency_record_history,
//   identical values left alone. A key repeated within the batch is found by the merge, which is
//   then undone and run again without the repeats, each reported.
// A batch key already received is answered as a replay of its first result and writes nothing, when
// the batch carries the same content (its digest); with other content it is refused (BatchKeyReused).
// Absence of a record is evidence only for the kinds a batch made complete (feed_coverage).
import { createHash, type Hash } from 'node:crypto';
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

export type CoverageBasis = 'COMPLETE_EXTRACT' | 'NOTHING_TO_REPORT';

/** A kind the batch made complete as of its date: absence of its records now means "none". */
export interface CoveredKind {
  kind: string;
  asOf: string;
  basis: CoverageBasis;
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
  /** the kinds this batch made complete (fresh absence evidence) */
  covered: CoveredKind[];
  /** what the agency should know though nothing was refused: a complete extract that did not count */
  warnings: string[];
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

/**
 * What a batch states about the kinds it carries, for the freshness of "no record" evidence:
 * - complete: kinds whose records in this batch are every record of the kind the agency holds as of
 *   the batch's date (a complete extract). It counts only with at least one record of the kind and
 *   none of them rejected: a broken or partly refused extract proves nothing about absent records.
 * - nothingToReport: kinds for which the agency declares it holds, as of the batch's date, no record
 *   it has not already sent. The batch must carry no record of such a kind.
 */
export interface FeedDeclarations {
  complete?: readonly string[];
  nothingToReport?: readonly string[];
}

export interface FeedSubmission {
  batchKey: string;
  mode?: FeedMode;
  /** the date the agency's extract describes; defaults to the day received */
  asOf: string;
  /** the bureau's date: no event a record reports may come after it (defaults to asOf) */
  today?: string;
  parts: FeedPart[];
  declarations?: FeedDeclarations;
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
  constructor(
    readonly kind: string,
    message = `another batch added a ${kind} record with a key of this batch at the same time; nothing was written, send the batch again`,
  ) {
    super(message);
  }
}

/** The batch key was used before for other content: nothing of this batch was written. */
export class BatchKeyReused extends FeedConflict {
  readonly field = 'batchKey';
  constructor(readonly batchKey: string) {
    super('', `batch key ${batchKey} was already used for a batch with other content; nothing was written. Send new content under a new batch key`);
  }
}

const MAX_LISTED_ERRORS = 1000;
const FEED_WORK_MEM = '256MB';
const BATCH_KEY = /^[\w.:\-/]{1,200}$/;

class Rejections {
  list: RejectedRecord[] = [];
  count = 0;
  readonly byKind = new Map<string, number>();
  add(r: RejectedRecord) {
    this.count += 1;
    this.byKind.set(r.kind, (this.byKind.get(r.kind) ?? 0) + 1);
    if (this.list.length < MAX_LISTED_ERRORS) this.list.push(r);
  }
}

/**
 * The digest of a batch's content, taken as its records go by (a streamed file is never held whole):
 * each part's kind, then each record as JSON, then the declarations. Neither the mode nor the as-of
 * date is content: a retry on another day without asOf is still the same batch.
 */
class ContentDigest {
  private readonly hash: Hash = createHash('sha256');
  part(kind: string) {
    this.hash.update(`\u0001part:${kind}\n`);
  }
  /** the hashed text of one record: an unparsable one by the reason it was refused for */
  static text(raw: unknown): string {
    return raw instanceof UnparsableRecord ? `\u0002unparsable:${raw.reason}\n` : `${JSON.stringify(raw)}\n`;
  }
  add(text: string) {
    this.hash.update(text);
  }
  finish(declarations: FeedDeclarations | undefined): string {
    const list = (kinds: readonly string[] | undefined) => [...(kinds ?? [])].sort().join(',');
    this.hash.update(`\u0001complete:${list(declarations?.complete)}\n\u0001nothingToReport:${list(declarations?.nothingToReport)}\n`);
    return this.hash.digest('hex');
  }
}

/** The digest of a batch's content without storing it: reads every record (for a stream, the whole body). */
async function digestOnly(submission: FeedSubmission, declarations: FeedDeclarations): Promise<string> {
  const digest = new ContentDigest();
  for (const part of submission.parts) {
    digest.part(part.kind);
    for await (const item of part.records) {
      if (item instanceof RecordBatch) {
        let text = '';
        for (const raw of item.records) text += ContentDigest.text(raw);
        digest.add(text);
      } else digest.add(ContentDigest.text(item));
    }
  }
  return digest.finish(declarations);
}

function firstIssue(error: z.ZodError): { field: string | null; reason: string } {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys')
    return { field: issue.keys.join(','), reason: `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}` };
  return { field: issue.path.length ? issue.path.join('.') : null, reason: issue.message };
}

function properties(kind: RecordKind): string[] {
  return Object.keys(kind.schema.shape);
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function stagePart(
  session: BulkSession,
  kind: RecordKind,
  records: FeedPart['records'],
  asOf: string,
  today: string,
  rejections: Rejections,
  digest: ContentDigest,
): Promise<{ received: number; staged: number }> {
  const props = properties(kind);
  const columns = [...props.map((p) => columnName(kind, p)), 'as_of'];
  await session.query(`drop table if exists feed_stage`);
  await session.query(
    `create temp table feed_stage on commit drop as select ${columns.map(q).join(', ')}, 0::integer as idx from ${q(getTableName(kind.table))} with no data`,
  );
  const row = csvRowOf(props, 2);
  let received = 0;
  digest.part(kind.kind);
  let hashed = '';
  function line(raw: unknown): string {
    const index = received++;
    hashed += ContentDigest.text(raw);
    if (raw instanceof UnparsableRecord) {
      rejections.add({ kind: kind.kind, index, field: null, reason: raw.reason });
      return '';
    }
    const parsed = kind.schema.safeParse(raw);
    if (!parsed.success) {
      rejections.add({ kind: kind.kind, index, ...firstIssue(parsed.error) });
      return '';
    }
    const record = parsed.data;
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
        const text = line(item);
        digest.add(hashed);
        hashed = '';
        yield text;
        continue;
      }
      let text = '';
      for (const raw of item.records) text += line(raw);
      digest.add(hashed);
      hashed = '';
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
// so a feed costs what its batch holds, not what the table holds (joined whole, the table would be
// scanned twice per feed: bench/README.md has the figures).
// Then plain statements rather than one INSERT … ON CONFLICT: on a million-row load the upsert's
// speculative insertion and RETURNING cost twice as much. Two batches inserting the same new key at
// once: the later one fails on the unique index and rolls back whole (FeedConflict), its key still
// free to retry.
async function merge(session: BulkSession, agency: string, kind: RecordKind, batchId: number, staged: number): Promise<{ inserted: number; updated: number }> {
  const table = q(getTableName(kind.table));
  const keys = kind.key.map((p) => q(columnName(kind, p)));
  const values = properties(kind)
    .filter((p) => !kind.key.some((k) => k === p))
    .map((p) => q(columnName(kind, p)));
  const all = [...keys, ...values, '"as_of"'];
  const sameKey = keys.map((k) => `t.${k} = s.${k}`).join(' and ');
  const differs = values.length ? `(${values.map((v) => `t.${v}`).join(', ')}) is distinct from (${values.map((v) => `s.${v}`).join(', ')})` : 'false';
  await session.query('drop table if exists feed_known');
  // What each staged record would change: 2 a value (kept in history), 1 only the as-of date.
  // A partitioned table: a join bounded to the batch's range of the partition column, so only the
  // partitions of the batch's months are read (pruned when the statement starts), and no per-record
  // probe pays run-time pruning across every partition (2.5–4× slower than on a plain table).
  // Otherwise a scalar subquery is run once per staged row, through the key's index, whatever the
  // planner's estimates; into an empty table (an agency's first load, its history) there is nothing to ask.
  const change = `case when ${differs} then 2 when t.as_of < s.as_of then 1 else 0 end`;
  const partition = kind.partitionedBy ? q(columnName(kind, kind.partitionedBy)) : null;
  await session.query(
    partition
      ? `create temp table feed_known on commit drop as select s.idx, ${change} as change
         from feed_stage s join ${table} t on ${sameKey}
         where t.${partition} >= (select min(${partition}) from feed_stage) and t.${partition} <= (select max(${partition}) from feed_stage)`
      : `create temp table feed_known on commit drop as select idx, change from (
           select s.idx, (select ${change} from ${table} t where ${sameKey}) as change
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

interface PreviousBatch {
  result: FeedResult;
  digest: string | null;
}

async function previousBatch(database: Database, agency: string, batchKey: string): Promise<PreviousBatch | null> {
  const [row] = await database.db
    .select({ result: feedBatches.result, digest: feedBatches.digest })
    .from(feedBatches)
    .where(and(eq(feedBatches.agency, agency), eq(feedBatches.batchKey, batchKey)));
  if (!row) return null;
  // results stored before coverage was recorded lack its fields
  const result = row.result as Partial<FeedResult> & Omit<FeedResult, 'covered' | 'warnings'>;
  return { result: { ...result, covered: result.covered ?? [], warnings: result.warnings ?? [], replayed: true }, digest: row.digest };
}

/** The first answer for the same content; other content under a used key is refused. */
function replayOf(previous: PreviousBatch, digest: string, batchKey: string): FeedResult {
  // a batch stored before digests were kept is answered as a replay, as it was then
  if (previous.digest !== null && previous.digest !== digest) throw new BatchKeyReused(batchKey);
  return previous.result;
}

function checkDeclarations(connector: Connector, parts: FeedPart[], declarations: FeedDeclarations | undefined) {
  for (const field of ['complete', 'nothingToReport'] as const) {
    for (const kind of declarations?.[field] ?? []) {
      if (!connector.kinds[kind]) {
        throw new FeedInputError(field, `${connector.agency} sends no records of kind ${kind}; it sends ${Object.keys(connector.kinds).join(', ')}`);
      }
    }
  }
  for (const kind of declarations?.complete ?? []) {
    if (declarations?.nothingToReport?.includes(kind))
      throw new FeedInputError('nothingToReport', `${kind} cannot be both a complete extract and nothing to report`);
    if (!parts.some((p) => p.kind === kind)) throw new FeedInputError('complete', `the batch carries no ${kind} records to be a complete extract of`);
  }
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
  const declarations: FeedDeclarations = {
    complete: [...new Set(submission.declarations?.complete ?? [])],
    nothingToReport: [...new Set(submission.declarations?.nothingToReport ?? [])],
  };
  checkDeclarations(connector, parts, declarations);
  // checked before reading the records, and again, by the unique key, once they are read
  const previous = await previousBatch(database, connector.agency, batchKey);
  if (previous) return replayOf(previous, await digestOnly(submission, declarations), batchKey);

  const digest = new ContentDigest();
  const covered: CoveredKind[] = [];
  const warnings: string[] = [];
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
    covered: status === 'REFUSED' ? [] : covered,
    warnings,
  });
  let digested: string | undefined;

  try {
    return await database.bulk(async (session) => {
      // grouping and joining a million staged rows in memory rather than in batches spilled to disk
      // (the default 4 MB): for this transaction only
      await session.query(`set local work_mem = '${FEED_WORK_MEM}'`);
      const [batch] = await session.query<{ id: number }>(
        `insert into feed_batches (agency, batch_key, mode, status, as_of, result) values ($1, $2, $3, 'ACCEPTED', $4, '{}') returning id`,
        [connector.agency, batchKey, mode, asOf],
      );
      const receivedOf = new Map<string, number>();
      const acceptedOf = new Map<string, number>();
      for (const part of parts) {
        const kind = connector.kinds[part.kind]!;
        const { received, staged } = await stagePart(session, kind, part.records, asOf, submission.today ?? asOf, rejections, digest);
        totals.received += received;
        receivedOf.set(kind.kind, (receivedOf.get(kind.kind) ?? 0) + received);
        if (mode === 'ALL_OR_NOTHING' && rejections.count > 0) {
          // keep validating the rest, write nothing
          totals.accepted += staged - (await dropDuplicateKeys(session, kind, rejections));
          continue;
        }
        if (submission.onTouched) {
          const column = columnName(kind, kind.subject.field);
          const rows = await session.query<{ s: string | number }>(`select distinct ${q(column)} as s from feed_stage`);
          submission.onTouched(
            kind,
            rows.map((r) => r.s),
          );
        }
        const merged = await mergeOnce(session, connector.agency, kind, batch!.id, staged, rejections);
        totals.accepted += staged - merged.duplicates;
        acceptedOf.set(kind.kind, (acceptedOf.get(kind.kind) ?? 0) + staged - merged.duplicates);
        totals.inserted += merged.inserted;
        totals.updated += merged.updated;
      }
      digested = digest.finish(declarations);
      for (const kind of declarations?.nothingToReport ?? []) {
        if ((receivedOf.get(kind) ?? 0) > 0)
          throw new FeedInputError('nothingToReport', `the batch carries ${kind} records, yet declares nothing to report for ${kind}`);
      }
      // an empty file is almost always a broken extract: refused, so that the agency sees it failed
      if (totals.received === 0 && !declarations?.nothingToReport?.length) {
        throw new FeedInputError(
          'records',
          'the batch holds no records; nothing was written and the batch key stays free. To state that there is nothing to report, declare nothingToReport',
        );
      }
      if (mode === 'ALL_OR_NOTHING' && rejections.count > 0) {
        totals.accepted = 0;
        throw new Refused(resultOf('REFUSED'));
      }
      for (const kind of declarations?.complete ?? []) {
        const rejected = rejections.byKind.get(kind) ?? 0;
        if (rejected > 0)
          warnings.push(`${kind}: ${rejected} record(s) rejected, so this is not a complete extract; absence of ${kind} records is not refreshed`);
        else if ((acceptedOf.get(kind) ?? 0) === 0)
          warnings.push(`${kind}: no record accepted, so this is not a complete extract; absence of ${kind} records is not refreshed`);
        else covered.push({ kind, asOf, basis: 'COMPLETE_EXTRACT' });
      }
      for (const kind of declarations?.nothingToReport ?? []) covered.push({ kind, asOf, basis: 'NOTHING_TO_REPORT' });
      for (const c of covered) {
        await session.query(`insert into feed_coverage (batch_id, agency, kind, as_of, basis) values ($1, $2, $3, $4, $5)`, [
          batch!.id,
          connector.agency,
          c.kind,
          c.asOf,
          c.basis,
        ]);
      }
      const result = resultOf(rejections.count > 0 ? 'PARTIAL' : 'ACCEPTED');
      await submission.inTransaction?.(session);
      await session.query(`update feed_batches set status = $2, result = $3, digest = $4 where id = $1`, [
        batch!.id,
        result.status,
        JSON.stringify(result),
        digested,
      ]);
      return result;
    });
  } catch (error) {
    // a refused batch is rolled back whole and its key stays free for the corrected batch
    if (error instanceof Refused) return error.result;
    // the same key sent twice at once: the other one won; this one is a replay only with its content
    if (isUniqueViolation(error)) {
      const previous = await previousBatch(database, connector.agency, batchKey);
      if (previous) return replayOf(previous, digested ?? (await digestOnly(submission, declarations)), batchKey);
    }
    throw error;
  }
}
