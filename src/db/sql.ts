// Query helpers every service uses, on either driver.
import { sql, type Logger, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db, StatementCounter } from './client.js';

/**
 * `column = any($1)` with the keys as one array parameter: what a DataLoader batch asks for.
 * Unlike inArray, one bind parameter whatever the batch size, and far cheaper for drizzle to build.
 */
export function anyOf(column: PgColumn, keys: readonly (string | number)[]): SQL {
  return sql`${column} = any(${sql.param([...keys], column)})`;
}

/** A unique index refused a row (PostgreSQL 23505), however deep a driver or drizzle wrapped it. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** Raw SQL through drizzle; node-postgres and PGlite both answer with `{ rows }`. */
export async function selectRows<R>(db: Db, query: SQL): Promise<R[]> {
  return ((await db.execute(query)) as unknown as { rows: R[] }).rows;
}

/** drizzle's query log, used only to count a request's statements (Database.counting) */
export function countingLogger(counter: StatementCounter): Logger {
  return {
    logQuery() {
      counter.statements += 1;
    },
  };
}
