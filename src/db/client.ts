// One database handle for the whole hub: PGlite in a data folder by default, PostgreSQL via `pg`
// when a URL is given (pglite.ts, postgres.ts). Both speak the same SQL and run the same drizzle
// migrations; what the rest of the hub needs of either is the Database below.
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type pg from 'pg';
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
  /**
   * set once the request is known to only read (a GraphQL query, see server.ts): from then on its
   * reads go to a streaming replica where DATABASE_REPLICA_URLS names some; writes stay on the primary
   */
  readReplica?: boolean;
}

export type DatabaseTarget =
  | {
      kind: 'postgres';
      /** the runtime role's connection: data (DML) only, owning nothing */
      url: string;
      poolSize?: number;
      /** the owner role's connection (DATABASE_MIGRATION_URL): migrations run with it, then grant the runtime role its DML */
      migrationUrl?: string;
      /** streaming replicas (DATABASE_REPLICA_URLS): the reads of read-only requests go to them, round robin */
      replicaUrls?: readonly string[];
      /** how often each replica is checked; one that fails the check serves no reads until it passes one (default 5 s) */
      replicaCheckMs?: number;
      /**
       * the primary itself when `url` goes through a transaction-mode pooler (DATABASE_DIRECT_URL): LISTEN,
       * migrations (a session advisory lock), the job queue and the shared rate limits use it
       */
      directUrl?: string;
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
  /**
   * a handle on the same connections that counts the statements issued through it (one per request);
   * with replicas, its reads go to one once `counter.readReplica` is set (writes never)
   */
  counting(counter: StatementCounter): Db;
  /** how many streaming replicas serve reads (0: everything on the primary) */
  replicas: number;
  /** whether a statement may be prepared under a name (selectRows `prepared`): not through a transaction-mode pooler, which moves a session between server connections */
  namedStatements: boolean;
  /**
   * PostgreSQL: a small pool straight to the primary (never through a transaction-mode pooler), for
   * what every instance must share: the rate limits (their store uses named prepared statements)
   */
  shared?: pg.Pool;
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
