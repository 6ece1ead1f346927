// Each test file gets a database of its own: a fresh in-memory PGlite, or, when TEST_DATABASE_URL
// points at a PostgreSQL server, a freshly created database on it that is dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.js';

export const testDatabaseUrl = process.env['TEST_DATABASE_URL'] || undefined;
export const testDatabaseKind = testDatabaseUrl ? 'postgres' : 'pglite';

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated, empty database. `close()` also drops it on PostgreSQL. */
export async function openTestDatabase(poolSize = 4): Promise<Database & { url?: string }> {
  if (!testDatabaseUrl) {
    const database = await openDatabase({ kind: 'pglite' });
    await database.migrate();
    return database;
  }
  const name = `hub_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(testDatabaseUrl, (c) => c.query(`create database ${name}`));
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize });
  await database.migrate();
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      await admin(testDatabaseUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
