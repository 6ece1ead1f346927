// One keyset-paginated list of a table's rows, shared by every list the API pages through
// (households, units, offers, alerts, exit cases, reports): ordered by id, the cursor an opaque id,
// the total counted only when a client asks for it.
import { and, asc, count, desc, gt, lt, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { connectionOf, decodeCursor, pageOf, pageSize, type Connection } from './batch.js';
import type { Db } from './client.js';

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

/** A page of the rows matching `where` (built afresh for the count), after the cursor, at most `maxPageSize`. */
export async function keysetPage<T extends PgTable>(
  db: Db,
  listing: Listing<T>,
  where: () => (SQL | undefined)[],
  args: PageArgs,
  maxPageSize: number,
): Promise<Connection<T['$inferSelect'] & { id: number }>> {
  const { table, id, cursor } = listing;
  const newestFirst = listing.order === 'newest first';
  const first = pageSize(args.first, maxPageSize);
  const after = args.after ? [(newestFirst ? lt : gt)(id, decodeCursor(cursor, args.after))] : [];
  const rows = (await db
    .select()
    .from(table as PgTable)
    .where(and(...where(), ...after))
    .orderBy(newestFirst ? desc(id) : asc(id))
    .limit(first + 1)) as (T['$inferSelect'] & { id: number })[];
  return connectionOf(pageOf(rows, first, cursor), async () => {
    const [row] = await db
      .select({ n: count() })
      .from(table as PgTable)
      .where(and(...where()));
    return row?.n ?? 0;
  });
}
