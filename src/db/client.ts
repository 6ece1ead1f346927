// One database handle for the whole hub: PGlite in a data folder by default, PostgreSQL via `pg`
// when a URL is given (pglite.ts, postgres.ts). Both speak the same SQL and run the same drizzle
// migrations; what the rest of the hub needs of either is the Database below.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type * as schema from './schema.js';

export { csvField, csvLine, csvRowOf, type CsvRow } from './csv.js';
export { migrationsFolder } from './migrations.js';
export { anyOf, isUniqueViolation, selectRows } from './sql.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** SQL statements issued through one request's handle (see Database.counting). */
export interface StatementCounter {
  statements: number;
}

export type DatabaseTarget =
  | {
      kind: 'postgres';
      /** the runtime role's connection: data (DML) only, owning nothing */
      url: string;
      poolSize?: number;
      /** the owner role's connection (DATABASE_MIGRATION_URL): migrations run with it, then grant the runtime role its DML */
      migrationUrl?: string;
    }
  | { kind: 'pglite'; dataDir?: string };

/** Raw, fast access inside one transaction, for bulk loads (demo data, agency files). */
export interface BulkSession {
  /** COPY ... FROM STDIN (FORMAT csv): `lines` are whole CSV lines (see csvLine), one or more per string, streamed, never held whole */
  copy(table: string, columns: readonly string[], lines: Iterable<string> | AsyncIterable<string>): Promise<number>;
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** runs a statement and answers how many rows it wrote */
  execute(text: string, params?: unknown[]): Promise<number>;
}

export interface Database {
  kind: DatabaseTarget['kind'];
  db: Db;
  /** a handle on the same connections that counts the statements issued through it (one per request) */
  counting(counter: StatementCounter): Db;
  /** runs `fn` in one transaction on one connection: everything it copies commits together or not at all */
  bulk<T>(fn: (session: BulkSession) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /** LISTEN on a channel: on PostgreSQL through one dedicated connection per call, on PGlite in process */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** how a library with its own SQL (the job queue) reaches this database: a URL, or the embedded instance */
  connection: { url: string } | { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };
}

export function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'postgres' ? openPostgres(target) : openPglite(target.dataDir);
}
