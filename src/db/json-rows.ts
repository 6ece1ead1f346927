// A table's rows read as one JSON value inside a larger statement, and decoded back into exactly the
// rows `db.select().from(table)` gives: so that several kinds of record come in one round trip (a page
// of households with what its fields read, src/households/page-read.ts) and still prime the loaders
// that read them a statement a kind.
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/** columns whose JSON value is already what drizzle gives (PostgreSQL writes dates and numbers in JSON as the driver reads them) */
const AS_JSON = new Set([
  'PgText',
  'PgVarchar',
  'PgChar',
  'PgEnumColumn',
  'PgInteger',
  'PgSmallInt',
  'PgSerial',
  'PgBigInt53',
  'PgDateString',
  'PgNumericNumber',
  'PgDoublePrecision',
  'PgReal',
  'PgBoolean',
  'PgUUID',
  'PgJson',
  'PgJsonb',
]);
/** columns decoded by drizzle's own mapping from the JSON string (ISO 8601 in JSON, as `Date` parses it) */
const MAPPED = new Set(['PgTimestamp']);

export interface JsonRows<R> {
  /** a JSON array of the rows matching `where`, each an array of its column values, in `orderBy` order; null when none */
  select(where: SQL, orderBy?: SQL): SQL;
  /** the rows from what `select` answered */
  build(value: unknown): R[];
}

type Make = (row: unknown[], map: ((value: unknown) => unknown)[]) => unknown;

/** `jsonRows(table)`: the table's rows through JSON, decoded as drizzle decodes them. */
export function jsonRows<T extends PgTable>(table: T): JsonRows<T['$inferSelect']> {
  const columns = Object.entries(getTableColumns(table)) as [string, PgColumn][];
  for (const [, column] of columns) {
    if (!AS_JSON.has(column.columnType) && !MAPPED.has(column.columnType)) {
      throw new Error(`jsonRows: column ${column.name} of ${column.columnType} has no JSON decoding`);
    }
  }
  const map = columns.map(
    ([, column]) =>
      (value: unknown) =>
        column.mapFromDriverValue(value),
  );
  // one object literal of a fixed shape per row, like the driver's: cheaper than a JSON object per row
  const make = new Function(
    'r',
    'm',
    `return { ${columns
      .map(
        ([property, column], k) => `${JSON.stringify(property)}: ${MAPPED.has(column.columnType) ? `r[${k}] === null ? null : m[${k}](r[${k}])` : `r[${k}]`}`,
      )
      .join(', ')} };`,
  ) as Make;
  // the column list rendered once, not by drizzle on every statement (a page's read ahead names ~80 columns)
  const tableName = quote(getTableName(table));
  const values = sql.raw(columns.map(([, column]) => `${tableName}.${quote(column.name)}`).join(', '));
  return {
    select: (where, orderBy) => sql`(select json_agg(json_build_array(${values})${orderBy ? sql` order by ${orderBy}` : sql``}) from ${table} where ${where})`,
    build(value) {
      const rows = (value ?? []) as unknown[][];
      const out = new Array<T['$inferSelect']>(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = make(rows[i]!, map) as T['$inferSelect'];
      return out;
    },
  };
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
