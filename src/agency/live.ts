// Live pull: an agency's HTTP API answering for many subjects at once (contract: docs/agency-api.md).
// Each call has a timeout, a few retries with backoff, and sits behind a circuit breaker, so an
// agency that is down costs the page one fast error on its fields, not a hung request.
import CircuitBreaker from 'opossum';
import pRetry, { AbortError } from 'p-retry';
import type { Logger } from '../logger.js';
import type { Connector } from './connector.js';

export interface LiveSourceConfig {
  url: string;
  token?: string | undefined;
  timeoutMs: number;
  /** most subjects in one call: the agency's limit */
  maxBatch: number;
  retries: number;
  /** how long the breaker stays open before trying the agency again */
  resetMs: number;
}

/** Everything the agency knows about the subjects asked for, by record kind. */
export interface LiveAnswer {
  asOf: string;
  records: Record<string, Record<string, unknown>[]>;
}

export class AgencyCallError extends Error {
  constructor(
    readonly agency: string,
    message: string,
  ) {
    super(`${agency}: ${message}`);
    this.name = 'AgencyCallError';
  }
}

export class LiveSource {
  private readonly breaker: CircuitBreaker<[readonly (string | number)[]], LiveAnswer>;

  constructor(
    readonly connector: Connector,
    readonly config: LiveSourceConfig,
    private readonly log: Logger,
  ) {
    this.breaker = new CircuitBreaker((subjects: readonly (string | number)[]) => this.callWithRetries(subjects), {
      timeout: false, // each attempt has its own timeout
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      resetTimeout: config.resetMs,
      rollingCountTimeout: 10_000,
    });
    this.breaker.on('open', () => this.log.warn({ agency: connector.agency }, 'agency circuit opened'));
    this.breaker.on('close', () => this.log.info({ agency: connector.agency }, 'agency circuit closed'));
  }

  get state(): 'OPEN' | 'HALF_OPEN' | 'CLOSED' {
    return this.breaker.opened ? 'OPEN' : this.breaker.halfOpen ? 'HALF_OPEN' : 'CLOSED';
  }

  /** Every kind of record about many subjects: one HTTP call (the loader keeps batches within maxBatch). */
  async fetch(subjects: readonly (string | number)[]): Promise<LiveAnswer> {
    try {
      return await this.breaker.fire(subjects);
    } catch (error) {
      if (this.breaker.opened && !(error instanceof AgencyCallError)) {
        throw new AgencyCallError(this.connector.agency, 'unavailable (circuit open after repeated failures)');
      }
      throw error instanceof AgencyCallError ? error : new AgencyCallError(this.connector.agency, String(error));
    }
  }

  private callWithRetries(subjects: readonly (string | number)[]): Promise<LiveAnswer> {
    return pRetry(() => this.call(subjects), { retries: this.config.retries, minTimeout: 50, factor: 2, randomize: true });
  }

  private async call(subjects: readonly (string | number)[]): Promise<LiveAnswer> {
    const url = `${this.config.url.replace(/\/$/, '')}/v1/${this.connector.agency}/records:batch`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.config.token ? { authorization: `Bearer ${this.config.token}` } : {}),
        },
        body: JSON.stringify({ subjects }),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new AgencyCallError(this.connector.agency, timedOut ? `no answer within ${this.config.timeoutMs} ms` : `unreachable (${(error as Error).message})`);
    }
    if (res.status >= 400 && res.status < 500) {
      // the request is wrong, not the agency: retrying will not help
      throw new AbortError(new AgencyCallError(this.connector.agency, `refused the call with HTTP ${res.status}`));
    }
    if (!res.ok) throw new AgencyCallError(this.connector.agency, `answered HTTP ${res.status}`);
    const body = (await res.json()) as { asOf?: unknown; records?: Record<string, unknown> };
    if (typeof body.asOf !== 'string' || typeof body.records !== 'object' || body.records === null) {
      throw new AbortError(new AgencyCallError(this.connector.agency, 'answered with a body that does not follow the contract'));
    }
    // the same validation as a feed: a record the agency got wrong is dropped, not shown
    const records: LiveAnswer['records'] = {};
    for (const [name, kind] of Object.entries(this.connector.kinds)) {
      const raw = body.records[name];
      records[name] = [];
      for (const item of Array.isArray(raw) ? raw : []) {
        const parsed = kind.schema.safeParse(item);
        if (parsed.success) records[name].push(parsed.data as Record<string, unknown>);
        else this.log.warn({ agency: this.connector.agency, kind: name, reason: parsed.error.issues[0]?.message }, 'live record rejected');
      }
    }
    return { asOf: body.asOf, records };
  }
}
