// One keyset-paginated list of a table's rows, shared by every list the API pages through
// (households, units, offers, alerts, exit cases, reports): ordered by id, the cursor an opaque id,
// the total counted only when a client asks for it.
import { and, asc, count, desc, getTableName, gt, lt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { connectionOf, decodeCursor, pageOf, pageSize, type Connection } from './batch.js';
import type { Db } from './client.js';
import { jsonRows, type JsonRows } from './json-rows.js';
import { selectRows } from './sql.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Listing<T extends PgTable> {
  table: T;
  id: PgColumn;
  /** the cursor's kind, so a cursor of one list is refused by another */
  cursor: string;
  order: 'oldest first' | 'newest first';
}

/** More to read in the statement that lists a page: one JSON value over the page's ids (`ids`, an int[] expression). */
export interface ReadAlong {
  select(ids: SQL): SQL;
}

const shapes = new WeakMap<PgTable, JsonRows<unknown>>();

/**
 * A page of the rows matching `where` (built afresh for the count), after the cursor, at most `maxPageSize`.
 * `along`: read in the same statement (answered as `along`), prepared under a name when `prepared`.
 */
export async function keysetPage<T extends PgTable>(
  db: Db,
  listing: Listing<T>,
  where: () => (SQL | undefined)[],
  args: PageArgs,
  maxPageSize: number,
  along?: ReadAlong,
  prepared = false,
): Promise<Connection<T['$inferSelect'] & { id: number }> & { along?: unknown }> {
  type Row = T['$inferSelect'] & { id: number };
  const { table, id, cursor } = listing;
  const newestFirst = listing.order === 'newest first';
  const first = pageSize(args.first, maxPageSize);
  const after = args.after ? [(newestFirst ? lt : gt)(id, decodeCursor(cursor, args.after))] : [];
  const order = newestFirst ? desc(id) : asc(id);
  const listed = db
    .select()
    .from(table as PgTable)
    .where(and(...where(), ...after))
    .orderBy(order)
    .limit(first + 1);
  let rows: Row[];
  let read: unknown;
  if (!along) rows = (await listed) as Row[];
  else {
    let shape = shapes.get(table);
    if (!shape) shapes.set(table, (shape = jsonRows(table)));
    // the listed rows under the table's own name (a WITH shadows the table): the table's JSON shape reads them as stored
    const [row] = await selectRows<{ rows: unknown; along: unknown }>(
      db,
      sql`with ${sql.identifier(getTableName(table))} as (${listed}),
        page_ids as (select array_agg(x.id) as ids from (select ${id} as id from ${table} order by ${order} limit ${first}) x)
        select ${shape.select(sql`true`, order)} as rows, ${along.select(sql`(select ids from page_ids)::int[]`)} as along`,
      prepared,
    );
    rows = shape.build(row!.rows) as Row[];
    read = row!.along;
  }
  const connection = connectionOf(pageOf(rows, first, cursor), async () => {
    const [row] = await db
      .select({ n: count() })
      .from(table as PgTable)
      .where(and(...where()));
    return row?.n ?? 0;
  });
  return along ? { ...connection, along: read } : connection;
}
