// Helpers every batch loader and cursor-paged list shares.
import { badUserInput } from '../errors.js';

/** One row (or null) per key, in the keys' order. */
export function byKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (r: R) => K): (R | null)[] {
  const map = new Map<K, R>();
  for (const r of rows) map.set(keyOf(r), r);
  return keys.map((k) => map.get(k) ?? null);
}

/** The rows of each key, in the keys' order. */
export function groupByKey<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (r: R) => K): R[][] {
  const map = new Map<K, R[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/** `first` of a list query: 1 to the server's MAX_PAGE_SIZE, or BAD_USER_INPUT naming it. */
export function pageSize(first: number | null | undefined, maxPageSize: number): number {
  const n = first ?? 20;
  if (!Number.isInteger(n) || n < 1 || n > maxPageSize) throw badUserInput('first', `must be between 1 and ${maxPageSize}`);
  return n;
}

/** An opaque cursor naming a row of one kind of list ("household", "alert"). */
export function encodeCursor(kind: string, id: number): string {
  return Buffer.from(`${kind}:${id}`).toString('base64url');
}

export interface Page<R> {
  nodes: R[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A list as the API shows it: a page, and its total, counted only when a query asks for it. */
export interface Connection<R> {
  nodes: R[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: () => Promise<number>;
}

export function connectionOf<R>(page: Page<R>, totalCount: () => Promise<number>): Connection<R> {
  return { nodes: page.nodes, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor }, totalCount };
}

/** A page from rows fetched with `limit first + 1`: the extra row only says there is a next page. */
export function pageOf<R extends { id: number }>(rows: R[], first: number, kind: string): Page<R> {
  const nodes = rows.slice(0, first);
  return { nodes, hasNextPage: rows.length > first, endCursor: nodes.length ? encodeCursor(kind, nodes.at(-1)!.id) : null };
}

export function decodeCursor(kind: string, cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString();
  const id = Number(text.slice(kind.length + 1));
  if (!text.startsWith(`${kind}:`) || !Number.isSafeInteger(id) || id < 0) {
    throw badUserInput('after', 'not a cursor returned by this API');
  }
  return id;
}
