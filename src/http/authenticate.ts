// Who may call, on HTTP and WebSocket alike: a bearer credential, checked; a client address that keeps
// showing refused credentials is turned away without a lookup for a while, so guessing keys costs a
// lookup only a few times a minute; and no caller spends more than its share of requests. On PostgreSQL
// the counts live in the database, so every instance of the hub counts against the same budget.
import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AuthenticationUnavailable, type Authenticator, type Caller } from '../auth/caller.js';
import { ERRORS, sendError, type ErrorCodeName } from '../errors.js';
import type { Logger } from '../logger.js';

export interface GateLimits {
  /** requests a minute per caller */
  perMinute: number;
  /** refused credentials a minute per client address */
  failuresPerMinute: number;
}

export interface Refusal {
  refused: ErrorCodeName;
  message: string;
  /** when the caller may try again (the retry-after header) */
  retrySeconds?: number;
}

export type Admission = { caller: Caller } | Refusal;

/** the shared counts: a schema of the hub's own, made by the runtime role as it starts, as the job queue's is */
const LIMITS_SCHEMA = 'hub_limits';
const LIMITS_TABLE = 'counts';
/** the shared counts' table, schema-qualified (SharedRecentWriters keeps its keys there too) */
export const SHARED_LIMITS_TABLE = `${LIMITS_SCHEMA}.${LIMITS_TABLE}`;

/** makes the table the PostgreSQL store counts in (rate-limiter-flexible's layout), once */
export async function prepareSharedLimits(pool: pg.Pool): Promise<pg.Pool> {
  await pool.query(`create schema if not exists ${LIMITS_SCHEMA}`);
  // unlogged: a count is one upsert per request, and with WAL each would wait for a flush to disk; a
  // crash empties the table (everyone's minute starts again), and replicas do not carry it
  await pool.query(
    `create unlogged table if not exists ${LIMITS_SCHEMA}.${LIMITS_TABLE} (key varchar(255) primary key, points integer not null default 0, expire bigint)`,
  );
  return pool;
}

/**
 * One budget: in memory, or in PostgreSQL (prepareSharedLimits first) with the memory store as its
 * insurance while the database cannot be reached, so an outage does not refuse everyone.
 */
function limiter(keyPrefix: string, points: number, store: pg.Pool | undefined): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ keyPrefix, points, duration: 60 });
  if (!store) return memory;
  return new RateLimiterPostgres({
    storeClient: store,
    storeType: 'pool',
    schemaName: LIMITS_SCHEMA,
    tableName: LIMITS_TABLE,
    tableCreated: true,
    keyPrefix,
    points,
    duration: 60,
    insuranceLimiter: memory,
  });
}

/**
 * How long an address found with few refused credentials is not asked about again: one statement per
 * request saved, at the cost of another instance's refusals blocking it here up to this much later
 * (a refusal this instance made is seen at once).
 */
const CLEAR_FOR_MS = 1_000;
const MAX_CLEAR_ADDRESSES = 10_000;

export class Gate {
  private readonly requests: RateLimiterAbstract;
  private readonly failures: RateLimiterAbstract;
  /** address → until when it is known not blocked */
  private readonly clearUntil = new Map<string, number>();
  /** refusals made here so far: a check that overlapped one does not mark its address clear */
  private refusals = 0;

  constructor(
    readonly authenticator: Authenticator,
    private readonly limits: GateLimits,
    private readonly log: Logger,
    /** where the counts are shared by every instance (PostgreSQL, prepared by prepareSharedLimits); in memory when absent */
    store?: pg.Pool,
  ) {
    this.requests = limiter('requests', limits.perMinute, store);
    this.failures = limiter('refused', limits.failuresPerMinute, store);
  }

  /** the caller `authorization` shows, from `address`, or why it is refused */
  async admit(address: string, authorization: string | undefined, logFields: Record<string, unknown> = {}): Promise<Admission> {
    const blocked = await this.blockedFor(address);
    if (blocked !== null)
      return { refused: 'RATE_LIMITED', message: `too many refused credentials from this address; retry in ${blocked} s`, retrySeconds: blocked };
    try {
      return { caller: await this.authenticator.authenticate(authorization) };
    } catch (error) {
      if (error instanceof AuthenticationUnavailable) {
        this.log.error({ err: error.cause, ...logFields }, 'authentication unavailable');
        return { refused: 'SERVICE_UNAVAILABLE', message: error.message, retrySeconds: 5 };
      }
      this.refusals += 1;
      this.clearUntil.delete(address);
      await this.failures.penalty(address, 1).catch(() => undefined);
      return { refused: 'UNAUTHENTICATED', message: error instanceof GraphQLError ? error.message : ERRORS.UNAUTHENTICATED.message };
    }
  }

  /** counts one request of this caller, on any transport: why not, when over its budget */
  async overLimit(caller: Caller): Promise<Refusal | null> {
    try {
      await this.requests.consume(`${caller.role}:${caller.id}`);
      return null;
    } catch (limited) {
      const retrySeconds = Math.ceil(((limited as { msBeforeNext?: number }).msBeforeNext ?? 60_000) / 1000);
      return { refused: 'RATE_LIMITED', message: `rate limit: at most ${this.limits.perMinute} requests a minute; retry in ${retrySeconds} s`, retrySeconds };
    }
  }

  /** seconds until this address may try again, when it has shown too many refused credentials */
  private async blockedFor(address: string): Promise<number | null> {
    const now = Date.now();
    if ((this.clearUntil.get(address) ?? 0) > now) return null;
    const refusals = this.refusals;
    const used = await this.failures.get(address);
    if (used && used.consumedPoints >= this.limits.failuresPerMinute) return Math.max(1, Math.ceil(used.msBeforeNext / 1000));
    if (refusals !== this.refusals) return null;
    if (this.clearUntil.size >= MAX_CLEAR_ADDRESSES) this.clearUntil.clear();
    this.clearUntil.set(address, now + CLEAR_FOR_MS);
    return null;
  }

  /** every HTTP caller shows a bearer token and stays within its budget; the caller goes to res.locals.caller */
  readonly middleware: RequestHandler = async (req, res, next) => {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const admission = await this.admit(address, req.get('authorization'), { requestId: res.locals['requestId'] });
    const refusal = 'refused' in admission ? admission : await this.overLimit(admission.caller);
    if (refusal) {
      const headers: Record<string, string> = refusal.retrySeconds === undefined ? {} : { 'retry-after': String(refusal.retrySeconds) };
      if (refusal.refused === 'UNAUTHENTICATED') headers['www-authenticate'] = 'Bearer';
      sendError(res, refusal.refused, refusal.message, { headers });
      return;
    }
    res.locals['caller'] = (admission as { caller: Caller }).caller;
    next();
  };
}
