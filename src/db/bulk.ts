// COPY typed drizzle rows into their table: the fast path for bulk loads.
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { csvLine, type BulkSession } from './client.js';

/** Copies rows (shaped like `table.$inferInsert`) into `table`; the columns are those of the first row. */
export async function copyRecords<T extends PgTable>(session: BulkSession, table: T, rows: readonly T['$inferInsert'][]): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = getTableColumns(table);
  const keys = Object.keys(rows[0]!) as (keyof T['$inferInsert'] & string)[];
  const names = keys.map((k) => {
    const column = columns[k];
    if (!column) throw new Error(`${getTableName(table)} has no column ${k}`);
    return column.name;
  });
  function* lines() {
    for (const row of rows) yield csvLine(keys.map((k) => row[k]));
  }
  return session.copy(getTableName(table), names, lines());
}

/** After rows were copied in with explicit ids, moves each identity sequence past the largest id. */
export async function resetIdentity(session: BulkSession, tables: readonly PgTable[]): Promise<void> {
  for (const table of tables) {
    const name = getTableName(table);
    await session.query(`select setval(pg_get_serial_sequence('${name}', 'id'), coalesce((select max(id) from "${name}"), 0) + 1, false)`);
  }
}
