// The embedded database: PGlite in a data folder (or in memory), in this process. The default, so the
// hub starts with no database server.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Database, Db } from './client.js';
import { chunked, copyStatement } from './csv.js';
import { migrationsFolder } from './migrations.js';
import * as schema from './schema.js';
import { countingLogger } from './sql.js';

export async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    counting: (counter) => drizzle(client, { logger: countingLogger(counter) }) as unknown as Db,
    replicas: 0,
    // one connection in process: nothing to gain from a name (PGlite's driver ignores it)
    namedStatements: false,
    async migrate() {
      await migrate(drizzle(client, { schema }), { migrationsFolder });
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
