// One database handle for the whole hub: PGlite in a data folder by default, PostgreSQL via `pg`
// when a URL is given. Both speak the same SQL and run the same drizzle migrations.
import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type Logger, type SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgColumn, PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import pRetry from 'p-retry';
import { from as copyFrom } from 'pg-copy-streams';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

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

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** SQL statements issued through one request's handle (see Database.counting). */
export interface StatementCounter {
  statements: number;
}

function countingLogger(counter: StatementCounter): Logger {
  return {
    logQuery() {
      counter.statements += 1;
    },
  };
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

/** One CSV field for COPY: null is an unquoted empty field, every string is quoted. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  const s = String(v);
  return s.includes('"') ? `"${s.replaceAll('"', '""')}"` : `"${s}"`;
}

/** One CSV line for COPY (see csvField). */
export function csvLine(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += i > 0 ? ',' + csvField(values[i]) : csvField(values[i]);
  return line + '\n';
}

export type CsvRow = (record: Record<string, unknown>, ...extra: unknown[]) => string;

/**
 * The CSV line of a record's `properties` in that order, then `extras` more values: compiled once
 * per shape, so a feed builds no array per record (~0.5 s of CPU per million records with csvLine).
 */
export function csvRowOf(properties: readonly string[], extras = 0): CsvRow {
  const fields = [...properties.map((p) => `f(r[${JSON.stringify(p)}])`), ...Array.from({ length: extras }, (_, i) => `f(e${i})`)];
  const params = Array.from({ length: extras }, (_, i) => `e${i}`);
  const row = new Function('f', `return (r${params.map((e) => `, ${e}`).join('')}) => ${fields.join(" + ',' + ")} + '\\n';`) as (f: typeof csvField) => CsvRow;
  return row(csvField);
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const copyStatement = (table: string, columns: readonly string[], source: string) =>
  `copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from ${source} with (format csv)`;

/** Groups lines into chunks of about `bytes`, so a stream carries a few large writes, not millions of small ones. */
async function* chunked(lines: Iterable<string> | AsyncIterable<string>, bytes: number): AsyncGenerator<string> {
  let buffer = '';
  for await (const line of lines) {
    buffer += line;
    if (buffer.length >= bytes) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

// Several hub instances may start at once against one PostgreSQL: only one migrates at a time.
const MIGRATION_LOCK_KEY = 726_4611;

/**
 * The append-only audit log holds only while the hub cannot change it: its trigger can be dropped or
 * disabled, and the table truncated, by its owner. With DATABASE_MIGRATION_URL the schema is made
 * and owned by that role; the hub's own role (DATABASE_URL) gets rows to read and write, nothing
 * more, and on audit_log only SELECT and INSERT. Refuses to go on when the runtime role could undo it.
 */
async function migrateAsOwner(migrationUrl: string, runtime: pg.Pool): Promise<void> {
  const [who] = (
    await runtime.query<{ role: string; superuser: boolean }>(`select current_user as role, (select rolsuper from pg_roles where rolname = current_user) as superuser`)
  ).rows;
  const owner = new pg.Client({ connectionString: migrationUrl });
  await owner.connect();
  try {
    await owner.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const [me] = (await owner.query<{ role: string }>('select current_user as role')).rows;
    if (who!.superuser || who!.role === me!.role) {
      throw new Error(`DATABASE_URL connects as ${who!.role}, which ${who!.superuser ? 'is a superuser' : 'is the migration role'}: the hub must run as a role with DML rights only (see README, "Database roles")`);
    }
    await migrateNodePg(drizzleNodePg(owner, { schema }), { migrationsFolder });
    const app = pg.escapeIdentifier(who!.role);
    for (const statement of [
      `grant usage on schema public to ${app}`,
      `grant select, insert, update, delete on all tables in schema public to ${app}`,
      `grant usage, select on all sequences in schema public to ${app}`,
      `revoke update, delete, truncate, references, trigger on audit_log from ${app}`,
      // the job queue (pg-boss) keeps its own schema, made and upgraded by the hub as it starts, and
      // adds a table per queue: the runtime role may create that schema, and owns nothing in public
      `grant create on database ${pg.escapeIdentifier((await owner.query<{ db: string }>('select current_database() as db')).rows[0]!.db)} to ${app}`,
    ]) {
      await owner.query(statement);
    }
  } finally {
    await owner.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await owner.end();
  }
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    // random_page_cost 1.1 rather than 4: the hub's tables are on SSD or in cache. With the default the
    // planner scans a whole agency table for a few thousand resident IDs where the index is 2-3× faster.
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10, options: '-c random_page_cost=1.1' });
    // an idle connection the server closed: the pool drops it and opens another; readiness reports outages
    pool.on('error', () => undefined);
    const db = drizzleNodePg(pool, { schema }) as unknown as Db;
    return {
      kind: 'postgres',
      db,
      counting: (counter) => drizzleNodePg(pool, { schema, logger: countingLogger(counter) }) as unknown as Db,
      async migrate() {
        if (target.migrationUrl) {
          await migrateAsOwner(target.migrationUrl, pool);
          return;
        }
        const client = await pool.connect();
        try {
          await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
          await migrateNodePg(drizzleNodePg(client, { schema }), { migrationsFolder });
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
          client.release();
        }
      },
      async bulk(fn) {
        const client = await pool.connect();
        try {
          await client.query('begin');
          const result = await fn({
            async copy(table, columns, lines) {
              const stream = client.query(copyFrom(copyStatement(table, columns, 'stdin')));
              await pipeline(Readable.from(chunked(lines, 1 << 16)), stream);
              return stream.rowCount;
            },
            async query(text, params) {
              return (await client.query(text, params)).rows;
            },
            async execute(text, params) {
              return (await client.query(text, params)).rowCount ?? 0;
            },
          });
          await client.query('commit');
          return result;
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      },
      async listen(channel, onPayload, onReconnect) {
        // a pooled connection would be handed to other work; notifications need their own. When the
        // server drops it (restart, failover) it is opened again with backoff, and onReconnect lets the
        // caller catch up on what was sent while nobody listened.
        let client: pg.Client | null = null;
        let closed = false;
        const connect = async () => {
          const next = new pg.Client({ connectionString: target.url });
          // the server closing the listening connection must not take the process down with it
          next.on('error', () => undefined);
          next.on('notification', (n) => {
            if (n.channel === channel && n.payload !== undefined) onPayload(n.payload);
          });
          try {
            await next.connect();
            await next.query(`listen "${channel.replaceAll('"', '""')}"`);
          } catch (error) {
            await next.end().catch(() => undefined);
            throw error;
          }
          next.once('end', () => {
            if (!closed) void reconnect();
          });
          client = next;
        };
        const reconnect = () =>
          pRetry(
            async () => {
              if (closed) return;
              await connect();
              onReconnect?.();
            },
            { forever: true, minTimeout: 100, maxTimeout: 5_000, shouldRetry: () => !closed },
          ).catch(() => undefined);
        await connect();
        return async () => {
          closed = true;
          await client?.end().catch(() => undefined);
        };
      },
      async ping() {
        await pool.query('select 1');
      },
      async close() {
        await pool.end();
      },
      connection: { url: target.url },
    };
  }
  if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
  const client = target.dataDir ? new PGlite(target.dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    counting: (counter) => drizzlePglite(client, { schema, logger: countingLogger(counter) }) as unknown as Db,
    async migrate() {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
    },
    bulk(fn) {
      return client.transaction(async (tx) =>
        fn({
          async copy(table, columns, lines) {
            // PGlite reads COPY input from a Blob; ~8 MB at a time keeps memory flat on big files
            let rows = 0;
            for await (const chunk of chunked(lines, 8 << 20)) {
              const res = await tx.query(copyStatement(table, columns, "'/dev/blob'"), [], { blob: new Blob([chunk]) });
              rows += res.affectedRows ?? 0;
            }
            return rows;
          },
          async query(text, params) {
            return (await tx.query(text, params)).rows as never;
          },
          async execute(text, params) {
            return (await tx.query(text, params)).affectedRows ?? 0;
          },
        }),
      );
    },
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return async () => {
        if (!client.closed) await unlisten();
      };
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      if (!client.closed) await client.close();
    },
    connection: {
      // parameters mean one statement; without them the text may hold several (BEGIN; …; COMMIT)
      async executeSql(text, values) {
        if (values?.length) return client.query(text, values);
        return (await client.exec(text)).at(-1) ?? { rows: [] };
      },
    },
  };
}
