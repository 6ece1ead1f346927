// Query helpers every service uses, on either driver.
import { sql, type Logger, type SQL } from 'drizzle-orm';
import type { PgColumn, PgDialect, PgSession } from 'drizzle-orm/pg-core';
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

/**
 * Raw SQL through drizzle; node-postgres and PGlite both answer with `{ rows }`. `prepared`: a statement
 * a request sends again and again with other values (a page's read ahead) is prepared once per
 * connection, under a name made from its text, and its plan kept: planning it cost as much as running
 * it. Only where `Database.namedStatements` allows (not through a transaction-mode pooler).
 */
export async function selectRows<R>(db: Db, query: SQL, prepared = false): Promise<R[]> {
  if (!prepared) return ((await db.execute(query)) as unknown as { rows: R[] }).rows;
  const { session, dialect } = db as unknown as { session: PgSession; dialect: PgDialect };
  const compiled = dialect.sqlToQuery(query);
  return ((await session.prepareQuery(compiled, undefined, statementName(compiled.sql), false).execute()) as { rows: R[] }).rows;
}

/** names of prepared statements by their text; a bounded number, past which statements go unnamed */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 500;

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) statementNames.set(text, (name = `hub_${statementNames.size + 1}`));
  return name;
}

/** drizzle's query log, used only to count a request's statements (Database.counting) */
export function countingLogger(counter: StatementCounter): Logger {
  return {
    logQuery() {
      counter.statements += 1;
    },
  };
}
