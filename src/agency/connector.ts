// The shape every agency connector has: record kinds (typed, validated, stored with provenance),
// feed ingestion, and a batch loader by subject (resident ID or housing unit).
import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { groupByKey } from '../db/batch.js';
import { anyOf, selectRows, type Db } from '../db/client.js';

export const AGENCIES = [
  'civil-affairs',
  'public-security',
  'social-security',
  'provident-fund',
  'utilities',
  'real-estate',
  'market-regulation',
] as const;
export type AgencyId = (typeof AGENCIES)[number];

export type AgencyTable = PgTable & { asOf: PgColumn; batchId: PgColumn };

export interface RecordKind<S extends z.ZodType = z.ZodType, T extends AgencyTable = AgencyTable> {
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
  /** date fields that may lie ahead (an allowance's or a contract's end); every other date is of an event, never after today */
  scheduledDates?: readonly (keyof z.output<S> & string)[];
}

export interface Connector {
  agency: AgencyId;
  name: string;
  kinds: Record<string, RecordKind>;
}

/** For records that are not a monthly series: they hold as of the batch's date. */
export const asOfBatch = (_record: unknown, batchAsOf: string) => batchAsOf;

export function defineKind<S extends z.ZodType, T extends AgencyTable>(kind: RecordKind<S, T>): RecordKind<S, T> {
  return kind;
}

/** Column (database) name of a property of a kind's table. */
export function columnName(kind: RecordKind, property: string): string {
  const column = getTableColumns(kind.table)[property];
  if (!column) throw new Error(`${getTableName(kind.table)} has no property ${property}`);
  return column.name;
}

export type StoredRecord = Record<string, unknown> & { asOf: string };

interface RecordShape {
  /** `json_agg("resident_id"), json_agg("month"), …`: each field of the records as one JSON array */
  select: string;
  /** builds the records back from those arrays, under the kind's own field names */
  build: (columns: unknown[][]) => StoredRecord[];
}

const shapes = new WeakMap<RecordKind, RecordShape>();

/** The record's fields, without the provenance kept only for audit (batch, time received). */
function recordShape(kind: RecordKind): RecordShape {
  let shape = shapes.get(kind);
  if (!shape) {
    const fields = Object.entries(getTableColumns(kind.table)).filter(([property]) => property !== 'batchId' && property !== 'receivedAt');
    const properties = fields.map(([property]) => property);
    // one object literal of a fixed shape per record: cheaper than parsing a JSON object per record
    const make = new Function('c', 'i', `return { ${properties.map((p, k) => `${JSON.stringify(p)}: c[${k}][i]`).join(', ')} };`) as (c: unknown[][], i: number) => StoredRecord;
    shape = {
      select: `json_build_array(${fields.map(([, column]) => `json_agg("${column.name}")`).join(', ')})`,
      build(columns) {
        const n = columns[0]?.length ?? 0;
        const records = new Array<StoredRecord>(n);
        for (let i = 0; i < n; i++) records[i] = make(columns, i);
        return records;
      },
    };
    shapes.set(kind, shape);
  }
  return shape;
}

/**
 * The batch `loadMany(keys)` behind each DataLoader: current records of one kind for many subjects at
 * once, in the subjects' order. PostgreSQL sends each field of all the records as one JSON array,
 * which the driver parses in one go: for a sweep reading millions of records, several times faster
 * than a row per record.
 */
export async function loadMany(db: Db, kind: RecordKind, subjects: readonly (string | number)[]): Promise<StoredRecord[][]> {
  if (subjects.length === 0) return [];
  const subjectColumn = getTableColumns(kind.table)[kind.subject.field]!;
  const shape = recordShape(kind);
  const [row] = await selectRows<{ r: unknown[][] }>(db, sql`select ${sql.raw(shape.select)} as r from ${kind.table} where ${anyOf(subjectColumn, subjects)}`);
  const records = row && row.r[0] ? shape.build(row.r) : [];
  return groupByKey(subjects, records, (r) => r[kind.subject.field] as string | number);
}
