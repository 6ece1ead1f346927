// PostgreSQL through `pg`: a pool for requests (possibly through a transaction-mode pooler), pools on
// streaming replicas for read-only requests (replicas.ts), and straight to the primary (directUrl) the
// connections that keep session state: LISTEN, migrations, the job queue and the shared rate limits.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import pRetry from 'p-retry';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database, DatabaseTarget, Db, StatementCounter } from './client.js';
import { chunked, copyStatement } from './csv.js';
import { MIGRATION_LOCK_KEY, migrationsFolder } from './migrations.js';
import * as schema from './schema.js';
import { ReplicaSet, routedHandle } from './replicas.js';
import { countingLogger } from './sql.js';

/**
 * The append-only audit log holds only while the hub cannot change it: its trigger can be dropped or
 * disabled, and the table truncated, by its owner. With DATABASE_MIGRATION_URL the schema is made
 * and owned by that role; the hub's own role (DATABASE_URL) gets rows to read and write, nothing
 * more, and on audit_log only SELECT and INSERT. Refuses to go on when the runtime role could undo it.
 */
async function migrateAsOwner(migrationUrl: string, runtime: pg.Pool): Promise<void> {
  const [who] = (
    await runtime.query<{ role: string; superuser: boolean }>(
      `select current_user as role, (select rolsuper from pg_roles where rolname = current_user) as superuser`,
    )
  ).rows;
  const owner = new pg.Client({ connectionString: migrationUrl });
  await owner.connect();
  try {
    await owner.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const [me] = (await owner.query<{ role: string }>('select current_user as role')).rows;
    if (who!.superuser || who!.role === me!.role) {
      throw new Error(
        `DATABASE_URL connects as ${who!.role}, which ${who!.superuser ? 'is a superuser' : 'is the migration role'}: the hub must run as a role with DML rights only (see README, "Database roles")`,
      );
    }
    await migrate(drizzle(owner, { schema }), { migrationsFolder });
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

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other work). When the server
 * drops it (restart, failover) it is opened again with backoff, and onReconnect lets the caller
 * catch up on what was sent while nobody listened.
 */
async function listenOn(url: string, channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let closed = false;
  const connect = async () => {
    const next = new pg.Client({ connectionString: url });
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
}

export async function openPostgres(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<Database> {
  // random_page_cost 1.1 rather than 4: the hub's tables are on SSD or in cache. With the default the
  // planner scans a whole agency table for a few thousand resident IDs where the index is 2-3× faster.
  // plan_cache_mode: the statements prepared under a name (selectRows `prepared`: a households page read with
  // what its fields read) keep one generic plan; by default PostgreSQL re-plans them for their values each time
  // (a LIMIT and arrays it cannot see), at a cost near running them. Unnamed statements are planned as ever.
  // (pgbouncer refuses startup options unless told to ignore them: then set them on the database, see README.)
  const options = '-c random_page_cost=1.1 -c plan_cache_mode=force_generic_plan';
  const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10, options });
  // an idle connection the server closed: the pool drops it and opens another; readiness reports outages
  pool.on('error', () => undefined);
  const replicaPools = (target.replicaUrls ?? []).map((url) => {
    // a replica that cannot be reached fails the check (and so leaves the rotation) in 2 s, not the OS's minutes
    const replica = new pg.Pool({ connectionString: url, max: target.poolSize ?? 10, options, connectionTimeoutMillis: 2_000 });
    replica.on('error', () => undefined);
    return replica;
  });
  const directUrl = target.directUrl ?? target.url;
  // the rate limits of every instance; small, as each request holds a connection for one statement
  const shared = new pg.Pool({ connectionString: directUrl, max: 3 });
  shared.on('error', () => undefined);
  const db = drizzle(pool, { schema }) as unknown as Db;
  const replicas = replicaPools.length ? new ReplicaSet(replicaPools, target.replicaCheckMs ?? 5_000) : null;
  const counting = (counter: StatementCounter): Db => {
    const onPrimary = () => drizzle(pool, { logger: countingLogger(counter) }) as unknown as Db;
    if (!replicas) return onPrimary();
    // no replica in service: the request reads the primary
    return routedHandle(counter, onPrimary, () => drizzle(replicas.pick() ?? pool, { logger: countingLogger(counter) }) as unknown as Db);
  };
  return {
    kind: 'postgres',
    db,
    counting,
    replicas: replicaPools.length,
    // DATABASE_DIRECT_URL says DATABASE_URL goes through a transaction-mode pooler (pgbouncer before 1.21 cannot carry prepared statements)
    namedStatements: !target.directUrl,
    shared,
    async migrate() {
      if (target.migrationUrl) {
        await migrateAsOwner(target.migrationUrl, pool);
        return;
      }
      // one connection of its own to the primary: the advisory lock is the session's, which a
      // transaction-mode pooler would not keep between statements
      const client = new pg.Client({ connectionString: directUrl });
      await client.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migrate(drizzle(client, { schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
        await client.end();
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
    listen: (channel, onPayload, onReconnect) => listenOn(directUrl, channel, onPayload, onReconnect),
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      replicas?.stop();
      await Promise.all([pool.end(), shared.end(), ...replicaPools.map((replica) => replica.end())]);
    },
    // pg-boss needs no session state (its locks are per transaction), but it is the primary's work and
    // keeps a few connections of its own: straight to the primary
    connection: { url: directUrl },
  };
}
