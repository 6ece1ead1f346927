// Read replicas (DATABASE_REPLICA_URLS): a read-only request's reads go to a streaming replica, all else
// stays on the primary. What the primary keeps: every write, a mutation's whole request (its selection
// reads what it just wrote), subscriptions, feeds, imports, the job queue, LISTEN, authentication (a
// revoked key must stop at once) and the audit log. Read-your-own-writes: a caller's queries read the
// primary for DATABASE_READ_YOUR_WRITES_SECONDS after its last mutation (SharedRecentWriters on PostgreSQL).
import type { Db, StatementCounter } from './client.js';

/** what drizzle sends to the primary even inside a read-only request */
const WRITES = new Set<PropertyKey>(['insert', 'update', 'delete', 'transaction', 'refreshMaterializedView']);

/**
 * A request's handle: the primary until `counter.readReplica` is set (the request is a query), then
 * selects, relational queries and raw reads (`execute`) on a replica, writes still on the primary.
 * Unlike drizzle's withReplicas, `execute` reads the replica too: the agency records of a page are
 * read with raw SQL. Each side's drizzle instance is made on first use, so a request builds only the
 * one it needs.
 */
export function routedHandle(counter: StatementCounter, primary: () => Db, replica: () => Db): Db {
  let onPrimary: Db | undefined;
  let onReplica: Db | undefined;
  return new Proxy({} as Db, {
    get(_, property) {
      const target = counter.readReplica === true && !WRITES.has(property) ? (onReplica ??= replica()) : (onPrimary ??= primary());
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The replicas in service: round robin over those that answered their last check, one per request;
 * null when none did (the request then reads the primary). Each is checked every `checkMs` with a
 * `select 1`; a replica that fails it (down, restarting, unreachable) is left out until it answers again.
 */
export class ReplicaSet<P extends { query(text: string): Promise<unknown> }> {
  private readonly healthy: boolean[];
  private next = 0;
  private readonly timer: NodeJS.Timeout;
  private checking = false;

  constructor(
    private readonly pools: readonly P[],
    checkMs: number,
  ) {
    this.healthy = pools.map(() => true);
    this.timer = setInterval(() => void this.check(), checkMs);
    this.timer.unref();
  }

  /** the next replica in service, or null */
  pick(): P | null {
    for (let tried = 0; tried < this.pools.length; tried++) {
      const i = this.next++ % this.pools.length;
      if (this.healthy[i]) return this.pools[i]!;
    }
    return null;
  }

  /** how many replicas are in service now */
  get inService(): number {
    return this.healthy.filter(Boolean).length;
  }

  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await Promise.all(
        this.pools.map(async (pool, i) => {
          this.healthy[i] = await pool.query('select 1').then(
            () => true,
            () => false,
          );
        }),
      );
    } finally {
      this.checking = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** who wrote lately: their queries read the primary (read-your-own-writes) */
export interface WriteMemory {
  wrote(caller: string): Promise<void> | void;
  recentlyWrote(caller: string): Promise<boolean> | boolean;
}

/**
 * Callers that wrote lately, in this instance's memory: their queries read the primary for `windowMs`
 * after their last mutation, so a page reloaded after a save shows the save even when the replica lags
 * behind. Where there is no shared store; SharedRecentWriters holds across instances.
 */
export class RecentWriters implements WriteMemory {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  wrote(caller: string): void {
    const now = this.now();
    if (this.until.size >= 10_000) {
      for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
    }
    this.until.set(caller, now + this.windowMs);
  }

  recentlyWrote(caller: string): boolean {
    const until = this.until.get(caller);
    return until !== undefined && until > this.now();
  }
}

/** the few statements SharedRecentWriters needs of a pool */
interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Callers that wrote lately, kept on the primary beside the rate limits (hub_limits.counts, an
 * unlogged table; its expired rows are cleared with theirs), so read-your-own-writes holds whichever
 * instance the caller's next query reaches: one key lookup per query. If the table cannot be reached,
 * the caller reads the primary (the safe side).
 */
export class SharedRecentWriters implements WriteMemory {
  constructor(
    private readonly pool: Queryable,
    private readonly table: string,
    private readonly windowMs: number,
  ) {}

  async wrote(caller: string): Promise<void> {
    await this.pool.query(
      `insert into ${this.table} (key, points, expire) values ($1, 1, $2) on conflict (key) do update set points = 1, expire = excluded.expire`,
      [`wrote:${caller}`, Date.now() + this.windowMs],
    );
  }

  async recentlyWrote(caller: string): Promise<boolean> {
    try {
      const { rows } = await this.pool.query(`select 1 from ${this.table} where key = $1 and expire > $2`, [`wrote:${caller}`, Date.now()]);
      return rows.length > 0;
    } catch {
      return true;
    }
  }
}
