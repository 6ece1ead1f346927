// The shape every agency connector has: record kinds (typed, validated, stored with provenance),
// feed ingestion, and a batch loader by subject (resident ID or housing unit).
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { groupByKey } from '../db/batch.js';
import { anyOf, selectRows, type Db } from '../db/client.js';

export const AGENCIES = ['civil-affairs', 'public-security', 'social-security', 'provident-fund', 'utilities', 'real-estate', 'market-regulation'] as const;
export type AgencyId = (typeof AGENCIES)[number];

export type AgencyTable = PgTable & { asOf: PgColumn; batchId: PgColumn };

/** A kind's record as validated (its schema's output): the fields of its table, minus provenance. */
export type RecordOf<K extends RecordKind> = z.output<K['schema']>;

/** A kind's record as the hub keeps it: with the date it holds for. */
export type StoredOf<K extends RecordKind> = RecordOf<K> & { asOf: string };

/**
 * What a kind's GraphQL types need that its table and schema cannot say; everything else (output type,
 * feed input, enums, the Person or HousingUnit field, the agency's feed mutation) is derived from them
 * by src/agency/sdl.ts. A kind without it is fed (its input type is generated) but not shown on its own.
 */
export interface KindGraphql<O> {
  /** the output type's name: `Vehicle` */
  type: string;
  description?: string;
  /** the field on Person (a person's records) or HousingUnit (a unit's) */
  field: string;
  /** one: the current record or null; many: every record; monthly: records with `orderBy` in [from, to] */
  cardinality: 'one' | 'many' | 'monthly';
  /** the field the list is sorted on, oldest first (required for monthly) */
  orderBy?: keyof O & string;
  fieldDescription?: string;
  /** descriptions of the kind's fields, on the output type and the feed input alike */
  descriptions?: Partial<Record<keyof O & string, string>>;
}

export interface RecordKind<S extends z.ZodObject = z.ZodObject, T extends AgencyTable = AgencyTable> {
  kind: string;
  table: T;
  /** a strict object schema; its output keys are the table's property names */
  schema: S;
  /** property names forming the natural key: a record re-sent with the same key replaces the current one */
  key: readonly (keyof z.output<S> & string)[];
  /** what the record is about: a person's resident ID or a housing unit's id */
  subject: { type: 'person' | 'unit'; field: keyof z.output<S> & string };
  /** the date the record's fact holds for: its month for a series, else the batch's as-of date */
  asOf(record: z.output<S>, batchAsOf: string): string;
  /**
   * the column the kind's table is range-partitioned on (utility readings: month, drizzle/0013): a feed
   * then finds its known records by a join bounded to the batch's range, which reads only those partitions
   */
  partitionedBy?: keyof z.output<S> & string;
  /** date fields that may lie ahead (an allowance's or a contract's end); every other date is of an event, never after today */
  scheduledDates?: readonly (keyof z.output<S> & string)[];
  /** a valid record as an agency sends it: the kind's documentation, and the fixture its tests feed */
  example: z.input<S>;
  graphql?: KindGraphql<z.output<S>>;
}

export interface Connector<K extends Record<string, RecordKind> = Record<string, RecordKind>> {
  agency: AgencyId;
  name: string;
  kinds: K;
}

/** For records that are not a monthly series: they hold as of the batch's date. */
export const asOfBatch = (_record: unknown, batchAsOf: string) => batchAsOf;

export function defineKind<S extends z.ZodObject, T extends AgencyTable>(kind: RecordKind<S, T>): RecordKind<S, T> {
  return kind;
}

/** Column (database) name of a property of a kind's table. */
export function columnName(kind: RecordKind, property: string): string {
  const column = getTableColumns(kind.table)[property];
  if (!column) throw new Error(`${getTableName(kind.table)} has no property ${property}`);
  return column.name;
}

export type StoredRecord = StoredOf<RecordKind>;

interface RecordShape<K extends RecordKind> {
  /** `json_agg("resident_id"), json_agg("month"), …`: each field of the records as one JSON array */
  select: string;
  /** builds the records back from those arrays, under the kind's own field names */
  build: (columns: unknown[][]) => StoredOf<K>[];
}

type Make = (columns: unknown[][], i: number) => unknown;

const compiled = new WeakMap<RecordKind, { select: string; make: Make }>();

/** The record's fields, without the provenance kept only for audit (batch, time received). */
function recordShape<K extends RecordKind>(kind: K): RecordShape<K> {
  let shape = compiled.get(kind);
  if (!shape) {
    const fields = Object.entries(getTableColumns(kind.table)).filter(([property]) => property !== 'batchId' && property !== 'receivedAt');
    const properties = fields.map(([property]) => property);
    shape = {
      select: `json_build_array(${fields.map(([, column]) => `json_agg("${column.name}")`).join(', ')})`,
      // one object literal of a fixed shape per record: cheaper than parsing a JSON object per record
      make: new Function('c', 'i', `return { ${properties.map((p, k) => `${JSON.stringify(p)}: c[${k}][i]`).join(', ')} };`) as Make,
    };
    compiled.set(kind, shape);
  }
  // The one place stored rows take their kind's type: the table's columns are the schema's fields
  // (test/unit/agency-sdl.test.ts holds them together) and only records the schema accepted were written.
  const make = shape.make as (c: unknown[][], i: number) => StoredOf<K>;
  return {
    select: shape.select,
    build(columns) {
      const n = columns[0]?.length ?? 0;
      const records = new Array<StoredOf<K>>(n);
      for (let i = 0; i < n; i++) records[i] = make(columns, i);
      return records;
    },
  };
}

/**
 * The batch `loadMany(keys)` behind each DataLoader: current records of one kind for many subjects at
 * once, in the subjects' order. PostgreSQL sends each field of all the records as one JSON array,
 * which the driver parses in one go: for a sweep reading millions of records, several times faster
 * than a row per record.
 */
export async function loadMany<K extends RecordKind>(db: Db, kind: K, subjects: readonly (string | number)[]): Promise<StoredOf<K>[][]> {
  if (subjects.length === 0) return [];
  const subjectColumn = getTableColumns(kind.table)[kind.subject.field]!;
  const shape = recordShape(kind);
  const [row] = await selectRows<{ r: unknown[][] }>(db, sql`select ${sql.raw(shape.select)} as r from ${kind.table} where ${anyOf(subjectColumn, subjects)}`);
  const records = row && row.r[0] ? shape.build(row.r) : [];
  return groupByKey(subjects, records, (r) => subjectOf(kind, r));
}

/**
 * `loadMany` for several kinds about the same people in one statement: one aggregate per kind, the
 * subjects sent once. A page's agency records cost one round trip instead of one per kind.
 * `records[k][i]`: the records of `kinds[k]` about `subjects[i]`. `beside`: one more value (a JSON
 * expression) read in the same statement, answered as `beside`.
 */
export async function loadKinds(
  db: Db,
  kinds: readonly RecordKind[],
  subjects: readonly string[],
  beside?: SQL,
): Promise<{ records: StoredRecord[][][]; beside: unknown }> {
  const reads = subjects.length > 0 && kinds.length > 0;
  if (!reads && !beside) return { records: kinds.map(() => []), beside: undefined };
  const [row] = await selectRows<{ r: unknown; b: unknown }>(
    db,
    sql`with subjects as (select unnest(${sql.param([...subjects])}::text[]) as s)
        select ${reads ? selectKinds(kinds, sql`(select s from subjects)`) : sql`null`} as r, ${beside ?? sql`null`} as b`,
  );
  return { records: buildKinds(kinds, subjects, row?.r), beside: row?.b ?? undefined };
}

/**
 * The part of a statement that reads these kinds' records about `subjects` (a subquery of text values), as one JSON
 * value. `in (subquery)`, not `= any(array)`: an array the planner cannot see (computed in the statement) is costed
 * as ten elements, and a small agency table is then scanned whole, each row tested against every subject.
 */
export function selectKinds(kinds: readonly RecordKind[], subjects: SQL): SQL {
  const parts = kinds.map((kind) => {
    const subjectColumn = getTableColumns(kind.table)[kind.subject.field]!;
    return sql`(select ${sql.raw(recordShape(kind).select)} from ${kind.table} where ${subjectColumn} in ${subjects})`;
  });
  return sql`json_build_array(${sql.join(parts, sql`, `)})`;
}

/** What `selectKinds` answered, as `records[k][i]`: the records of `kinds[k]` about `subjects[i]`. */
export function buildKinds(kinds: readonly RecordKind[], subjects: readonly (string | number)[], value: unknown): StoredRecord[][][] {
  const columnsOf = value as (unknown[][] | null)[] | null | undefined;
  return kinds.map((kind, k) => {
    const columns = columnsOf?.[k];
    const found = columns && columns[0] ? recordShape(kind).build(columns) : [];
    return groupByKey(subjects, found, (r) => subjectOf(kind, r));
  });
}

/** The subject (resident ID or unit id) a record is about. */
export function subjectOf(kind: RecordKind, record: Record<string, unknown>): string | number {
  const subject = record[kind.subject.field];
  if (typeof subject !== 'string' && typeof subject !== 'number') throw new Error(`${kind.kind} record without its subject ${kind.subject.field}`);
  return subject;
}
